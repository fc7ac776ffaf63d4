#include "imaging/inpaint/MaskCompositor.h"

#include "imaging/inpaint/InpaintMask.h"
#include "imaging/inpaint/MaskOps.h"
#include "imaging/inpaint/PixelLayout.h"

#include <opencv2/core.hpp>
#include <opencv2/imgproc.hpp>
#include <opencv2/photo.hpp>

namespace ripen {
namespace {

// Re-lights the engine's pixels inside `region` so their border matches the original.
// seamlessClone places the source's mask bounding box centred on `center`; the centre is
// computed the way OpenCV derives the box, so the pixels land where they came from. The
// image's outermost pixels are left out of the region: the solver needs a frame around it.
cv::Mat colourMatched(const cv::Mat& original, const cv::Mat& result, const cv::Mat& region) {
    if (original.channels() == 1 || original.rows < 3 || original.cols < 3) {
        return result;
    }
    cv::Mat inner = region.clone();
    cv::rectangle(inner, cv::Rect(0, 0, inner.cols, inner.rows), cv::Scalar(0), 1);
    if (cv::countNonZero(inner) == 0) {
        return result;
    }
    const cv::Rect box = cv::boundingRect(inner);
    const cv::Point center(box.x + (box.width - 1) / 2, box.y + (box.height - 1) / 2);
    cv::Mat sourceBgr = result;
    cv::Mat targetBgr = original;
    if (original.channels() == 4) {
        cv::cvtColor(result, sourceBgr, cv::COLOR_BGRA2BGR);
        cv::cvtColor(original, targetBgr, cv::COLOR_BGRA2BGR);
    }
    cv::Mat cloned;
    cv::seamlessClone(sourceBgr, targetBgr, inner, center, cloned, cv::NORMAL_CLONE);
    cv::Mat matched = result.clone();
    matchChannelLayout(cloned, result).copyTo(matched, inner);
    return matched;
}

// Integer blend; a weight of 0 reproduces the original exactly, 255 the result exactly.
void blendRows(const cv::Mat& original, const cv::Mat& result, const cv::Mat& weights,
               cv::Mat& out) {
    const int channels = original.channels();
    cv::parallel_for_(cv::Range(0, original.rows), [&](const cv::Range& rows) {
        for (int y = rows.start; y < rows.end; ++y) {
            const uchar* o = original.ptr<uchar>(y);
            const uchar* r = result.ptr<uchar>(y);
            const uchar* w = weights.ptr<uchar>(y);
            uchar* dst = out.ptr<uchar>(y);
            for (int x = 0; x < original.cols; ++x) {
                const unsigned weight = w[x];
                for (int c = 0; c < channels; ++c) {
                    const int i = x * channels + c;
                    dst[i] = weight == 0
                                 ? o[i]
                                 : static_cast<uchar>(
                                       (r[i] * weight + o[i] * (255U - weight) + 127U) / 255U);
                }
            }
        }
    });
}

} // namespace

Result<cv::Mat> compositeThroughMask(const cv::Mat& original, const cv::Mat& engineResult,
                                     const cv::Mat& mask, const CompositeOptions& options) try {
    if (original.empty() || engineResult.empty() || mask.empty()) {
        return fail(ErrorCode::InvalidArgument,
                    "compositing needs an original, a result and a mask");
    }
    if (original.depth() != CV_8U || engineResult.depth() != CV_8U ||
        (original.channels() != 1 && original.channels() != 3 && original.channels() != 4) ||
        engineResult.channels() == 2 || engineResult.channels() > 4) {
        return fail(ErrorCode::InvalidArgument,
                    "the image and the result must be 8-bit grey, colour or RGBA pixels");
    }
    if (mask.type() != CV_8UC1 || mask.size() != original.size()) {
        return fail(ErrorCode::InvalidArgument, "the mask is " + sizeText(mask.size()) +
                                                    " but the image is " +
                                                    sizeText(original.size()));
    }
    const cv::Mat weights = featherMask(mask, options.featherPixels);
    cv::Mat result = matchChannelLayout(resizedTo(engineResult, original.size()), original);
    if (options.matchColour) {
        result = colourMatched(original, result, weights != 0);
    }
    // Beyond the feather's reach the weights are 0: the output there is a plain copy.
    cv::Mat out = original.clone();
    const cv::Rect reach = reachOf(mask, options.featherPixels);
    if (!reach.empty()) {
        cv::Mat blended = out(reach);
        blendRows(original(reach), result(reach), weights(reach), blended);
    }
    return out;
} catch (const cv::Exception& e) {
    return fail(ErrorCode::Internal, std::string("compositing the result: ") + e.what());
}

} // namespace ripen

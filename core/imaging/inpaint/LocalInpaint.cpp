#include "imaging/inpaint/LocalInpaint.h"

#include "imaging/inpaint/InpaintMask.h"
#include "imaging/inpaint/PixelLayout.h"

#include <opencv2/core.hpp>
#include <opencv2/imgproc.hpp>
#include <opencv2/photo.hpp>
#include <opencv2/xphoto/inpainting.hpp>

namespace ripen {
namespace {

// Telea and Navier-Stokes look 5 px around each filled pixel: enough context for object
// removal without smearing distant texture into the hole.
constexpr double kInpaintRadius = 5.0;

cv::Mat fillColour(const cv::Mat& colour, const cv::Mat& marked, LocalInpaintEngine engine) {
    cv::Mat filled;
    switch (engine) {
    case LocalInpaintEngine::Telea:
        cv::inpaint(colour, marked, filled, kInpaintRadius, cv::INPAINT_TELEA);
        break;
    case LocalInpaintEngine::NavierStokes:
        cv::inpaint(colour, marked, filled, kInpaintRadius, cv::INPAINT_NS);
        break;
    case LocalInpaintEngine::FsrFast:
    case LocalInpaintEngine::FsrBest: {
        // xphoto reads its mask the other way round: non-zero marks the valid pixels.
        const cv::Mat valid = marked == 0;
        cv::xphoto::inpaint(colour, valid, filled,
                            engine == LocalInpaintEngine::FsrBest ? cv::xphoto::INPAINT_FSR_BEST
                                                                  : cv::xphoto::INPAINT_FSR_FAST);
        break;
    }
    }
    return filled;
}

} // namespace

std::optional<LocalInpaintEngine> localInpaintEngine(std::string_view modelId) {
    if (modelId == "telea") {
        return LocalInpaintEngine::Telea;
    }
    if (modelId == "navier-stokes") {
        return LocalInpaintEngine::NavierStokes;
    }
    if (modelId == "fsr-fast") {
        return LocalInpaintEngine::FsrFast;
    }
    if (modelId == "fsr-best") {
        return LocalInpaintEngine::FsrBest;
    }
    return std::nullopt;
}

Result<cv::Mat> fillLocally(const cv::Mat& image, const cv::Mat& mask,
                            LocalInpaintEngine engine) try {
    if (image.empty() || image.depth() != CV_8U || image.channels() == 2 || image.channels() > 4) {
        return fail(ErrorCode::InvalidArgument,
                    "local inpaint takes 8-bit grey, colour or RGBA images");
    }
    if (mask.type() != CV_8UC1 || mask.size() != image.size()) {
        return fail(ErrorCode::InvalidArgument, "the mask is " + sizeText(mask.size()) +
                                                    " but the image is " + sizeText(image.size()));
    }
    const cv::Mat marked = mask != 0;
    if (image.channels() != 4) {
        return fillColour(image, marked, engine);
    }
    cv::Mat bgr;
    cv::cvtColor(image, bgr, cv::COLOR_BGRA2BGR);
    return matchChannelLayout(fillColour(bgr, marked, engine), image);
} catch (const cv::Exception& e) {
    return fail(ErrorCode::Internal, std::string("local inpaint: ") + e.what());
}

} // namespace ripen

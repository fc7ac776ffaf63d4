#include "providers/openai/OpenAiEditMask.h"

#include "imaging/ImageDecoder.h"

#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>
#include <vector>

namespace ripen::providers {
namespace {

constexpr unsigned char kOpaque = 255;
constexpr unsigned char kTransparent = 0;

Result<cv::Mat> toGrey(const cv::Mat& mask) try {
    cv::Mat grey;
    switch (mask.type()) {
    case CV_8UC1:
        grey = mask;
        break;
    case CV_8UC3:
        cv::cvtColor(mask, grey, cv::COLOR_BGR2GRAY);
        break;
    case CV_8UC4:
        cv::cvtColor(mask, grey, cv::COLOR_BGRA2GRAY);
        break;
    default:
        return fail(ErrorCode::Unsupported, "the mask is not an 8-bit grey or colour image");
    }
    return grey;
} catch (const cv::Exception& e) {
    return fail(ErrorCode::Internal, std::string("converting the mask: ") + e.what());
}

} // namespace

Result<cv::Mat> openAiMaskPixels(const cv::Mat& ripenMask, cv::Size imageSize) {
    if (imageSize.width <= 0 || imageSize.height <= 0 || ripenMask.empty()) {
        return fail(ErrorCode::InvalidArgument, "an empty image or mask has no edit mask");
    }
    auto grey = toGrey(ripenMask);
    if (!grey) {
        return std::unexpected(grey.error());
    }
    try {
        cv::Mat sized = *grey;
        if (sized.size() != imageSize) {
            cv::resize(*grey, sized, imageSize, 0, 0, cv::INTER_NEAREST);
        }
        // OpenAI reads only alpha; black colour keeps the PNG small.
        cv::Mat alpha(imageSize, CV_8UC1, cv::Scalar(kOpaque));
        alpha.setTo(cv::Scalar(kTransparent), sized > 0);
        cv::Mat black(imageSize, CV_8UC1, cv::Scalar(0));
        cv::Mat bgra;
        cv::merge(std::vector<cv::Mat>{black, black, black, alpha}, bgra);
        return bgra;
    } catch (const cv::Exception& e) {
        return fail(ErrorCode::Internal, std::string("converting the mask: ") + e.what());
    }
}

Result<std::string> makeOpenAiEditMask(std::string_view maskFileBytes, cv::Size imageSize) {
    auto decoded = decodeImage(maskFileBytes);
    if (!decoded) {
        return std::unexpected(withContext(decoded.error(), "reading the mask"));
    }
    auto pixels = openAiMaskPixels(*decoded, imageSize);
    if (!pixels) {
        return std::unexpected(pixels.error());
    }
    std::vector<unsigned char> png;
    try {
        if (!cv::imencode(".png", *pixels, png)) {
            return fail(ErrorCode::Internal, "OpenCV could not encode the edit mask as PNG");
        }
    } catch (const cv::Exception& e) {
        return fail(ErrorCode::Internal, std::string("encoding the edit mask: ") + e.what());
    }
    return std::string(png.begin(), png.end());
}

} // namespace ripen::providers

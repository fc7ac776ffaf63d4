#include "imaging/inpaint/InpaintMask.h"

#include "common/FileIo.h"
#include "imaging/ImageDecoder.h"
#include "imaging/ImageLimits.h"

#include <opencv2/core.hpp>
#include <opencv2/imgproc.hpp>

namespace ripen {
namespace {

// A grey-and-alpha PNG painted in an editor carries the mask in its alpha; an RGBA file
// saved with alpha everywhere opaque carries it in its colour.
cv::Mat maskPlane(const cv::Mat& pixels) {
    cv::Mat plane;
    if (pixels.channels() == 4) {
        cv::extractChannel(pixels, plane, 3);
        double lowest = 0;
        cv::minMaxLoc(plane, &lowest);
        if (lowest < 255) {
            return plane;
        }
        cv::cvtColor(pixels, plane, cv::COLOR_BGRA2GRAY);
        return plane;
    }
    if (pixels.channels() == 3) {
        cv::cvtColor(pixels, plane, cv::COLOR_BGR2GRAY);
        return plane;
    }
    return pixels.clone();
}

Result<cv::Mat> planeOfSize(const cv::Mat& pixels, const std::string& name,
                            cv::Size imageSize) try {
    if (pixels.empty() || pixels.depth() != CV_8U || pixels.channels() == 2 ||
        pixels.channels() > 4) {
        return fail(ErrorCode::Unsupported, name + " is not an 8-bit grey, colour or RGBA image");
    }
    if (pixels.size() != imageSize) {
        return fail(ErrorCode::InvalidArgument, name + " is " + sizeText(pixels.size()) +
                                                    " but the image is " + sizeText(imageSize) +
                                                    "; paint the mask on the image itself");
    }
    return maskPlane(pixels);
} catch (const cv::Exception& e) {
    return fail(ErrorCode::Internal, "reading " + name + ": " + e.what());
}

} // namespace

std::string sizeText(cv::Size size) {
    return std::to_string(size.width) + "x" + std::to_string(size.height);
}

Result<cv::Mat> inpaintMaskFromPixels(const cv::Mat& pixels, const std::string& name,
                                      cv::Size imageSize) {
    auto plane = planeOfSize(pixels, name, imageSize);
    if (!plane) {
        return plane;
    }
    const cv::Mat& mask = *plane;
    const auto marked = cv::countNonZero(mask);
    if (marked == 0) {
        return fail(ErrorCode::InvalidArgument,
                    name + " is empty: no pixel is white or opaque, so there is nothing to change");
    }
    if (marked == static_cast<int>(mask.total())) {
        return fail(ErrorCode::InvalidArgument,
                    name + " covers the whole image, so nothing of the original would be kept; "
                           "generate a new image instead");
    }
    return mask;
}

Result<cv::Mat> decodeInpaintMask(std::string_view bytes, const std::string& name,
                                  cv::Size imageSize) {
    auto decoded = decodeImage(bytes);
    if (!decoded) {
        return std::unexpected(withContext(decoded.error(), name));
    }
    return inpaintMaskFromPixels(*decoded, name, imageSize);
}

Result<cv::Mat> loadInpaintMask(const std::filesystem::path& file, cv::Size imageSize) {
    auto bytes = readFileBounded(file, kMaxImageFileBytes);
    if (!bytes) {
        return std::unexpected(bytes.error());
    }
    return decodeInpaintMask(*bytes, file.filename().string(), imageSize);
}

Result<cv::Mat> loadMaskPlane(const std::filesystem::path& file, cv::Size imageSize) {
    const std::string name = file.filename().string();
    auto bytes = readFileBounded(file, kMaxImageFileBytes);
    if (!bytes) {
        return std::unexpected(bytes.error());
    }
    auto decoded = decodeImage(*bytes);
    if (!decoded) {
        return std::unexpected(withContext(decoded.error(), name));
    }
    return planeOfSize(*decoded, name, imageSize);
}

} // namespace ripen

#include "providers/stability/StabilityMask.h"

#include "imaging/ImageDecoder.h"

#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>
#include <vector>

namespace ripen::providers {

Result<std::string> makeStabilityMask(std::string_view maskFileBytes) {
    auto decoded = decodeImage(maskFileBytes);
    if (!decoded) {
        return std::unexpected(withContext(decoded.error(), "reading the mask"));
    }
    try {
        cv::Mat grey;
        if (decoded->channels() == 4) {
            cv::cvtColor(*decoded, grey, cv::COLOR_BGRA2GRAY);
        } else if (decoded->channels() == 3) {
            cv::cvtColor(*decoded, grey, cv::COLOR_BGR2GRAY);
        } else {
            grey = *decoded;
        }
        std::vector<unsigned char> png;
        if (grey.depth() != CV_8U || !cv::imencode(".png", grey, png)) {
            return fail(ErrorCode::Internal, "the mask could not be encoded as grey PNG");
        }
        return std::string(png.begin(), png.end());
    } catch (const cv::Exception& e) {
        return fail(ErrorCode::Internal, std::string("converting the mask: ") + e.what());
    }
}

} // namespace ripen::providers

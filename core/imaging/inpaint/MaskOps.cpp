#include "imaging/inpaint/MaskOps.h"

#include <algorithm>
#include <cmath>
#include <opencv2/core.hpp>
#include <opencv2/imgproc.hpp>

namespace ripen {
namespace {

// Distance of every pixel to the nearest pixel where `targets` is non-zero (0 on them).
cv::Mat distanceTo(const cv::Mat& targets) {
    cv::Mat others = targets == 0;
    cv::Mat distance;
    cv::distanceTransform(others, distance, cv::DIST_L2, cv::DIST_MASK_PRECISE, CV_32F);
    return distance;
}

} // namespace

cv::Mat invertMask(const cv::Mat& mask) {
    cv::Mat inverted;
    cv::bitwise_not(mask, inverted);
    return inverted;
}

cv::Mat clearMask(const cv::Mat& mask) {
    return cv::Mat::zeros(mask.size(), CV_8UC1);
}

cv::Mat growMask(const cv::Mat& mask, int pixels) {
    cv::Mat grown = mask.clone();
    if (pixels == 0 || mask.empty()) {
        return grown;
    }
    if (pixels > 0) {
        grown.setTo(cv::Scalar(255),
                    (distanceTo(mask) <= static_cast<float>(pixels)) & (mask == 0));
    } else {
        grown.setTo(cv::Scalar(0), distanceTo(mask == 0) <= static_cast<float>(-pixels));
    }
    return grown;
}

cv::Rect reachOf(const cv::Mat& mask, int pixels) {
    const cv::Rect marked = cv::boundingRect(mask);
    if (marked.empty()) {
        return marked;
    }
    const int reach = std::max(0, pixels);
    return cv::Rect(marked.x - reach, marked.y - reach, marked.width + 2 * reach,
                    marked.height + 2 * reach) &
           cv::Rect(0, 0, mask.cols, mask.rows);
}

cv::Mat featherMask(const cv::Mat& mask, int pixels) {
    cv::Mat feathered = mask.clone();
    if (pixels <= 0 || mask.empty()) {
        return feathered;
    }
    // Every pixel the ramp reaches lies within `pixels` of the marked pixels' bounding box,
    // and the nearest marked pixel of any pixel in that box is inside it: the distances
    // are computed there only, which keeps a small mask on a large image cheap.
    const cv::Rect reach = reachOf(mask, pixels);
    if (reach.empty()) {
        return feathered;
    }
    cv::Mat region = feathered(reach);
    const cv::Mat distance = distanceTo(mask(reach));
    const float span = static_cast<float>(pixels) + 1.0F;
    for (int y = 0; y < region.rows; ++y) {
        const float* d = distance.ptr<float>(y);
        unsigned char* out = region.ptr<unsigned char>(y);
        for (int x = 0; x < region.cols; ++x) {
            if (out[x] != 0 || d[x] > static_cast<float>(pixels)) {
                continue;
            }
            out[x] = static_cast<unsigned char>(std::ceil(255.0F * (span - d[x]) / span));
        }
    }
    return feathered;
}

cv::Mat changeableRegion(const cv::Mat& mask, int featherPixels) {
    cv::Mat region = featherMask(mask, featherPixels) != 0;
    return region;
}

} // namespace ripen

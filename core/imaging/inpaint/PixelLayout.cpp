#include "imaging/inpaint/PixelLayout.h"

#include <opencv2/core.hpp>
#include <opencv2/imgproc.hpp>
#include <vector>

namespace ripen {

cv::Mat matchChannelLayout(const cv::Mat& pixels, const cv::Mat& like) {
    const int want = like.channels();
    const int have = pixels.channels();
    if (want == have) {
        return pixels;
    }
    cv::Mat converted;
    if (want == 1) {
        cv::cvtColor(pixels, converted, have == 4 ? cv::COLOR_BGRA2GRAY : cv::COLOR_BGR2GRAY);
        return converted;
    }
    if (want == 3) {
        cv::cvtColor(pixels, converted, have == 4 ? cv::COLOR_BGRA2BGR : cv::COLOR_GRAY2BGR);
        return converted;
    }
    cv::Mat bgr = pixels;
    if (have == 1) {
        cv::cvtColor(pixels, bgr, cv::COLOR_GRAY2BGR);
    }
    cv::Mat alpha;
    cv::extractChannel(like, alpha, 3);
    std::vector<cv::Mat> planes;
    cv::split(bgr, planes);
    planes.push_back(alpha);
    cv::merge(planes, converted);
    return converted;
}

cv::Mat resizedTo(const cv::Mat& pixels, cv::Size size) {
    if (pixels.size() == size) {
        return pixels;
    }
    const bool shrinking = pixels.cols > size.width || pixels.rows > size.height;
    cv::Mat sized;
    cv::resize(pixels, sized, size, 0, 0, shrinking ? cv::INTER_AREA : cv::INTER_CUBIC);
    return sized;
}

} // namespace ripen

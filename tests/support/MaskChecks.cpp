#include "support/MaskChecks.h"

#include <cmath>
#include <numbers>
#include <opencv2/imgproc.hpp>
#include <vector>

namespace ripen::test {
namespace {

cv::Mat differingPixels(const cv::Mat& a, const cv::Mat& b) {
    CV_Assert(a.size() == b.size() && a.type() == b.type());
    cv::Mat difference;
    cv::absdiff(a, b, difference);
    std::vector<cv::Mat> planes;
    cv::split(difference, planes);
    cv::Mat any = cv::Mat::zeros(a.size(), CV_8UC1);
    for (const auto& plane : planes) {
        any |= plane != 0;
    }
    return any;
}

} // namespace

int changedOutside(const cv::Mat& a, const cv::Mat& b, const cv::Mat& allowed) {
    return cv::countNonZero(differingPixels(a, b) & (allowed == 0));
}

int changedInside(const cv::Mat& a, const cv::Mat& b, const cv::Mat& allowed) {
    return cv::countNonZero(differingPixels(a, b) & (allowed != 0));
}

cv::Mat rectMask(cv::Size size, cv::Rect marked) {
    cv::Mat mask = cv::Mat::zeros(size, CV_8UC1);
    mask(marked).setTo(cv::Scalar(255));
    return mask;
}

cv::Mat ellipseMask(cv::Size size, cv::Point center, double fraction) {
    cv::Mat mask = cv::Mat::zeros(size, CV_8UC1);
    // pi * a * b = fraction * w * h with a/b = w/h.
    const double scale = std::sqrt(fraction / std::numbers::pi);
    const cv::Size axes(static_cast<int>(size.width * scale),
                        static_cast<int>(size.height * scale));
    cv::ellipse(mask, center, axes, 0, 0, 360, cv::Scalar(255), cv::FILLED);
    return mask;
}

} // namespace ripen::test

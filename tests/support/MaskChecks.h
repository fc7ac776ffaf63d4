#pragma once

#include <opencv2/core.hpp>

namespace ripen::test {

// How many pixels differ between `a` and `b` (same size and type) where `allowed` is 0:
// the compositing guarantee says this is 0 for the mask-and-feather region of an inpaint.
int changedOutside(const cv::Mat& a, const cv::Mat& b, const cv::Mat& allowed);

// How many pixels differ where `allowed` is non-zero.
int changedInside(const cv::Mat& a, const cv::Mat& b, const cv::Mat& allowed);

// A grey mask of `size` with `marked` set to 255 and the rest 0.
cv::Mat rectMask(cv::Size size, cv::Rect marked);

// A grey mask of `size` with one filled ellipse marked 255 covering about `fraction` of
// the image, centred at `center`.
cv::Mat ellipseMask(cv::Size size, cv::Point center, double fraction);

} // namespace ripen::test

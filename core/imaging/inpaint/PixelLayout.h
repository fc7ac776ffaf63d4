#pragma once

#include <opencv2/core/mat.hpp>

namespace ripen {

// `pixels` (8-bit, 1, 3 or 4 channels) converted to the channel layout of `like` (same
// size): grey, BGR or BGRA. Where an alpha channel has to be made up, `like`'s alpha is
// used, so an engine that drops transparency cannot change the original's (and a BGR-only
// algorithm run on a BGRA image gets its alpha back).
cv::Mat matchChannelLayout(const cv::Mat& pixels, const cv::Mat& like);

// `pixels` resized to `size` (area averaging when shrinking, bicubic when enlarging).
cv::Mat resizedTo(const cv::Mat& pixels, cv::Size size);

} // namespace ripen

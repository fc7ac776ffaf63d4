#pragma once

#include "common/Error.h"

#include <opencv2/core/mat.hpp>

namespace ripen {

struct CompositeOptions {
    int featherPixels = 0; // width of the linear ramp outside the mask (see featherMask)
    // Poisson colour match: the engine's pixels are re-lit so that they meet the original
    // without a seam (OpenCV seamlessClone, normal clone) before they are blended in.
    bool matchColour = false;
};

// The compositing guarantee of every inpaint: pastes `engineResult` into `original`
// through `mask` (Ripen's convention, CV_8UC1 of the original's size) feathered by
// options.featherPixels. Each output pixel is
//   (result * w + original * (255 - w) + 127) / 255   with w = featherMask(mask, feather),
// in integers, so wherever w is 0 (outside the mask and its feather) the output is the
// original bit for bit, whatever the engine returned: a result of another size is resized
// to the original's, one with another channel count converted (the original's alpha is
// kept when the result has none), and colour shifts stay inside the mask.
// `original`: CV_8UC1, CV_8UC3 or CV_8UC4. Returns the original's type and size.
// Errors: InvalidArgument (empty inputs, a mask of another size, not 8-bit pixels),
// Internal (OpenCV failed).
Result<cv::Mat> compositeThroughMask(const cv::Mat& original, const cv::Mat& engineResult,
                                     const cv::Mat& mask, const CompositeOptions& options);

} // namespace ripen

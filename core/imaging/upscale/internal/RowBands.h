#pragma once

#include <opencv2/core.hpp>
#include <vector>

namespace ripen::upscale_internal {

// Output row ranges of about `bandPixels` each (at least 8 source rows), in whole
// multiples of `factor` so each band maps onto whole source rows.
std::vector<cv::Range> outputBands(int outRows, int outCols, int factor, int bandPixels);

// Output rows `band` of the whole-image Lanczos resample of `input` by `factor` (any type
// cv::resize takes): the source rows they read, with the kernel's reach either side
// (clamped at the image's edges as the whole-image call clamps), resampled by the same
// factor, so each output row has the same source position and weights as in the
// whole-image call. Memory: the band and its margins, never the whole output.
cv::Mat lanczosRows(const cv::Mat& input, int factor, cv::Range band);

} // namespace ripen::upscale_internal

#pragma once

#include "common/Error.h"

#include <opencv2/core/mat.hpp>

namespace ripen {

// How much of the detail a downscale took away an upscaler put back, measured on a round
// trip: a photograph `original`, area-downscaled by `factor`, then upscaled by the engine
// under test to `result` (the original's size again).
//
// Detail here is what such a round trip removes: for an image y, d(y) = y - up(down(y)),
// with down an area downscale by `factor` and up a Lanczos upscale back (roughly the
// band between the small image's Nyquist frequency and the original's). Then
//   restored = mean d(result)^2 / mean d(original)^2   (on luma, borders of 2 x factor
//                                                        pixels left out)
// 0 means nothing of the lost band came back, 1 as much detail energy as the original
// had there, above 1 more than it had (invented texture, noise, halos). d(original) is
// exactly the Lanczos round trip's error, so the figure reads "detail energy put back, in
// units of what Lanczos loses". A Lanczos round trip scores 0.015-0.06 at x2 and x4
// on photographs; it says nothing of whether the detail is right, which is what PSNR and
// SSIM beside it are for.
//
// laplacianRatio is the first wording of issue 6: variance of the Laplacian of the result
// over that of the original. The 3x3 Laplacian weighs frequency to the fourth power, so
// it is dominated by the top octave of the original (sensor noise and JPEG blocks
// included) and falls steeply with the factor: Lanczos scores 0.09-0.18 on x2 round trips
// of photographs but 0.006-0.03 on x4. Kept for comparison with earlier figures.
struct RestoredDetail {
    double restored = 0;
    double laplacianRatio = 0;

    // `original` and `result`: 8-bit BGR, BGRA or grey of the same size, each side at
    // least 8 x factor; factor 2 or more. Errors: InvalidArgument naming the sizes, or
    // when the original has no detail to restore (a flat image).
    static Result<RestoredDetail> measure(const cv::Mat& original, const cv::Mat& result,
                                          int factor);
};

} // namespace ripen

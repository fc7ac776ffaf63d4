#pragma once

#include "common/Error.h"
#include "common/ProgressSink.h"

#include <opencv2/core.hpp>
#include <stop_token>

namespace ripen {

// One back-projection step after a neural upscale: out + up(in - down(out)), with down the
// area average over factor x factor blocks and up a Lanczos resample. The result's low band
// (what survives the area downscale) then agrees with the input, which removes the colour
// casts and brightness drift GAN-trained models leave, while the band above it (the detail
// the model drew) is kept as the model drew it. On esrgan-legacy-gans-x4 it is worth
// +0.35 dB PSNR at unchanged restored detail (docs/benchmarks.md).
//
// It walks the image in bands of output rows (about `bandPixels` each) in two steps - the
// input-sized residual in - down(out), then the correction - and checks the stop token and
// progress.cancelled() between bands. Memory beyond the image itself: the residual (float,
// the input's size: 1/factor^2 of the output) and one band in float, whatever the image
// size. The result is that of the whole-image computation (tested), whatever the bands.
class BackProjection {
public:
    static constexpr int kBandPixels = 2 * 1024 * 1024;

    // `input` and `upscaled` are CV_8UC3, `upscaled` exactly `factor` times the input's size
    // (factor >= 1). Corrects `upscaled` in place, rounding and saturating to 0..255.
    // Progress: (band, 2 x bands) with "back-projection, band i/n" messages.
    // Errors: InvalidArgument (types, sizes), Cancelled (`upscaled` then partly corrected:
    // the caller drops it).
    static Status apply(const cv::Mat& input, cv::Mat& upscaled, std::stop_token stop,
                        ProgressSink& progress, int bandPixels = kBandPixels);
};

} // namespace ripen

#pragma once

#include "common/Error.h"
#include "common/ProgressSink.h"

#include <opencv2/core.hpp>
#include <stop_token>

namespace ripen {

// The classic engine, always available: a Lanczos resample, then high frequencies added
// back only where the upscale has edges (a Canny edge map, widened by the factor), which
// sharpens contours without lifting noise in flat skies and skin.
//
// Every step walks the image in bands of rows (about two megapixels each) and checks the
// stop token and progress.cancelled() between bands, so a cancel lands within a band's
// time (a fraction of a second at 8K) instead of after a whole-image step. The result is
// that of the whole-image computation: the resample and filters read the rows they need
// around each band, and the edge map's hysteresis (not local) is its own pass over the
// strong edges found band by band.
class ClassicUpscaler {
public:
    // `image` is 8-bit with 1, 3 or 4 channels (BGR/BGRA as decodeImage() returns it);
    // `factor` 2, 3, 4 or 8. The result has the same type at `factor` times the size.
    // Progress: four steps, each counted in bands, with "step, band i/n" messages
    // ("finding edges, band 3/12").
    // `bandPixels` sets the band size (at least 8 source rows): smaller bands cancel
    // sooner and cost more overhead; the result does not depend on it.
    // Errors: InvalidArgument (factor, image type), Cancelled.
    static constexpr int kBandPixels = 2 * 1024 * 1024;
    static Result<cv::Mat> run(const cv::Mat& image, int factor, std::stop_token stop,
                               ProgressSink& progress, int bandPixels = kBandPixels);
};

} // namespace ripen

#pragma once

#include "batch/MockupTemplate.h"
#include "common/Error.h"

#include <opencv2/core/mat.hpp>

namespace ripen {

struct MockupOptions {
    // Cover crops the design's centre to the quad's aspect ratio (no distortion); Stretch
    // maps the whole design onto the quad.
    enum class Fit { Cover, Stretch };
    Fit fit = Fit::Cover;
};

// Places `design` (8-bit grey, BGR or BGRA; transparent parts show the template) on the
// template: a perspective warp of the design's corners onto the quad's corners (top-left,
// top-right, bottom-right, bottom-left), optionally wrapped round a cylinder and displaced
// by the template's shading, then multiplied with the template's shading relative to the
// brightest part of the quad. Pixels outside the quad are the template's, bit for bit; its
// edge is anti-aliased. Returns BGR of the template's size. Pure and thread-safe.
// Errors: InvalidArgument for an empty design or one of another pixel type.
Result<cv::Mat> renderMockup(const cv::Mat& design, const MockupTemplate& mockup,
                             const MockupOptions& options = {});

} // namespace ripen

#pragma once

#include "common/Error.h"
#include "imaging/PrintSize.h"

#include <opencv2/core/types.hpp>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

namespace ripen {

// What size an upscale must reach: a factor (x2, x3, x4, x8), a long side named like a
// screen (2K = 2048, 4K = 3840, 8K = 7680 px) or a print at a DPI. The size follows from
// the source image; the aspect ratio is always kept.
class UpscaleTarget {
public:
    struct Scale {
        int factor = 2;
    };
    struct LongSide {
        int pixels = 3840;
        std::string name; // "4K"
    };
    using Spec = std::variant<Scale, LongSide, PrintSize>;

    // "2", "3", "4", "8" (an optional leading 'x').
    static Result<UpscaleTarget> scale(std::string_view text);
    // "2K", "4K", "8K".
    static Result<UpscaleTarget> longSide(std::string_view text);
    // "18x24in@300": the DPI is required.
    static Result<UpscaleTarget> print(std::string_view text);

    // Any of the three: "x4", "4K", "18x24in@300".
    static Result<UpscaleTarget> parse(std::string_view text);

    const Spec& spec() const { return m_spec; }
    std::string text() const; // "x4", "4K", "18x24in@300"

    // The output size for `source`. A print is covered whole at its DPI (the print turned
    // like the image; cropping to the paper is the print step's). Errors, before any work
    // is done: InvalidArgument when the result is no enlargement of `source`, or passes
    // Ripen's image limits (kMaxImageSide, kMaxImagePixels); the message gives the sizes.
    Result<cv::Size> sizeFor(cv::Size source) const;

private:
    explicit UpscaleTarget(Spec spec) : m_spec(std::move(spec)) {}
    Spec m_spec;
};

// How to reach a target with an engine that enlarges by fixed factors: the passes to run
// in order, then one exact resize (Lanczos, or area when shrinking the last overshoot).
struct UpscalePlan {
    cv::Size source;
    cv::Size target;
    std::vector<int> passes; // model factors, e.g. {4, 2}; empty: resize only

    cv::Size afterPasses() const; // source times the product of the passes

    // The fewest passes whose product reaches the target's factor; among those, the one
    // that overshoots least (x3.75 with {2, 4} is one x4 pass; x7.5 is x4 then x2).
    // `factors` empty: the engine takes any factor, so no passes (Lanczos). `maxPasses`
    // caps chains for engines billed per pass: the rest is left to the exact resize.
    // Errors: InvalidArgument when an intermediate size would pass the image limits.
    static Result<UpscalePlan> make(cv::Size source, cv::Size target,
                                    const std::vector<int>& factors, int maxPasses = 4);
};

// InvalidArgument when `size` passes kMaxImageSide or kMaxImagePixels: "<what> is WxH,
// past Ripen's image limit (...)".
Status checkWithinImageLimits(cv::Size size, std::string_view what);

} // namespace ripen

#pragma once

#include "common/Error.h"

#include <opencv2/core/types.hpp>
#include <optional>
#include <string>
#include <string_view>

namespace ripen {

// A physical print: its size in inches and, optionally, the resolution it must reach.
// The maths every print question needs (pixels for a size at a DPI, the DPI an image gives
// at a size) and nothing else: a print-readiness verdict builds on it.
struct PrintSize {
    double widthInches = 0;
    double heightInches = 0;
    std::optional<int> dpi; // "18x24in@300"; absent in "18x24in"

    // "18x24in", "8.5x11in@300" (also "in" omitted before "@", and "18x24" alone).
    // InvalidArgument names the text when it does not parse or a size is not positive,
    // above 1000 inches, or a DPI outside 1-2400.
    static Result<PrintSize> parse(std::string_view text);

    // The print turned to the image's orientation: a landscape image prints on 24x18
    // when 18x24 was asked for, as a print shop would turn the paper.
    PrintSize orientedLike(cv::Size image) const;

    // Pixels needed to cover the print (turned like `image`) at `dpiWanted`, rounded up.
    cv::Size pixelsAt(cv::Size image, int dpiWanted) const;

    // The resolution `image` reaches over the whole print (turned like it): the smaller of
    // the two axes' pixels per inch, since the image is scaled uniformly.
    double effectiveDpi(cv::Size image) const;

    std::string text() const; // "18x24in" or "18x24in@300"
};

} // namespace ripen

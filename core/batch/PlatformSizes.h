#pragma once

#include "common/Error.h"

#include <opencv2/core/types.hpp>
#include <string>
#include <string_view>
#include <vector>

namespace ripen {

// An output size an ad platform asks for, by a name people use.
struct PlatformSize {
    std::string name; // "square", "story", "landscape"
    cv::Size size;    // pixels
    std::string usedFor;
};

// The built-in sizes: square 1080x1080 (Instagram and Facebook feeds), story 1080x1920
// (Stories, Reels, TikTok, Shorts), landscape 1200x628 (Facebook and LinkedIn link ads).
const std::vector<PlatformSize>& platformSizes();

// Parses a comma-separated list of sizes, each a built-in name or WIDTHxHEIGHT in pixels
// ("square,1200x628,800x800"); sides from 16 to 8192. Duplicates are kept once, in order.
// Errors: InvalidArgument naming the item at fault.
Result<std::vector<cv::Size>> parseSizeList(std::string_view text);

// A file-name-safe slug of `text`: ASCII letters and digits kept (lower case), everything
// else folded into single '-', at most 40 characters; "image" when nothing is left.
std::string fileSlug(std::string_view text);

// The name of an A/B test variant: "<product>-<background>-<W>x<H>-v<NN>.png", product and
// background as fileSlug()s, NN the variant's number (01, 02, ..., 100, ...).
std::string variantFileName(std::string_view product, std::string_view background, cv::Size size,
                            int number);

} // namespace ripen

#include "batch/PlatformSizes.h"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <cstdio>
#include <optional>

namespace ripen {
namespace {

constexpr int kMinSide = 16;
constexpr int kMaxSide = 8192;

std::optional<cv::Size> parseWxH(std::string_view item) {
    const auto x = item.find('x');
    if (x == std::string_view::npos) {
        return std::nullopt;
    }
    int width = 0;
    int height = 0;
    const auto w = std::from_chars(item.data(), item.data() + x, width);
    const auto h = std::from_chars(item.data() + x + 1, item.data() + item.size(), height);
    if (w.ec != std::errc{} || w.ptr != item.data() + x || h.ec != std::errc{} ||
        h.ptr != item.data() + item.size()) {
        return std::nullopt;
    }
    return cv::Size(width, height);
}

} // namespace

const std::vector<PlatformSize>& platformSizes() {
    static const std::vector<PlatformSize> sizes = {
        {"square", {1080, 1080}, "Instagram and Facebook feeds"},
        {"story", {1080, 1920}, "Stories, Reels, TikTok, Shorts"},
        {"landscape", {1200, 628}, "Facebook and LinkedIn link ads"},
    };
    return sizes;
}

Result<std::vector<cv::Size>> parseSizeList(std::string_view text) {
    std::vector<cv::Size> sizes;
    std::size_t start = 0;
    while (start <= text.size()) {
        const auto comma = std::min(text.find(',', start), text.size());
        const std::string_view item = text.substr(start, comma - start);
        start = comma + 1;
        std::optional<cv::Size> size;
        for (const auto& platform : platformSizes()) {
            if (item == platform.name) {
                size = platform.size;
            }
        }
        if (!size) {
            size = parseWxH(item);
        }
        if (!size) {
            return fail(ErrorCode::InvalidArgument,
                        "size '" + std::string(item) +
                            "' is neither WIDTHxHEIGHT nor square, story or landscape");
        }
        if (std::min(size->width, size->height) < kMinSide ||
            std::max(size->width, size->height) > kMaxSide) {
            return fail(ErrorCode::InvalidArgument,
                        "size '" + std::string(item) + "' is outside 16 to 8192 pixels a side");
        }
        if (std::ranges::find(sizes, *size) == sizes.end()) {
            sizes.push_back(*size);
        }
    }
    return sizes;
}

std::string fileSlug(std::string_view text) {
    std::string slug;
    for (const char c : text) {
        const auto u = static_cast<unsigned char>(c);
        if (u < 0x80 && std::isalnum(u)) {
            slug += static_cast<char>(std::tolower(u));
        } else if (!slug.empty() && slug.back() != '-') {
            slug += '-';
        }
        if (slug.size() >= 40) {
            break;
        }
    }
    while (!slug.empty() && slug.back() == '-') {
        slug.pop_back();
    }
    return slug.empty() ? "image" : slug;
}

std::string variantFileName(std::string_view product, std::string_view background, cv::Size size,
                            int number) {
    char suffix[48];
    std::snprintf(suffix, sizeof suffix, "-%dx%d-v%02d.png", size.width, size.height, number);
    return fileSlug(product) + "-" + fileSlug(background) + suffix;
}

} // namespace ripen

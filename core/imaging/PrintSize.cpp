#include "imaging/PrintSize.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdio>

namespace ripen {
namespace {

constexpr double kMaxInches = 1000;
constexpr int kMaxDpi = 2400;

// A positive decimal number at the front of `text`, consumed.
std::optional<double> takeNumber(std::string_view& text) {
    double value = 0;
    const auto [end, ec] =
        std::from_chars(text.data(), text.data() + text.size(), value, std::chars_format::fixed);
    if (ec != std::errc{} || end == text.data()) {
        return std::nullopt;
    }
    text.remove_prefix(static_cast<std::size_t>(end - text.data()));
    return value;
}

bool takePrefix(std::string_view& text, std::string_view prefix) {
    if (!text.starts_with(prefix)) {
        return false;
    }
    text.remove_prefix(prefix.size());
    return true;
}

std::string number(double value) {
    char buffer[32];
    std::snprintf(buffer, sizeof buffer, "%g", value);
    return buffer;
}

} // namespace

Result<PrintSize> PrintSize::parse(std::string_view text) {
    const std::string quoted = "'" + std::string(text.substr(0, 64)) + "'";
    const auto wrong = [&] {
        return fail(ErrorCode::InvalidArgument,
                    "print size " + quoted + " is not WIDTHxHEIGHTin[@DPI], e.g. 18x24in@300");
    };
    std::string_view rest = text;
    PrintSize size;
    const auto width = takeNumber(rest);
    if (!width || !takePrefix(rest, "x")) {
        return wrong();
    }
    const auto height = takeNumber(rest);
    if (!height) {
        return wrong();
    }
    size.widthInches = *width;
    size.heightInches = *height;
    takePrefix(rest, "in");
    if (takePrefix(rest, "@")) {
        int dpi = 0;
        const auto [end, ec] = std::from_chars(rest.data(), rest.data() + rest.size(), dpi);
        if (ec != std::errc{} || end == rest.data()) {
            return wrong();
        }
        rest.remove_prefix(static_cast<std::size_t>(end - rest.data()));
        takePrefix(rest, "dpi");
        size.dpi = dpi;
    }
    if (!rest.empty()) {
        return wrong();
    }
    if (size.widthInches <= 0 || size.heightInches <= 0 || size.widthInches > kMaxInches ||
        size.heightInches > kMaxInches) {
        return fail(ErrorCode::InvalidArgument,
                    "print size " + quoted + ": each side must be above 0 and at most 1000 in");
    }
    if (size.dpi && (*size.dpi < 1 || *size.dpi > kMaxDpi)) {
        return fail(ErrorCode::InvalidArgument,
                    "print size " + quoted + ": the DPI must be between 1 and 2400");
    }
    return size;
}

PrintSize PrintSize::orientedLike(cv::Size image) const {
    const bool imageLandscape = image.width > image.height;
    const bool printLandscape = widthInches > heightInches;
    if (image.width == image.height || imageLandscape == printLandscape ||
        widthInches == heightInches) {
        return *this;
    }
    PrintSize turned = *this;
    std::swap(turned.widthInches, turned.heightInches);
    return turned;
}

cv::Size PrintSize::pixelsAt(cv::Size image, int dpiWanted) const {
    const PrintSize turned = orientedLike(image);
    return {static_cast<int>(std::ceil(turned.widthInches * dpiWanted - 1e-9)),
            static_cast<int>(std::ceil(turned.heightInches * dpiWanted - 1e-9))};
}

double PrintSize::effectiveDpi(cv::Size image) const {
    const PrintSize turned = orientedLike(image);
    return std::min(image.width / turned.widthInches, image.height / turned.heightInches);
}

std::string PrintSize::text() const {
    std::string out = number(widthInches) + "x" + number(heightInches) + "in";
    if (dpi) {
        out += "@" + std::to_string(*dpi);
    }
    return out;
}

} // namespace ripen

#include "credits/Money.h"

#include <limits>

namespace ripen {
namespace {
// 128-bit intermediates: GCC extension, spelled once so -Wpedantic stays quiet elsewhere.
__extension__ using Int128 = __int128;
} // namespace

Result<Micros> parseMicros(std::string_view text, std::string_view field) {
    const auto refuse = [&](const char* why) {
        return fail(ErrorCode::InvalidArgument,
                    std::string(field) + " '" + std::string(text) + "' is not a decimal amount: " +
                        why);
    };
    std::string_view s = text;
    bool negative = false;
    if (!s.empty() && (s[0] == '-' || s[0] == '+')) {
        negative = s[0] == '-';
        s.remove_prefix(1);
    }
    if (s.empty()) {
        return refuse("no digits");
    }
    Int128 whole = 0;
    Int128 fraction = 0;
    int fractionDigits = 0;
    bool seenPoint = false;
    bool seenDigit = false;
    for (const char c : s) {
        if (c == '.' && !seenPoint) {
            seenPoint = true;
            continue;
        }
        if (c < '0' || c > '9') {
            return refuse("only digits and one '.' are allowed");
        }
        seenDigit = true;
        if (seenPoint) {
            if (++fractionDigits > 6) {
                return refuse("more than six decimals");
            }
            fraction = fraction * 10 + (c - '0');
        } else {
            whole = whole * 10 + (c - '0');
            if (whole > std::numeric_limits<Micros>::max() / kMicrosPerUnit) {
                return refuse("too large");
            }
        }
    }
    if (!seenDigit) {
        return refuse("no digits");
    }
    for (int i = fractionDigits; i < 6; ++i) {
        fraction *= 10;
    }
    const auto value = static_cast<Micros>(whole * kMicrosPerUnit + fraction);
    return negative ? -value : value;
}

std::string formatMicros(Micros amount) {
    const bool negative = amount < 0;
    const unsigned long long magnitude =
        negative ? 0ULL - static_cast<unsigned long long>(amount) : static_cast<unsigned long long>(amount);
    std::string fraction = std::to_string(magnitude % kMicrosPerUnit);
    fraction.insert(0, 6 - fraction.size(), '0');
    while (fraction.size() > 2 && fraction.back() == '0') {
        fraction.pop_back();
    }
    return (negative ? "-" : "") + std::to_string(magnitude / kMicrosPerUnit) + "." + fraction;
}

Micros mulDivCeil(Micros a, std::int64_t b, std::int64_t c) {
    const Int128 product = static_cast<Int128>(a) * b;
    Int128 quotient = product / c;
    if (product % c != 0 && (product > 0) == (c > 0)) {
        quotient += 1;
    }
    return static_cast<Micros>(quotient);
}

} // namespace ripen

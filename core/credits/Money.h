#pragma once

#include "common/Error.h"

#include <cstdint>
#include <string>
#include <string_view>

namespace ripen {

// Amounts are integer micro-units (1e-6) of a currency or a credit; never floating point.
using Micros = std::int64_t;

inline constexpr Micros kMicrosPerUnit = 1'000'000;

// "0.039" -> 39000, "12" -> 12000000, "-1.5" -> -1500000. At most six decimals; anything
// else (exponents, commas, spaces, overflow) is refused with a message naming `field`.
Result<Micros> parseMicros(std::string_view decimal, std::string_view field = "amount");

// 39000 -> "0.039", 12000000 -> "12.00": at least two decimals, trailing zeros trimmed
// beyond them, so a price of a fraction of a cent keeps its digits.
std::string formatMicros(Micros amount);

// a * b / c rounded up (away from zero for positives), in 128-bit so that token counts
// times per-million prices cannot overflow.
Micros mulDivCeil(Micros a, std::int64_t b, std::int64_t c);

} // namespace ripen

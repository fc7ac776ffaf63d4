#pragma once

#include <cstdint>

namespace ripen {

// Limits for untrusted images, checked against the header before any decoder allocates.
// Qt 6.4 refuses anything over 128 MiB with a message indistinguishable from corruption,
// and libpng/libjpeg-turbo/libwebp have a history of crafted-input bugs, so Ripen decides
// from the header itself and says why.

// 16384 px covers 16K masters and print files; larger sides are almost always hostile.
inline constexpr std::uint32_t kMaxImageSide = 16384;

// 2^28 px = 16384 x 16384: 1 GiB as 8-bit BGRA. Kept separately from the side limit so
// either can move without the other.
inline constexpr std::uint64_t kMaxImagePixels = 268'435'456;

// Largest encoded image file read into memory.
inline constexpr std::uint64_t kMaxImageFileBytes = 1ULL << 30;

} // namespace ripen

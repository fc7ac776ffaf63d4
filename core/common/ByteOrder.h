#pragma once

#include <cstddef>
#include <cstdint>
#include <string_view>

namespace ripen {

// Unaligned integer reads from untrusted bytes. The caller has already checked that
// `offset + width` lies inside `bytes`; these never bounds-check so hot loops stay cheap.

inline std::uint32_t byteAt(std::string_view bytes, std::size_t offset) {
    return static_cast<unsigned char>(bytes[offset]);
}

inline std::uint16_t readBe16(std::string_view bytes, std::size_t offset) {
    return static_cast<std::uint16_t>(byteAt(bytes, offset) << 8 | byteAt(bytes, offset + 1));
}

inline std::uint32_t readBe32(std::string_view bytes, std::size_t offset) {
    return byteAt(bytes, offset) << 24 | byteAt(bytes, offset + 1) << 16 |
           byteAt(bytes, offset + 2) << 8 | byteAt(bytes, offset + 3);
}

inline std::uint64_t readBe64(std::string_view bytes, std::size_t offset) {
    return std::uint64_t{readBe32(bytes, offset)} << 32 | readBe32(bytes, offset + 4);
}

inline std::uint16_t readLe16(std::string_view bytes, std::size_t offset) {
    return static_cast<std::uint16_t>(byteAt(bytes, offset) | byteAt(bytes, offset + 1) << 8);
}

inline std::uint32_t readLe24(std::string_view bytes, std::size_t offset) {
    return byteAt(bytes, offset) | byteAt(bytes, offset + 1) << 8 | byteAt(bytes, offset + 2) << 16;
}

inline std::uint32_t readLe32(std::string_view bytes, std::size_t offset) {
    return readLe24(bytes, offset) | byteAt(bytes, offset + 3) << 24;
}

// True when `length` bytes starting at `offset` lie inside a buffer of `size` bytes, written
// so that a huge untrusted `length` cannot overflow the addition.
inline bool fitsIn(std::size_t size, std::size_t offset, std::uint64_t length) {
    return offset <= size && length <= size - offset;
}

// Reads an EBML (Matroska/WebM) variable-length integer at `offset`. Returns its width in
// bytes, or 0 when it is invalid or runs past the buffer. Element ids keep their length
// marker bit (`keepMarker`); sizes drop it. A size whose value bits are all ones means
// "unknown" (see isEbmlUnknownSize).
inline std::size_t readEbmlVint(std::string_view bytes, std::size_t offset, bool keepMarker,
                                std::uint64_t& value) {
    if (offset >= bytes.size()) {
        return 0;
    }
    const std::uint32_t first = byteAt(bytes, offset);
    std::size_t width = 1;
    while (width <= 8 && (first & (0x80U >> (width - 1))) == 0) {
        ++width;
    }
    if (width > 8 || !fitsIn(bytes.size(), offset, width)) {
        return 0;
    }
    value = keepMarker ? first : (first & ((0x80U >> (width - 1)) - 1));
    for (std::size_t i = 1; i < width; ++i) {
        value = value << 8 | byteAt(bytes, offset + i);
    }
    return width;
}

inline bool isEbmlUnknownSize(std::uint64_t size, std::size_t width) {
    return size == (std::uint64_t{1} << (7 * width)) - 1;
}

} // namespace ripen

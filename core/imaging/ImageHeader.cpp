#include "imaging/ImageHeader.h"

#include "common/ByteOrder.h"
#include "imaging/ImageLimits.h"

#include <string>
#include <zlib.h>

namespace ripen {
namespace {

std::unexpected<Error> corrupt(MediaFormat format, const std::string& what) {
    return fail(ErrorCode::Corrupt, std::string(toString(format)) + " header is damaged: " + what);
}

std::unexpected<Error> truncated(MediaFormat format, std::size_t need, std::size_t have) {
    return fail(ErrorCode::Corrupt,
                std::string(toString(format)) + " file is truncated: its header needs " +
                    std::to_string(need) + " bytes, the file has " + std::to_string(have));
}

// --- PNG: signature, then IHDR must be the first chunk (PNG spec 5.6). ---

Result<ImageHeader> readPngHeader(std::string_view b) {
    constexpr std::size_t kIhdrEnd = 8 + 4 + 4 + 13 + 4;
    if (b.size() < kIhdrEnd) {
        return truncated(MediaFormat::Png, kIhdrEnd, b.size());
    }
    if (readBe32(b, 8) != 13 || b.substr(12, 4) != "IHDR") {
        return corrupt(MediaFormat::Png, "the first chunk is not a 13-byte IHDR");
    }
    // The CRC covers the chunk type and data. Checking it here turns a bit flip in the
    // size fields into "damaged" instead of a wrong size.
    const auto* crcInput = reinterpret_cast<const Bytef*>(b.data() + 12);
    const auto crc = static_cast<std::uint32_t>(crc32(crc32(0, nullptr, 0), crcInput, 17));
    if (crc != readBe32(b, 29)) {
        return corrupt(MediaFormat::Png, "IHDR checksum mismatch");
    }
    ImageHeader header;
    header.format = MediaFormat::Png;
    header.width = readBe32(b, 16);
    header.height = readBe32(b, 20);
    header.bitDepth = static_cast<int>(byteAt(b, 24));
    const std::uint32_t colourType = byteAt(b, 25);
    if (header.width == 0 || header.height == 0 || header.width > 0x7FFFFFFFU ||
        header.height > 0x7FFFFFFFU) {
        return corrupt(MediaFormat::Png, "IHDR size " + std::to_string(header.width) + "x" +
                                             std::to_string(header.height) + " is out of range");
    }
    switch (colourType) {
    case 0:
        header.channels = 1;
        break;
    case 2:
        header.channels = 3;
        break;
    case 3:
        header.channels = 1;
        break;
    case 4:
        header.channels = 2;
        header.hasAlpha = true;
        break;
    case 6:
        header.channels = 4;
        header.hasAlpha = true;
        break;
    default:
        return corrupt(MediaFormat::Png, "unknown colour type " + std::to_string(colourType));
    }
    const int depth = header.bitDepth;
    if (depth != 1 && depth != 2 && depth != 4 && depth != 8 && depth != 16) {
        return corrupt(MediaFormat::Png, "invalid bit depth " + std::to_string(depth));
    }
    return header;
}

// --- JPEG: walk marker segments to the first SOFn. ---

bool isStartOfFrame(std::uint32_t marker) {
    // C4 (DHT), C8 (JPG extension) and CC (DAC) share the range but are not frames.
    return marker >= 0xC0 && marker <= 0xCF && marker != 0xC4 && marker != 0xC8 && marker != 0xCC;
}

Result<ImageHeader> readJpegHeader(std::string_view b) {
    std::size_t pos = 2; // after SOI
    while (true) {
        if (pos >= b.size()) {
            return corrupt(MediaFormat::Jpeg, "the file ends before its frame header (SOF)");
        }
        if (byteAt(b, pos) != 0xFF) {
            return corrupt(MediaFormat::Jpeg, "expected a marker at byte " + std::to_string(pos));
        }
        // Any number of 0xFF fill bytes may precede a marker (ITU T.81 B.1.1.2).
        while (pos < b.size() && byteAt(b, pos) == 0xFF) {
            ++pos;
        }
        if (pos >= b.size()) {
            return corrupt(MediaFormat::Jpeg, "the file ends before its frame header (SOF)");
        }
        const std::uint32_t marker = byteAt(b, pos++);
        if (marker == 0x01 || (marker >= 0xD0 && marker <= 0xD7)) {
            continue; // TEM and RSTn stand alone
        }
        if (marker == 0x00 || marker == 0xD8) {
            return corrupt(MediaFormat::Jpeg, "unexpected marker in the header");
        }
        if (marker == 0xD9 || marker == 0xDA) {
            return corrupt(MediaFormat::Jpeg, "image data starts before any frame header (SOF)");
        }
        if (!fitsIn(b.size(), pos, 2)) {
            return corrupt(MediaFormat::Jpeg, "the file ends inside a segment length");
        }
        const std::uint16_t length = readBe16(b, pos);
        if (length < 2) {
            return corrupt(MediaFormat::Jpeg, "segment length " + std::to_string(length) +
                                                  " at byte " + std::to_string(pos));
        }
        if (!isStartOfFrame(marker)) {
            pos += length; // APPn, COM, DQT, DHT, DRI...: only the length matters here
            continue;
        }
        if (length < 8 || !fitsIn(b.size(), pos, length)) {
            return corrupt(MediaFormat::Jpeg, "the frame header (SOF) is cut short");
        }
        ImageHeader header;
        header.format = MediaFormat::Jpeg;
        header.bitDepth = static_cast<int>(byteAt(b, pos + 2));
        header.height = readBe16(b, pos + 3);
        header.width = readBe16(b, pos + 5);
        header.channels = static_cast<int>(byteAt(b, pos + 7));
        if (header.height == 0) {
            return fail(ErrorCode::Unsupported,
                        "JPEG gives its height in a DNL marker, which Ripen does not read");
        }
        if (header.width == 0 || header.channels == 0) {
            return corrupt(MediaFormat::Jpeg, "the frame header (SOF) has a zero width or no "
                                              "colour components");
        }
        if (length < 8 + 3 * header.channels) {
            return corrupt(MediaFormat::Jpeg, "the frame header (SOF) is shorter than its "
                                              "component list");
        }
        return header;
    }
}

// --- WebP: RIFF container, first chunk VP8, VP8L or VP8X. ---

Result<ImageHeader> readWebpHeader(std::string_view b) {
    constexpr std::size_t kChunkData = 20;
    if (b.size() < kChunkData) {
        return truncated(MediaFormat::Webp, kChunkData, b.size());
    }
    const std::string_view fourcc = b.substr(12, 4);
    const std::uint32_t chunkSize = readLe32(b, 16);
    ImageHeader header;
    header.format = MediaFormat::Webp;
    header.bitDepth = 8;
    header.channels = 3;
    const auto need = [&](std::size_t dataBytes) -> Status {
        if (chunkSize < dataBytes) {
            return corrupt(MediaFormat::Webp, std::string(fourcc) + " chunk is too small");
        }
        if (b.size() < kChunkData + dataBytes) {
            return truncated(MediaFormat::Webp, kChunkData + dataBytes, b.size());
        }
        return {};
    };
    if (fourcc == "VP8 ") {
        // Lossy: 3-byte frame tag, start code 9D 01 2A, then 14-bit sizes (RFC 6386 9.1).
        if (auto ok = need(10); !ok) {
            return std::unexpected(ok.error());
        }
        if ((byteAt(b, kChunkData) & 1) != 0) {
            return corrupt(MediaFormat::Webp, "VP8 bitstream does not start with a key frame");
        }
        if (b.substr(kChunkData + 3, 3) != "\x9d\x01\x2a") {
            return corrupt(MediaFormat::Webp, "VP8 start code missing");
        }
        header.width = readLe16(b, kChunkData + 6) & 0x3FFFU;
        header.height = readLe16(b, kChunkData + 8) & 0x3FFFU;
    } else if (fourcc == "VP8L") {
        // Lossless: signature 0x2F, then 14-bit width-1, 14-bit height-1, alpha, version.
        if (auto ok = need(5); !ok) {
            return std::unexpected(ok.error());
        }
        if (byteAt(b, kChunkData) != 0x2F) {
            return corrupt(MediaFormat::Webp, "VP8L signature missing");
        }
        const std::uint32_t bits = readLe32(b, kChunkData + 1);
        if ((bits >> 29) != 0) {
            return corrupt(MediaFormat::Webp, "unknown VP8L version " + std::to_string(bits >> 29));
        }
        header.width = (bits & 0x3FFFU) + 1;
        header.height = ((bits >> 14) & 0x3FFFU) + 1;
        header.hasAlpha = ((bits >> 28) & 1U) != 0;
    } else if (fourcc == "VP8X") {
        // Extended: flags, 3 reserved bytes, 24-bit canvas width-1 and height-1.
        if (auto ok = need(10); !ok) {
            return std::unexpected(ok.error());
        }
        header.hasAlpha = (byteAt(b, kChunkData) & 0x10U) != 0;
        header.width = readLe24(b, kChunkData + 4) + 1;
        header.height = readLe24(b, kChunkData + 7) + 1;
    } else {
        return corrupt(MediaFormat::Webp, "unknown first chunk '" + std::string(fourcc) + "'");
    }
    if (header.hasAlpha) {
        header.channels = 4;
    }
    if (header.width == 0 || header.height == 0) {
        return corrupt(MediaFormat::Webp, "zero width or height");
    }
    return header;
}

// --- TIFF: the first IFD's ImageWidth (256) and ImageLength (257). ---

class TiffReader {
public:
    TiffReader(std::string_view bytes, bool littleEndian) : m_b(bytes), m_le(littleEndian) {}
    std::uint16_t u16(std::size_t at) const { return m_le ? readLe16(m_b, at) : readBe16(m_b, at); }
    std::uint32_t u32(std::size_t at) const { return m_le ? readLe32(m_b, at) : readBe32(m_b, at); }

private:
    std::string_view m_b;
    bool m_le;
};

Result<ImageHeader> readTiffHeader(std::string_view b) {
    constexpr std::uint16_t kShort = 3;
    constexpr std::uint16_t kLong = 4;
    constexpr std::size_t kEntryBytes = 12;
    if (b.size() < 8) {
        return truncated(MediaFormat::Tiff, 8, b.size());
    }
    const TiffReader r(b, b[0] == 'I');
    if (r.u16(2) == 43) {
        return fail(ErrorCode::Unsupported, "BigTIFF files are not supported");
    }
    const std::uint32_t ifd = r.u32(4);
    if (ifd < 8) {
        return corrupt(MediaFormat::Tiff, "first IFD offset " + std::to_string(ifd) +
                                              " points into "
                                              "the file header");
    }
    if (!fitsIn(b.size(), ifd, 2)) {
        return truncated(MediaFormat::Tiff, std::size_t{ifd} + 2, b.size());
    }
    const std::size_t count = r.u16(ifd);
    const std::size_t entries = std::size_t{ifd} + 2;
    if (!fitsIn(b.size(), entries, count * kEntryBytes)) {
        return truncated(MediaFormat::Tiff, entries + count * kEntryBytes, b.size());
    }
    ImageHeader header;
    header.format = MediaFormat::Tiff;
    header.channels = 1; // TIFF 6.0 defaults: SamplesPerPixel 1, BitsPerSample 1
    header.bitDepth = 1;
    bool haveWidth = false;
    bool haveHeight = false;
    bool declaredAlpha = false;
    std::uint32_t photometric = 2; // RGB unless stated
    for (std::size_t i = 0; i < count; ++i) {
        const std::size_t at = entries + i * kEntryBytes;
        const std::uint16_t tag = r.u16(at);
        const std::uint16_t type = r.u16(at + 2);
        const std::uint32_t valueCount = r.u32(at + 4);
        // A SHORT value sits in the first two bytes of the value field in either byte order.
        const auto value = [&]() -> std::uint32_t {
            return type == kShort ? r.u16(at + 8) : r.u32(at + 8);
        };
        const bool numeric = (type == kShort || type == kLong) && valueCount >= 1;
        switch (tag) {
        case 256:
        case 257:
            if (!numeric || valueCount != 1) {
                return corrupt(MediaFormat::Tiff, "image size tag " + std::to_string(tag) +
                                                      " is not a single SHORT or LONG");
            }
            (tag == 256 ? header.width : header.height) = value();
            (tag == 256 ? haveWidth : haveHeight) = true;
            break;
        case 258: // BitsPerSample: one per sample; inline when they fit in 4 bytes
            if (type == kShort && valueCount <= 2) {
                header.bitDepth = r.u16(at + 8);
            } else if (type == kShort && fitsIn(b.size(), r.u32(at + 8), 2)) {
                header.bitDepth = r.u16(r.u32(at + 8));
            }
            break;
        case 262: // PhotometricInterpretation
            if (numeric) {
                photometric = value();
            }
            break;
        case 277: // SamplesPerPixel
            if (numeric) {
                header.channels = static_cast<int>(value());
            }
            break;
        case 338: // ExtraSamples: 1 associated or 2 unassociated alpha
            if (type == kShort && valueCount == 1) {
                declaredAlpha = r.u16(at + 8) == 1 || r.u16(at + 8) == 2;
            }
            break;
        default:
            break;
        }
    }
    // Writers (OpenCV among them) often omit ExtraSamples; libtiff-based decoders then
    // still hand the sample beyond the colour ones back as alpha, so count it as alpha.
    const bool greyOrRgb = photometric <= 2;
    const int colourSamples = photometric == 2 ? 3 : 1;
    header.hasAlpha = declaredAlpha || (greyOrRgb && header.channels > colourSamples);
    if (!haveWidth || !haveHeight) {
        return corrupt(MediaFormat::Tiff, "the first IFD has no ImageWidth or ImageLength");
    }
    if (header.width == 0 || header.height == 0) {
        return corrupt(MediaFormat::Tiff, "zero width or height");
    }
    return header;
}

} // namespace

Result<ImageHeader> readImageHeader(std::string_view bytes) {
    if (bytes.empty()) {
        return fail(ErrorCode::Corrupt, "the file is empty");
    }
    const MediaFormat format = sniffMediaFormat(bytes.substr(0, kMediaSniffBytes));
    switch (format) {
    case MediaFormat::Png:
        return readPngHeader(bytes);
    case MediaFormat::Jpeg:
        return readJpegHeader(bytes);
    case MediaFormat::Webp:
        return readWebpHeader(bytes);
    case MediaFormat::Tiff:
        return readTiffHeader(bytes);
    case MediaFormat::Mp4:
    case MediaFormat::Mov:
    case MediaFormat::Webm:
        return fail(ErrorCode::Unsupported,
                    std::string("a ") + toString(format) + " video is not an image");
    case MediaFormat::Unknown:
        break;
    }
    return fail(ErrorCode::Unsupported,
                "not a PNG, JPEG, WebP or TIFF image (unrecognised leading bytes)");
}

Status checkImageLimits(const ImageHeader& header) {
    const std::uint64_t pixels = std::uint64_t{header.width} * header.height;
    if (header.width <= kMaxImageSide && header.height <= kMaxImageSide &&
        pixels <= kMaxImagePixels) {
        return {};
    }
    return fail(ErrorCode::LimitExceeded,
                std::string(toString(header.format)) + " header claims " +
                    std::to_string(header.width) + "x" + std::to_string(header.height) +
                    " pixels; Ripen accepts at most " + std::to_string(kMaxImageSide) +
                    " px a side and " + std::to_string(kMaxImagePixels / 1'000'000) +
                    " million pixels");
}

} // namespace ripen

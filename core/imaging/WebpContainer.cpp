#include "imaging/WebpContainer.h"

#include "common/ByteOrder.h"

#include <vector>

namespace ripen {
namespace {

constexpr std::size_t kRiffHeader = 12; // "RIFF", size, "WEBP"
constexpr std::size_t kChunkHeader = 8; // fourcc, size
constexpr std::uint8_t kFlagIcc = 0x20;
constexpr std::uint8_t kFlagAlpha = 0x10;
constexpr std::uint8_t kFlagExif = 0x08;
constexpr std::uint8_t kFlagXmp = 0x04;
constexpr std::uint8_t kFlagAnimation = 0x02;

struct Chunk {
    std::string_view fourcc;
    std::string_view payload;
};

struct Parsed {
    std::vector<Chunk> chunks;
    std::uint32_t width = 0;
    std::uint32_t height = 0;
    bool alpha = false;
};

Error corrupt(const std::string& what) {
    return Error{ErrorCode::Corrupt, "WebP damaged: " + what};
}

Result<std::vector<Chunk>> splitChunks(std::string_view webp) {
    if (webp.size() < kRiffHeader || webp.substr(0, 4) != "RIFF" || webp.substr(8, 4) != "WEBP") {
        return std::unexpected(corrupt("no RIFF WEBP header"));
    }
    const std::uint64_t riffEnd = std::uint64_t{readLe32(webp, 4)} + 8;
    if (riffEnd > webp.size()) {
        return std::unexpected(
            corrupt("the file ends before its RIFF size (" + std::to_string(riffEnd) + " bytes)"));
    }
    std::vector<Chunk> chunks;
    std::size_t offset = kRiffHeader;
    while (offset + kChunkHeader <= riffEnd) {
        const std::uint32_t size = readLe32(webp, offset + 4);
        if (!fitsIn(static_cast<std::size_t>(riffEnd), offset + kChunkHeader, size)) {
            return std::unexpected(corrupt("the " + std::string(webp.substr(offset, 4)) +
                                           " chunk at byte " + std::to_string(offset) +
                                           " runs past the end"));
        }
        if (chunks.size() == WebpContainer::kMaxChunkCount) {
            return fail(ErrorCode::LimitExceeded,
                        "WebP has more than " + std::to_string(WebpContainer::kMaxChunkCount) +
                            " chunks");
        }
        chunks.push_back({webp.substr(offset, 4), webp.substr(offset + kChunkHeader, size)});
        offset += kChunkHeader + size + (size & 1U);
    }
    return chunks;
}

// Canvas size and alpha from VP8X, or from the bitstream header of a simple file.
bool readGeometry(Parsed& parsed) {
    for (const auto& chunk : parsed.chunks) {
        const auto& p = chunk.payload;
        if (chunk.fourcc == "VP8X" && p.size() >= 10) {
            parsed.alpha = (static_cast<std::uint8_t>(p[0]) & kFlagAlpha) != 0;
            parsed.width = readLe24(p, 4) + 1;
            parsed.height = readLe24(p, 7) + 1;
            return true;
        }
        if (chunk.fourcc == "VP8 " && p.size() >= 10 && p.substr(3, 3) == "\x9d\x01\x2a") {
            parsed.width = readLe16(p, 6) & 0x3FFFU;
            parsed.height = readLe16(p, 8) & 0x3FFFU;
            return true;
        }
        if (chunk.fourcc == "VP8L" && p.size() >= 5 && p[0] == '\x2f') {
            const std::uint32_t bits = readLe32(p, 1);
            parsed.width = (bits & 0x3FFFU) + 1;
            parsed.height = ((bits >> 14) & 0x3FFFU) + 1;
            parsed.alpha = ((bits >> 28) & 1U) != 0;
            return true;
        }
    }
    return false;
}

Result<Parsed> parse(std::string_view webp) {
    auto chunks = splitChunks(webp);
    if (!chunks) {
        return std::unexpected(chunks.error());
    }
    Parsed parsed{std::move(*chunks)};
    for (const auto& chunk : parsed.chunks) {
        const bool animatedFlag = chunk.fourcc == "VP8X" && !chunk.payload.empty() &&
                                  (static_cast<std::uint8_t>(chunk.payload[0]) & kFlagAnimation);
        if (animatedFlag || chunk.fourcc == "ANIM" || chunk.fourcc == "ANMF") {
            return fail(ErrorCode::Unsupported, "animated WebP files are not supported");
        }
        parsed.alpha = parsed.alpha || chunk.fourcc == "ALPH";
    }
    if (!readGeometry(parsed) || parsed.width == 0 || parsed.height == 0) {
        return std::unexpected(corrupt("no VP8X, VP8 or VP8L image header"));
    }
    return parsed;
}

void appendLe(std::string& out, std::uint32_t value, int bytes) {
    for (int i = 0; i < bytes; ++i) {
        out += static_cast<char>((value >> (8 * i)) & 0xFFU);
    }
}

void appendChunk(std::string& out, std::string_view fourcc, std::string_view payload) {
    out += fourcc;
    appendLe(out, static_cast<std::uint32_t>(payload.size()), 4);
    out += payload;
    if (payload.size() % 2 != 0) {
        out += '\0';
    }
}

std::string_view findChunk(const Parsed& parsed, std::string_view fourcc) {
    for (const auto& chunk : parsed.chunks) {
        if (chunk.fourcc == fourcc) {
            return chunk.payload;
        }
    }
    return {};
}

bool isMetadataOrHeader(std::string_view fourcc) {
    return fourcc == "VP8X" || fourcc == "ICCP" || fourcc == "EXIF" || fourcc == "XMP ";
}

bool isImageData(std::string_view fourcc) {
    return fourcc == "ALPH" || fourcc == "VP8 " || fourcc == "VP8L";
}

} // namespace

Result<WebpContainer::Metadata> WebpContainer::read(std::string_view webp) {
    auto parsed = parse(webp);
    if (!parsed) {
        return std::unexpected(parsed.error());
    }
    return Metadata{std::string(findChunk(*parsed, "ICCP")),
                    std::string(findChunk(*parsed, "EXIF")),
                    std::string(findChunk(*parsed, "XMP "))};
}

Result<std::string> WebpContainer::withMetadata(std::string_view webp, const Metadata& update) {
    auto parsed = parse(webp);
    if (!parsed) {
        return std::unexpected(parsed.error());
    }
    const std::string_view icc = update.icc.empty() ? findChunk(*parsed, "ICCP") : update.icc;
    const std::string_view exif = update.exif.empty() ? findChunk(*parsed, "EXIF") : update.exif;
    const std::string_view xmp = update.xmp.empty() ? findChunk(*parsed, "XMP ") : update.xmp;

    std::string header;
    header += static_cast<char>((icc.empty() ? 0 : kFlagIcc) | (parsed->alpha ? kFlagAlpha : 0) |
                                (exif.empty() ? 0 : kFlagExif) | (xmp.empty() ? 0 : kFlagXmp));
    header.append(3, '\0');
    appendLe(header, parsed->width - 1, 3);
    appendLe(header, parsed->height - 1, 3);

    // The order the specification requires: VP8X, ICCP, image data, EXIF, XMP; chunks Ripen
    // does not know are kept after the image data.
    std::string body = "WEBP";
    appendChunk(body, "VP8X", header);
    if (!icc.empty()) {
        appendChunk(body, "ICCP", icc);
    }
    for (const auto& chunk : parsed->chunks) {
        if (isImageData(chunk.fourcc)) {
            appendChunk(body, chunk.fourcc, chunk.payload);
        }
    }
    for (const auto& chunk : parsed->chunks) {
        if (!isImageData(chunk.fourcc) && !isMetadataOrHeader(chunk.fourcc)) {
            appendChunk(body, chunk.fourcc, chunk.payload);
        }
    }
    if (!exif.empty()) {
        appendChunk(body, "EXIF", exif);
    }
    if (!xmp.empty()) {
        appendChunk(body, "XMP ", xmp);
    }
    if (body.size() > 0xFFFFFFF0U) {
        return fail(ErrorCode::LimitExceeded, "WebP with this metadata would pass 4 GiB");
    }
    std::string out = "RIFF";
    appendLe(out, static_cast<std::uint32_t>(body.size()), 4);
    return out + body;
}

} // namespace ripen

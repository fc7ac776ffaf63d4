#include "imaging/PngChunks.h"

#include "common/TextEncoding.h"

#include <algorithm>
#include <array>
#include <expected>
#include <optional>
#include <zlib.h>

namespace ripen {
namespace {

constexpr std::size_t kChunkOverhead = 12; // length, type, CRC

std::uint32_t readBe32At(std::string_view bytes, std::size_t offset) {
    std::uint32_t value = 0;
    for (std::size_t i = 0; i < 4; ++i) {
        value = value << 8 | static_cast<unsigned char>(bytes[offset + i]);
    }
    return value;
}

void appendBe32(std::string& out, std::uint32_t value) {
    for (int shift = 24; shift >= 0; shift -= 8) {
        out += static_cast<char>((value >> shift) & 0xFF);
    }
}

bool isChunkTypeByte(char c) {
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z');
}

// PNG lengths are at most 2^31-1, so every chunk fits zlib's 32-bit length type.
std::uint32_t chunkCrc(std::string_view type, std::string_view data) {
    uLong crc = crc32(0L, Z_NULL, 0);
    crc = crc32(crc, reinterpret_cast<const Bytef*>(type.data()), static_cast<uInt>(type.size()));
    crc = crc32(crc, reinterpret_cast<const Bytef*>(data.data()), static_cast<uInt>(data.size()));
    return static_cast<std::uint32_t>(crc);
}

bool isTextChunkType(std::string_view type) {
    return type == "tEXt" || type == "zTXt" || type == "iTXt";
}

// Owns an inflate stream so that every exit path releases zlib's state.
class InflateStream {
public:
    InflateStream() { m_ok = inflateInit(&m_stream) == Z_OK; }
    ~InflateStream() {
        if (m_ok) {
            inflateEnd(&m_stream);
        }
    }
    InflateStream(const InflateStream&) = delete;
    InflateStream& operator=(const InflateStream&) = delete;

    bool ok() const { return m_ok; }
    z_stream& get() { return m_stream; }

private:
    z_stream m_stream{};
    bool m_ok = false;
};

// Inflates a zlib stream, giving up as soon as the output would pass `cap` bytes, so a
// bomb costs at most `cap` bytes of memory and the time to produce them.
Result<std::string> inflateBounded(std::string_view compressed, std::size_t cap) {
    InflateStream stream;
    if (!stream.ok()) {
        return fail(ErrorCode::Internal, "zlib could not start inflating");
    }
    z_stream& zs = stream.get();
    zs.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(compressed.data()));
    zs.avail_in = static_cast<uInt>(compressed.size());
    std::string out;
    std::array<char, 64 * 1024> buffer{};
    for (;;) {
        zs.next_out = reinterpret_cast<Bytef*>(buffer.data());
        zs.avail_out = static_cast<uInt>(buffer.size());
        const int ret = inflate(&zs, Z_NO_FLUSH);
        const std::size_t produced = buffer.size() - zs.avail_out;
        if (produced > cap - out.size()) {
            return fail(ErrorCode::LimitExceeded,
                        "inflates to more than " + std::to_string(cap) + " bytes");
        }
        out.append(buffer.data(), produced);
        if (ret == Z_STREAM_END) {
            return out;
        }
        if (ret == Z_BUF_ERROR || (ret == Z_OK && produced == 0 && zs.avail_in == 0)) {
            return fail(ErrorCode::Corrupt, "the compressed text is truncated");
        }
        if (ret != Z_OK) {
            return fail(ErrorCode::Corrupt, std::string("the compressed text is damaged (") +
                                                (zs.msg ? zs.msg : "zlib error") + ")");
        }
    }
}

// UTF-8 to ISO 8859-1; nullopt when `utf8` is not UTF-8 or holds a code point above U+00FF.
std::optional<std::string> utf8ToLatin1(std::string_view utf8) {
    if (!isValidUtf8(utf8)) {
        return std::nullopt;
    }
    std::string out;
    out.reserve(utf8.size());
    for (std::size_t i = 0; i < utf8.size(); ++i) {
        const auto b = static_cast<unsigned char>(utf8[i]);
        if (b < 0x80) {
            out += static_cast<char>(b);
        } else if ((b == 0xC2 || b == 0xC3) && i + 1 < utf8.size()) {
            const auto next = static_cast<unsigned char>(utf8[++i]);
            out += static_cast<char>(((b & 0x1F) << 6) | (next & 0x3F));
        } else {
            return std::nullopt;
        }
    }
    return out;
}

bool isAscii(std::string_view text) {
    for (const char c : text) {
        if (static_cast<unsigned char>(c) >= 0x80) {
            return false;
        }
    }
    return true;
}

// The keyword of a text chunk, as stored (Latin-1), or nullopt when the chunk has none.
std::optional<std::string_view> rawKeyword(std::string_view data) {
    const auto nul = data.find('\0');
    if (nul == std::string_view::npos || nul == 0 || nul > PngChunks::kMaxKeywordLength) {
        return std::nullopt;
    }
    return data.substr(0, nul);
}

void appendChunk(std::string& out, std::string_view type, std::string_view data) {
    appendBe32(out, static_cast<std::uint32_t>(data.size()));
    out += type;
    out += data;
    appendBe32(out, chunkCrc(type, data));
}

// Reads one text chunk; returns the reason when it has to be skipped. `inflatedTotal` is the
// budget already spent on this file.
std::expected<PngChunks::TextChunk, std::string> readTextChunk(const PngChunks::Chunk& chunk,
                                                               std::size_t& inflatedTotal) {
    const auto keyword = rawKeyword(chunk.data);
    if (!keyword) {
        return std::unexpected<std::string>("it has no keyword of 1-79 characters");
    }
    PngChunks::TextChunk result{latin1ToUtf8(*keyword), {}};
    std::string_view rest = chunk.data.substr(keyword->size() + 1);

    const auto inflateText =
        [&](std::string_view compressed) -> std::expected<std::string, std::string> {
        const std::size_t budgetLeft = PngChunks::kMaxInflatedTotal - inflatedTotal;
        const std::size_t cap = std::min(PngChunks::kMaxInflatedPerChunk, budgetLeft);
        auto inflated = inflateBounded(compressed, cap);
        if (!inflated) {
            if (inflated.error().code == ErrorCode::LimitExceeded &&
                cap < PngChunks::kMaxInflatedPerChunk) {
                return std::unexpected<std::string>(
                    "its text would take the file past the limit of " +
                    std::to_string(PngChunks::kMaxInflatedTotal) + " inflated bytes");
            }
            return std::unexpected<std::string>("its text " + inflated.error().message);
        }
        inflatedTotal += inflated->size();
        return std::move(*inflated);
    };

    if (chunk.type == "tEXt") {
        result.text = latin1ToUtf8(rest);
        return result;
    }
    if (chunk.type == "zTXt") {
        if (rest.empty() || rest[0] != 0) {
            return std::unexpected<std::string>("it uses an unknown compression method");
        }
        auto text = inflateText(rest.substr(1));
        if (!text) {
            return std::unexpected<std::string>(text.error());
        }
        result.text = latin1ToUtf8(*text);
        return result;
    }
    // iTXt: flag, method, language tag NUL, translated keyword NUL, text.
    if (rest.size() < 2) {
        return std::unexpected<std::string>("it is too short for an iTXt chunk");
    }
    const auto flag = static_cast<unsigned char>(rest[0]);
    const auto method = static_cast<unsigned char>(rest[1]);
    if (flag > 1 || (flag == 1 && method != 0)) {
        return std::unexpected<std::string>("it uses an unknown compression method");
    }
    rest.remove_prefix(2);
    for (int field = 0; field < 2; ++field) { // language tag, translated keyword
        const auto nul = rest.find('\0');
        if (nul == std::string_view::npos) {
            return std::unexpected<std::string>("its language fields are not terminated");
        }
        rest.remove_prefix(nul + 1);
    }
    std::string text;
    if (flag == 1) {
        auto inflated = inflateText(rest);
        if (!inflated) {
            return std::unexpected<std::string>(inflated.error());
        }
        text = std::move(*inflated);
    } else {
        text = std::string(rest);
    }
    result.text = isValidUtf8(text) ? std::move(text) : sanitizeUtf8(text);
    return result;
}

} // namespace

Result<std::vector<PngChunks::Chunk>> PngChunks::parse(std::string_view png) {
    if (png.size() < kSignature.size()) {
        if (kSignature.starts_with(png)) {
            return fail(ErrorCode::Corrupt, "PNG truncated inside its 8-byte signature");
        }
        return fail(ErrorCode::Corrupt, "not a PNG file: the PNG signature is missing");
    }
    if (!png.starts_with(kSignature)) {
        return fail(ErrorCode::Corrupt, "not a PNG file: the PNG signature is missing");
    }
    std::vector<Chunk> chunks;
    std::size_t pos = kSignature.size();
    for (;;) {
        const std::string where = " at byte " + std::to_string(pos);
        if (pos == png.size()) {
            return fail(ErrorCode::Corrupt, "PNG truncated: the file ends after " +
                                                std::to_string(chunks.size()) +
                                                " chunks, before its IEND chunk");
        }
        if (png.size() - pos < 8) {
            return fail(ErrorCode::Corrupt, "PNG truncated inside the header of chunk " +
                                                std::to_string(chunks.size() + 1) + where);
        }
        const std::uint32_t length = readBe32At(png, pos);
        const std::string_view type = png.substr(pos + 4, 4);
        for (const char c : type) {
            if (!isChunkTypeByte(c)) {
                return fail(ErrorCode::Corrupt, "PNG damaged: invalid chunk type" + where);
            }
        }
        const std::string typeName(type);
        if (length > kMaxChunkLength) {
            return fail(ErrorCode::Corrupt, "PNG damaged: the " + typeName + " chunk" + where +
                                                " declares " + std::to_string(length) +
                                                " bytes, more than PNG allows");
        }
        const std::size_t available = png.size() - pos - 8;
        if (std::size_t{length} + 4 > available) {
            return fail(ErrorCode::Corrupt, "PNG truncated: the " + typeName + " chunk" + where +
                                                " declares " + std::to_string(length) +
                                                " data bytes plus CRC, but only " +
                                                std::to_string(available) + " bytes remain");
        }
        if (chunks.empty() && typeName != "IHDR") {
            return fail(ErrorCode::Corrupt,
                        "PNG damaged: the first chunk is " + typeName + ", not IHDR");
        }
        if (chunks.size() == kMaxChunkCount) {
            return fail(ErrorCode::LimitExceeded,
                        "PNG has more than " + std::to_string(kMaxChunkCount) + " chunks");
        }
        const std::string_view data = png.substr(pos + 8, length);
        const bool crcValid = readBe32At(png, pos + 8 + length) == chunkCrc(type, data);
        chunks.push_back(Chunk{typeName, pos, data, crcValid});
        pos += kChunkOverhead + length;
        if (typeName == "IEND") {
            return chunks;
        }
    }
}

Result<PngChunks::TextChunks> PngChunks::readTextChunks(std::string_view png) {
    auto chunks = parse(png);
    if (!chunks) {
        return std::unexpected(chunks.error());
    }
    TextChunks result;
    std::size_t inflatedTotal = 0;
    for (const Chunk& chunk : *chunks) {
        if (!isTextChunkType(chunk.type)) {
            continue;
        }
        std::string name = chunk.type + " chunk";
        if (const auto keyword = rawKeyword(chunk.data)) {
            name += " \"" + escapeInvalidUtf8(latin1ToUtf8(*keyword)) + "\"";
        }
        name += " at byte " + std::to_string(chunk.offset);
        if (!chunk.crcValid) {
            result.warnings.push_back(name + " skipped: its CRC does not match");
            continue;
        }
        auto text = readTextChunk(chunk, inflatedTotal);
        if (!text) {
            result.warnings.push_back(name + " skipped: " + text.error());
            continue;
        }
        result.chunks.push_back(std::move(*text));
    }
    return result;
}

Result<std::string> PngChunks::withTextChunk(std::string_view png, std::string_view keyword,
                                             std::string_view text, TextForm form) {
    if (!isValidKeyword(keyword)) {
        return fail(ErrorCode::InvalidArgument,
                    "\"" + escapeInvalidUtf8(keyword) +
                        "\" is not a PNG keyword (1-79 printable Latin-1 characters)");
    }
    const std::string latin1Keyword = *utf8ToLatin1(keyword);
    if (!isValidUtf8(text)) {
        return fail(ErrorCode::InvalidArgument,
                    "PNG text for \"" + std::string(keyword) + "\" is not valid UTF-8");
    }
    if (text.find('\0') != std::string_view::npos) {
        return fail(ErrorCode::InvalidArgument,
                    "PNG text for \"" + std::string(keyword) + "\" contains a NUL character");
    }
    std::string data = latin1Keyword;
    data += '\0';
    const bool compact = form == TextForm::Compact && isAscii(text);
    if (!compact) {
        data.append(4, '\0'); // uncompressed, method 0, no language tag, no translation
    }
    data += text;
    auto sameKeyword = [&latin1Keyword](const Chunk& chunk) {
        return isTextChunkType(chunk.type) && rawKeyword(chunk.data) == latin1Keyword;
    };
    auto out = withChunk(png, compact ? "tEXt" : "iTXt", data, sameKeyword);
    if (!out && out.error().code == ErrorCode::LimitExceeded) {
        return fail(ErrorCode::LimitExceeded,
                    "PNG text for \"" + std::string(keyword) + "\" is too large for one chunk");
    }
    return out;
}

Result<std::string> PngChunks::withChunk(std::string_view png, std::string_view type,
                                         std::string_view data,
                                         const std::function<bool(const Chunk&)>& drop) {
    if (type.size() != 4 || !std::all_of(type.begin(), type.end(), isChunkTypeByte) ||
        (type[0] >= 'A' && type[0] <= 'Z')) {
        return fail(ErrorCode::InvalidArgument,
                    "\"" + escapeInvalidUtf8(type) + "\" is not an ancillary PNG chunk type");
    }
    if (data.size() > kMaxChunkLength) {
        return fail(ErrorCode::LimitExceeded, "a PNG " + std::string(type) + " chunk cannot hold " +
                                                  std::to_string(data.size()) + " bytes");
    }
    auto chunks = parse(png);
    if (!chunks) {
        return std::unexpected(chunks.error());
    }
    std::string out(kSignature);
    out.reserve(png.size() + data.size() + kChunkOverhead);
    for (const Chunk& chunk : *chunks) {
        if (!chunk.crcValid) {
            if (chunk.isCritical()) {
                return fail(ErrorCode::Corrupt,
                            "PNG damaged: the " + chunk.type + " chunk at byte " +
                                std::to_string(chunk.offset) + " fails its CRC check");
            }
            continue;
        }
        if (drop && drop(chunk)) {
            continue;
        }
        out += png.substr(chunk.offset, kChunkOverhead + chunk.data.size());
        if (chunk.type == "IHDR") {
            appendChunk(out, type, data);
        }
    }
    return out;
}

bool PngChunks::isValidKeyword(std::string_view keyword) {
    const auto latin1 = utf8ToLatin1(keyword);
    if (!latin1 || latin1->empty() || latin1->size() > kMaxKeywordLength) {
        return false;
    }
    if (latin1->front() == ' ' || latin1->back() == ' ' ||
        latin1->find("  ") != std::string::npos) {
        return false;
    }
    for (const char c : *latin1) {
        const auto b = static_cast<unsigned char>(c);
        if (b < 32 || (b > 126 && b < 161)) {
            return false;
        }
    }
    return true;
}

} // namespace ripen

#pragma once

#include "common/Error.h"

#include <cstddef>
#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

namespace ripen {

// Reads and rewrites the chunk layer of PNG files held in memory: enough to take
// generation metadata out of tEXt/zTXt/iTXt chunks on import and to write provenance back
// on export, without decoding or re-encoding pixels. Every input is untrusted: lengths,
// counts and inflated sizes are bounded, and nothing here throws.
class PngChunks {
public:
    static constexpr std::size_t kMaxChunkCount = 100000;
    static constexpr std::uint32_t kMaxChunkLength = 0x7FFFFFFF; // the PNG spec's 2^31-1
    // Decompression bombs: a zTXt of a few hundred KiB can inflate to gigabytes.
    static constexpr std::size_t kMaxInflatedPerChunk = std::size_t{8} << 20;
    static constexpr std::size_t kMaxInflatedTotal = std::size_t{32} << 20;
    static constexpr std::size_t kMaxKeywordLength = 79;

    struct Chunk {
        std::string type;      // four ASCII letters, e.g. "IHDR"
        std::size_t offset{};  // where the chunk's length field starts in the file
        std::string_view data; // a view into the buffer given to parse()
        bool crcValid{};
        bool isCritical() const { return !type.empty() && type[0] >= 'A' && type[0] <= 'Z'; }
    };

    struct TextChunk {
        std::string keyword; // UTF-8 (converted from Latin-1)
        std::string text;    // UTF-8
    };

    struct TextChunks {
        std::vector<TextChunk> chunks; // in file order
        // One line per text chunk that was skipped (bad CRC, bomb, bad compression, ...);
        // the caller may log them. A skipped chunk never fails the image.
        std::vector<std::string> warnings;
    };

    // Splits `png` into its chunks, from IHDR through IEND; bytes after IEND are ignored.
    // The returned views point into `png`, which must outlive them. CRCs are checked and
    // reported per chunk rather than failing here, so a reader can skip a damaged ancillary
    // chunk and keep the image. Errors: Corrupt for a missing signature, a first chunk
    // that is not IHDR, a bad chunk type, a length above 2^31-1 or a file that ends early
    // (the message says what was cut off); LimitExceeded beyond kMaxChunkCount chunks.
    static Result<std::vector<Chunk>> parse(std::string_view png);

    // Every readable text chunk, keywords and text as UTF-8. zTXt and compressed iTXt are
    // inflated with kMaxInflatedPerChunk per chunk and kMaxInflatedTotal per file; a chunk
    // over either cap is skipped with a warning. Fails only when parse() fails.
    static Result<TextChunks> readTextChunks(std::string_view png);

    // A copy of `png` in which every tEXt, zTXt and iTXt chunk whose keyword is `keyword`
    // is gone and one new chunk holding `text` sits right after IHDR: tEXt when `text` is
    // ASCII, otherwise uncompressed iTXt with UTF-8 text. Ancillary chunks with a bad CRC
    // are dropped; bytes after IEND are not copied. Errors: InvalidArgument for a keyword
    // that isValidKeyword() refuses or text that is not UTF-8 or holds a NUL; Corrupt when
    // parse() fails or a critical chunk has a bad CRC (the output would claim to be sound).
    enum class TextForm {
        Compact,      // tEXt for ASCII text, uncompressed iTXt otherwise
        International // always uncompressed iTXt (XMP must be iTXt "XML:com.adobe.xmp")
    };
    static Result<std::string> withTextChunk(std::string_view png, std::string_view keyword,
                                             std::string_view text,
                                             TextForm form = TextForm::Compact);

    // A copy of `png` with one new chunk of `type` holding `data` right after IHDR (where
    // iCCP, pHYs and text chunks may all go), leaving out every chunk for which
    // `drop(chunk)` is true and ancillary chunks with a bad CRC. Errors: InvalidArgument for
    // a type that is not four letters or is critical; LimitExceeded for data over
    // kMaxChunkLength; Corrupt as for withTextChunk.
    static Result<std::string> withChunk(std::string_view png, std::string_view type,
                                         std::string_view data,
                                         const std::function<bool(const Chunk&)>& drop = {});

    // PNG keyword rules, for a keyword given as UTF-8: 1-79 Latin-1 characters, all
    // printable (32-126, 161-255), no leading, trailing or doubled spaces.
    static bool isValidKeyword(std::string_view keyword);

    // The 8 bytes every PNG file starts with.
    static constexpr std::string_view kSignature{"\x89PNG\r\n\x1A\n", 8};
};

} // namespace ripen

#include "imaging/PngChunks.h"

#include "support/TempDir.h"
#include "support/TestImages.h"

#include <algorithm>
#include <catch2/catch.hpp>
#include <cstdint>
#include <opencv2/imgcodecs.hpp>
#include <string>
#include <vector>
#include <zlib.h>

using namespace ripen;

namespace {

std::string encodePng(const cv::Mat& image) {
    std::vector<uchar> buffer;
    REQUIRE(cv::imencode(".png", image, buffer));
    return std::string(buffer.begin(), buffer.end());
}

void appendBe32(std::string& out, std::uint32_t value) {
    for (int shift = 24; shift >= 0; shift -= 8) {
        out += static_cast<char>((value >> shift) & 0xFF);
    }
}

std::string makeChunk(std::string_view type, std::string_view data) {
    std::string out;
    appendBe32(out, static_cast<std::uint32_t>(data.size()));
    out += type;
    out += data;
    uLong crc = crc32(0L, Z_NULL, 0);
    crc = crc32(crc, reinterpret_cast<const Bytef*>(type.data()), static_cast<uInt>(type.size()));
    crc = crc32(crc, reinterpret_cast<const Bytef*>(data.data()), static_cast<uInt>(data.size()));
    appendBe32(out, static_cast<std::uint32_t>(crc));
    return out;
}

// IHDR always comes first and always holds 13 bytes, so it ends at byte 33.
constexpr std::size_t kAfterIhdr = 8 + 12 + 13;

std::string insertAfterIhdr(std::string png, const std::string& chunks) {
    return png.insert(kAfterIhdr, chunks);
}

// Streams `size` copies of `fill` through deflate, so a 200 MB bomb never sits in memory.
std::string deflateRepeated(std::size_t size, char fill = '\0') {
    z_stream zs{};
    REQUIRE(deflateInit(&zs, Z_BEST_COMPRESSION) == Z_OK);
    const std::string block(1 << 20, fill);
    std::string out;
    std::vector<char> buffer(1 << 16);
    std::size_t left = size;
    int ret = Z_OK;
    do {
        const std::size_t take = std::min(left, block.size());
        zs.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(block.data()));
        zs.avail_in = static_cast<uInt>(take);
        left -= take;
        const int flush = left == 0 ? Z_FINISH : Z_NO_FLUSH;
        do {
            zs.next_out = reinterpret_cast<Bytef*>(buffer.data());
            zs.avail_out = static_cast<uInt>(buffer.size());
            ret = deflate(&zs, flush);
            out.append(buffer.data(), buffer.size() - zs.avail_out);
        } while (zs.avail_out == 0);
    } while (left > 0);
    REQUIRE(ret == Z_STREAM_END);
    deflateEnd(&zs);
    return out;
}

std::string deflateText(std::string_view text) {
    uLongf size = compressBound(static_cast<uLong>(text.size()));
    std::string out(size, '\0');
    REQUIRE(compress2(reinterpret_cast<Bytef*>(out.data()), &size,
                      reinterpret_cast<const Bytef*>(text.data()), static_cast<uLong>(text.size()),
                      Z_DEFAULT_COMPRESSION) == Z_OK);
    out.resize(size);
    return out;
}

std::string zTxt(std::string_view keyword, std::string_view latin1Text) {
    return makeChunk("zTXt", std::string(keyword) + '\0' + '\0' + deflateText(latin1Text));
}

std::string iTxt(std::string_view keyword, std::string_view text, bool compressed,
                 std::string_view language = "", std::string_view translated = "") {
    std::string data(keyword);
    data += '\0';
    data += compressed ? '\1' : '\0';
    data += '\0';
    data += language;
    data += '\0';
    data += translated;
    data += '\0';
    data += compressed ? deflateText(text) : std::string(text);
    return makeChunk("iTXt", data);
}

std::string tExt(std::string_view keyword, std::string_view latin1Text) {
    return makeChunk("tEXt", std::string(keyword) + '\0' + std::string(latin1Text));
}

std::vector<std::string> chunkTypes(std::string_view png) {
    std::vector<std::string> types;
    const auto chunks = PngChunks::parse(png);
    REQUIRE(chunks);
    for (const auto& chunk : *chunks) {
        types.push_back(chunk.type);
    }
    return types;
}

bool samePixels(const cv::Mat& a, const cv::Mat& b) {
    return a.size() == b.size() && a.type() == b.type() && cv::norm(a, b, cv::NORM_INF) == 0;
}

bool anyWarningContains(const PngChunks::TextChunks& result, std::string_view needle) {
    return std::any_of(result.warnings.begin(), result.warnings.end(),
                       [&](const std::string& w) { return w.find(needle) != std::string::npos; });
}

} // namespace

TEST_CASE("PNG chunks of an OpenCV image parse with valid CRCs", "[imaging][png]") {
    const std::string png = encodePng(test::makeTestImage(64, 48, 1));
    const auto chunks = PngChunks::parse(png);
    REQUIRE(chunks);
    REQUIRE(chunks->size() >= 3);
    CHECK(chunks->front().type == "IHDR");
    CHECK(chunks->front().offset == 8);
    CHECK(chunks->front().data.size() == 13);
    CHECK(chunks->front().isCritical());
    CHECK(chunks->back().type == "IEND");
    CHECK(std::all_of(chunks->begin(), chunks->end(), [](const auto& c) { return c.crcValid; }));
    CHECK(std::any_of(chunks->begin(), chunks->end(),
                      [](const auto& c) { return c.type == "IDAT"; }));

    const auto text = PngChunks::readTextChunks(png);
    REQUIRE(text);
    CHECK(text->chunks.empty());
    CHECK(text->warnings.empty());
}

TEST_CASE("A text chunk written into an imwrite PNG reads back and the image still decodes",
          "[imaging][png]") {
    test::TempDir dir;
    const cv::Mat image = test::makeTestImage(80, 60, 7);
    test::writeTestImage(dir / "in.png", image);
    const std::string original = test::readBytes(dir / "in.png");

    const std::string parameters = "a red fox, <lora:fox:0.8>\nNegative prompt: blurry\n"
                                   "Steps: 20, Sampler: Euler a, CFG scale: 7, Seed: 1";
    const auto written = PngChunks::withTextChunk(original, "parameters", parameters);
    REQUIRE(written);
    test::writeBytes(dir / "out.png", *written);

    const auto types = chunkTypes(*written);
    REQUIRE(types.size() >= 4);
    CHECK(types[0] == "IHDR");
    CHECK(types[1] == "tEXt"); // ASCII text stays in the simplest chunk
    CHECK(std::find(types.begin(), types.end(), "IDAT") > types.begin() + 1);

    const auto read = PngChunks::readTextChunks(*written);
    REQUIRE(read);
    REQUIRE(read->chunks.size() == 1);
    CHECK(read->chunks[0].keyword == "parameters");
    CHECK(read->chunks[0].text == parameters);
    CHECK(read->warnings.empty());

    const cv::Mat decoded = cv::imread((dir / "out.png").string(), cv::IMREAD_UNCHANGED);
    CHECK(samePixels(decoded, image));

    SECTION("writing the same keyword again replaces it; non-ASCII text goes to iTXt") {
        const std::string unicode = "café 猫 \xF0\x9F\x8E\xA8 \"quoted\", line\nnext";
        auto withOther = PngChunks::withTextChunk(*written, "Software", "Ripen");
        REQUIRE(withOther);
        const auto replaced = PngChunks::withTextChunk(*withOther, "parameters", unicode);
        REQUIRE(replaced);
        const auto again = PngChunks::readTextChunks(*replaced);
        REQUIRE(again);
        REQUIRE(again->chunks.size() == 2);
        CHECK(again->chunks[0].keyword == "parameters");
        CHECK(again->chunks[0].text == unicode);
        CHECK(again->chunks[1].keyword == "Software");
        CHECK(again->chunks[1].text == "Ripen");
        CHECK(chunkTypes(*replaced)[1] == "iTXt");

        std::vector<uchar> buffer(replaced->begin(), replaced->end());
        CHECK(samePixels(cv::imdecode(buffer, cv::IMREAD_UNCHANGED), image));
    }
}

TEST_CASE("withTextChunk removes every text chunk type holding the keyword", "[imaging][png]") {
    const cv::Mat image = test::makeTestImage(16, 16, 3);
    const std::string png = insertAfterIhdr(
        encodePng(image), tExt("parameters", "old 1") + zTxt("parameters", "old 2") +
                              iTxt("parameters", "old 3", true) + tExt("Comment", "keep me") +
                              iTxt("parameters", "old 4", false) + tExt("Parameters", "case"));
    REQUIRE(PngChunks::readTextChunks(png)->chunks.size() == 6);

    const auto written = PngChunks::withTextChunk(png, "parameters", "new");
    REQUIRE(written);
    const auto read = PngChunks::readTextChunks(*written);
    REQUIRE(read);
    REQUIRE(read->chunks.size() == 3);
    CHECK(read->chunks[0].keyword == "parameters");
    CHECK(read->chunks[0].text == "new");
    CHECK(read->chunks[1].keyword == "Comment");
    CHECK(read->chunks[2].keyword == "Parameters"); // keywords are case-sensitive
    std::vector<uchar> buffer(written->begin(), written->end());
    CHECK(samePixels(cv::imdecode(buffer, cv::IMREAD_UNCHANGED), image));
}

TEST_CASE("zTXt and iTXt chunks are inflated and converted to UTF-8", "[imaging][png]") {
    const std::string png = insertAfterIhdr(
        encodePng(test::makeTestImage(8, 8, 2)),
        zTxt("Description", "caf\xE9 na\xEFve") + // Latin-1
            iTxt("prompt", "{\"1\": {\"text\": \"猫\"}}", true, "ja", "プロンプト") +
            iTxt("plain", "ünïcode", false, "de", "Klartext") + tExt("Author", "Se\xF1or"));
    const auto read = PngChunks::readTextChunks(png);
    REQUIRE(read);
    CHECK(read->warnings.empty());
    REQUIRE(read->chunks.size() == 4);
    CHECK(read->chunks[0].keyword == "Description");
    CHECK(read->chunks[0].text == "café naïve");
    CHECK(read->chunks[1].keyword == "prompt");
    CHECK(read->chunks[1].text == "{\"1\": {\"text\": \"猫\"}}");
    CHECK(read->chunks[2].text == "ünïcode");
    CHECK(read->chunks[3].text == "Señor");
}

TEST_CASE("Damaged text chunks are skipped with a warning, not the image", "[imaging][png]") {
    const std::string base = encodePng(test::makeTestImage(8, 8, 4));
    std::string truncatedStream = deflateText(std::string(5000, 'x') + "tail");
    truncatedStream.resize(truncatedStream.size() / 2);

    std::string badMethod = "k";
    badMethod += '\0';
    badMethod += '\x05';
    badMethod += deflateText("x");

    std::string badUtf8 = "u";
    badUtf8.append(5, '\0');
    badUtf8 += "ok\xFFok";

    const std::string png = insertAfterIhdr(
        base, makeChunk("zTXt", std::string("cut") + '\0' + '\0' + truncatedStream) +
                  makeChunk("zTXt", badMethod) +
                  makeChunk("zTXt", std::string("junk") + '\0' + '\0' + "not zlib") +
                  makeChunk("tEXt", "no keyword separator") + makeChunk("iTXt", badUtf8) +
                  tExt("good", "fine"));
    const auto read = PngChunks::readTextChunks(png);
    REQUIRE(read);
    REQUIRE(read->chunks.size() == 2);
    CHECK(read->chunks[0].keyword == "u");
    CHECK(read->chunks[0].text == "ok\xEF\xBF\xBDok");
    CHECK(read->chunks[1].text == "fine");
    CHECK(read->warnings.size() == 4);
    CHECK(anyWarningContains(*read, "\"cut\""));
    CHECK(anyWarningContains(*read, "truncated"));
    CHECK(anyWarningContains(*read, "compression method"));
    CHECK(anyWarningContains(*read, "\"junk\""));
}

TEST_CASE("A decompression bomb in zTXt or iTXt is capped and skipped", "[imaging][png]") {
    const std::string bomb = deflateRepeated(std::size_t{200} << 20);
    CHECK(bomb.size() < 1024 * 1024);

    std::string itxtBomb = "bomb2";
    itxtBomb += '\0';
    itxtBomb += '\1';
    itxtBomb.append(3, '\0');
    itxtBomb += bomb;

    const std::string png =
        insertAfterIhdr(encodePng(test::makeTestImage(8, 8, 5)),
                        makeChunk("zTXt", std::string("bomb") + '\0' + '\0' + bomb) +
                            makeChunk("iTXt", itxtBomb) + tExt("parameters", "survives"));
    const auto read = PngChunks::readTextChunks(png);
    REQUIRE(read);
    REQUIRE(read->chunks.size() == 1);
    CHECK(read->chunks[0].text == "survives");
    REQUIRE(read->warnings.size() == 2);
    CHECK(read->warnings[0].find("\"bomb\"") != std::string::npos);
    CHECK(read->warnings[0].find(std::to_string(PngChunks::kMaxInflatedPerChunk)) !=
          std::string::npos);
    CHECK(read->warnings[1].find("\"bomb2\"") != std::string::npos);
}

TEST_CASE("Inflated text is capped per file as well as per chunk", "[imaging][png]") {
    // Five chunks of 7 MiB each: every one fits the per-chunk cap, the fifth passes 32 MiB.
    const std::size_t each = std::size_t{7} << 20;
    const std::string stream = deflateRepeated(each, 'a');
    std::string chunks;
    for (int i = 0; i < 5; ++i) {
        chunks += makeChunk("zTXt", "big" + std::to_string(i) + '\0' + '\0' + stream);
    }
    const auto read =
        PngChunks::readTextChunks(insertAfterIhdr(encodePng(test::makeTestImage(8, 8, 6)), chunks));
    REQUIRE(read);
    REQUIRE(read->chunks.size() == 4);
    CHECK(read->chunks[3].text.size() == each);
    REQUIRE(read->warnings.size() == 1);
    CHECK(read->warnings[0].find("\"big4\"") != std::string::npos);
    CHECK(read->warnings[0].find(std::to_string(PngChunks::kMaxInflatedTotal)) !=
          std::string::npos);
}

TEST_CASE("Truncated PNG files are Corrupt and say what was cut off", "[imaging][png]") {
    const std::string png = encodePng(test::makeTestImage(64, 64, 8));
    const auto chunks = PngChunks::parse(png).value();
    const auto idat =
        std::find_if(chunks.begin(), chunks.end(), [](const auto& c) { return c.type == "IDAT"; });
    REQUIRE(idat != chunks.end());

    const auto check = [](std::string_view bytes, std::string_view expected) {
        const auto parsed = PngChunks::parse(bytes);
        REQUIRE_FALSE(parsed);
        CHECK(parsed.error().code == ErrorCode::Corrupt);
        INFO(parsed.error().message);
        CHECK(parsed.error().message.find(expected) != std::string::npos);
        CHECK_FALSE(PngChunks::readTextChunks(bytes));
        CHECK_FALSE(PngChunks::withTextChunk(bytes, "parameters", "x"));
    };
    check(png.substr(0, 4), "signature");
    check("", "signature");
    check("GIF89a..........", "signature");
    check(png.substr(0, 8), "before its IEND");
    check(png.substr(0, 12), "header of chunk 1");
    check(png.substr(0, idat->offset + 8 + idat->data.size() / 2), "IDAT chunk");
    check(png.substr(0, chunks.back().offset), "before its IEND");
    check(png.substr(0, png.size() - 1), "IEND chunk");
}

TEST_CASE("Malformed chunk structure is refused", "[imaging][png]") {
    const std::string png = encodePng(test::makeTestImage(8, 8, 9));

    std::string hugeLength = png;
    hugeLength[kAfterIhdr] = '\x80'; // the length of the chunk after IHDR above 2^31-1
    auto parsed = PngChunks::parse(hugeLength);
    REQUIRE_FALSE(parsed);
    CHECK(parsed.error().code == ErrorCode::Corrupt);
    CHECK(parsed.error().message.find("more than PNG allows") != std::string::npos);

    std::string badType = png;
    badType[kAfterIhdr + 4] = '1';
    CHECK_FALSE(PngChunks::parse(badType));

    const std::string noIhdr = std::string(PngChunks::kSignature) + tExt("a", "b") + png.substr(8);
    parsed = PngChunks::parse(noIhdr);
    REQUIRE_FALSE(parsed);
    CHECK(parsed.error().message.find("not IHDR") != std::string::npos);

    // Bytes after IEND (some tools append data) are not part of the PNG.
    CHECK(PngChunks::parse(png + "trailing junk")->size() == PngChunks::parse(png)->size());
    const auto written = PngChunks::withTextChunk(png + "trailing junk", "k", "v");
    REQUIRE(written);
    CHECK(written->size() == png.size() + 12 + 3);
}

TEST_CASE("PNG chunk count is capped", "[imaging][png]") {
    const std::string png = encodePng(test::makeTestImage(8, 8, 10));
    const std::string empty = makeChunk("teSt", "");
    std::string many;
    for (std::size_t i = 0; i < PngChunks::kMaxChunkCount; ++i) {
        many += empty;
    }
    const auto parsed = PngChunks::parse(insertAfterIhdr(png, many));
    REQUIRE_FALSE(parsed);
    CHECK(parsed.error().code == ErrorCode::LimitExceeded);
}

TEST_CASE("A bad CRC skips a text chunk, or fails a rewrite of a critical chunk",
          "[imaging][png]") {
    const cv::Mat image = test::makeTestImage(32, 32, 11);
    const std::string base = encodePng(image);
    std::string png = insertAfterIhdr(base, tExt("parameters", "damaged") + tExt("Comment", "ok"));
    png[kAfterIhdr + 8 + 11] ^= 0x01; // one bit of "damaged"

    const auto chunks = PngChunks::parse(png);
    REQUIRE(chunks);
    CHECK_FALSE((*chunks)[1].crcValid);
    CHECK((*chunks)[2].crcValid);

    const auto read = PngChunks::readTextChunks(png);
    REQUIRE(read);
    REQUIRE(read->chunks.size() == 1);
    CHECK(read->chunks[0].keyword == "Comment");
    REQUIRE(read->warnings.size() == 1);
    CHECK(read->warnings[0].find("CRC") != std::string::npos);
    CHECK(read->warnings[0].find("\"parameters\"") != std::string::npos);

    // A rewrite drops the damaged ancillary chunk and writes a sound file.
    const auto rewritten = PngChunks::withTextChunk(png, "Software", "Ripen");
    REQUIRE(rewritten);
    const auto rewrittenChunks = PngChunks::parse(*rewritten);
    REQUIRE(rewrittenChunks);
    CHECK(std::all_of(rewrittenChunks->begin(), rewrittenChunks->end(),
                      [](const auto& c) { return c.crcValid; }));
    CHECK(PngChunks::readTextChunks(*rewritten)->chunks.size() == 2);
    std::vector<uchar> buffer(rewritten->begin(), rewritten->end());
    CHECK(samePixels(cv::imdecode(buffer, cv::IMREAD_UNCHANGED), image));

    // A damaged IDAT: text can still be read, but a rewrite refuses to bless the file.
    std::string badIdat = base;
    const auto baseChunks = PngChunks::parse(base).value();
    const auto idat = std::find_if(baseChunks.begin(), baseChunks.end(),
                                   [](const auto& c) { return c.type == "IDAT"; });
    REQUIRE(idat != baseChunks.end());
    badIdat[idat->offset + 8 + 2] ^= 0x10;
    CHECK(PngChunks::readTextChunks(badIdat));
    const auto refused = PngChunks::withTextChunk(badIdat, "parameters", "x");
    REQUIRE_FALSE(refused);
    CHECK(refused.error().code == ErrorCode::Corrupt);
    CHECK(refused.error().message.find("IDAT") != std::string::npos);
}

TEST_CASE("PNG keywords and text are validated before writing", "[imaging][png]") {
    CHECK(PngChunks::isValidKeyword("parameters"));
    CHECK(PngChunks::isValidKeyword("Creation Time"));
    CHECK(PngChunks::isValidKeyword("caf\xC3\xA9")); // é is Latin-1
    CHECK(PngChunks::isValidKeyword(std::string(79, 'k')));
    CHECK_FALSE(PngChunks::isValidKeyword(""));
    CHECK_FALSE(PngChunks::isValidKeyword(std::string(80, 'k')));
    CHECK_FALSE(PngChunks::isValidKeyword(" lead"));
    CHECK_FALSE(PngChunks::isValidKeyword("trail "));
    CHECK_FALSE(PngChunks::isValidKeyword("two  spaces"));
    CHECK_FALSE(PngChunks::isValidKeyword("tab\there"));
    CHECK_FALSE(PngChunks::isValidKeyword("\xE7\x8C\xAB")); // 猫 is not Latin-1
    CHECK_FALSE(PngChunks::isValidKeyword("\xFF"));         // not UTF-8
    CHECK_FALSE(PngChunks::isValidKeyword("nbsp\xC2\xA0")); // U+00A0 is not printable

    const std::string png = encodePng(test::makeTestImage(8, 8, 12));
    CHECK(PngChunks::withTextChunk(png, "bad  keyword", "x").error().code ==
          ErrorCode::InvalidArgument);
    CHECK(PngChunks::withTextChunk(png, "k", "bad \xFF utf8").error().code ==
          ErrorCode::InvalidArgument);
    CHECK(PngChunks::withTextChunk(png, "k", std::string("nul\0inside", 10)).error().code ==
          ErrorCode::InvalidArgument);

    // A Latin-1 keyword is stored as Latin-1 and read back as UTF-8; empty text is allowed.
    const auto written = PngChunks::withTextChunk(png, "caf\xC3\xA9", "");
    REQUIRE(written);
    const auto read = PngChunks::readTextChunks(*written);
    REQUIRE(read->chunks.size() == 1);
    CHECK(read->chunks[0].keyword == "caf\xC3\xA9");
    CHECK(read->chunks[0].text.empty());
    CHECK(PngChunks::parse(*written).value()[1].data == std::string_view("caf\xE9\0", 5));
}

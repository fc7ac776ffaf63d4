#include "imaging/ImageHeader.h"

#include "CraftedImages.h"
#include "imaging/ImageLimits.h"
#include "support/TestImages.h"

#include <catch2/catch.hpp>
#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>
#include <random>

using namespace ripen;
using ripen::test::encodeImage;

namespace {

ImageHeader headerOf(const std::string& bytes) {
    auto header = readImageHeader(bytes);
    INFO((header ? std::string() : header.error().message));
    REQUIRE(header);
    return *header;
}

ErrorCode errorOf(const std::string& bytes) {
    auto header = readImageHeader(bytes);
    REQUIRE_FALSE(header);
    INFO(header.error().message);
    CHECK_FALSE(header.error().message.empty());
    return header.error().code;
}

// Alpha must vary: libwebp drops an alpha channel that is opaque everywhere.
cv::Mat withAlpha(const cv::Mat& bgr) {
    cv::Mat bgra;
    cv::cvtColor(bgr, bgra, cv::COLOR_BGR2BGRA);
    bgra.forEach<cv::Vec4b>([](cv::Vec4b& pixel, const int* position) {
        pixel[3] = static_cast<uchar>(position[1] * 7);
    });
    return bgra;
}

// A TIFF with one IFD holding only the given 12-byte entries.
std::string tiff(bool littleEndian, const std::vector<std::string>& entries) {
    std::string out =
        littleEndian ? std::string("II*\0\x08\0\0\0", 8) : std::string("MM\0*\0\0\0\x08", 8);
    const auto u16 = [&](std::uint32_t v) {
        return littleEndian ? test::le16(v) : test::be32(v).substr(2);
    };
    out += u16(static_cast<std::uint32_t>(entries.size()));
    for (const std::string& entry : entries) {
        out += entry;
    }
    return out + std::string(4, '\0');
}

std::string tiffEntry(bool littleEndian, std::uint16_t tag, std::uint16_t type,
                      std::uint32_t value) {
    const auto u16 = [&](std::uint32_t v) {
        return littleEndian ? test::le16(v) : test::be32(v).substr(2);
    };
    const auto u32 = [&](std::uint32_t v) {
        return littleEndian ? test::le32(v) : test::be32(v);
    };
    // SHORT values are left-justified in the 4-byte field in both byte orders.
    const std::string field = type == 3 ? u16(value) + std::string(2, '\0') : u32(value);
    return u16(tag) + u16(type) + u32(1) + field;
}

} // namespace

TEST_CASE("Headers of every format OpenCV writes give the true size", "[imaging][header]") {
    const cv::Mat image = test::makeTestImage(321, 123, 7);
    for (const char* extension : {".png", ".jpg", ".webp", ".tif"}) {
        SECTION(extension) {
            const ImageHeader header = headerOf(encodeImage(extension, image));
            CHECK(header.width == 321);
            CHECK(header.height == 123);
            CHECK(header.channels == 3);
            CHECK(header.bitDepth == 8);
            CHECK_FALSE(header.hasAlpha);
            CHECK(checkImageLimits(header));
        }
    }
    CHECK(headerOf(encodeImage(".png", image)).format == MediaFormat::Png);
    CHECK(headerOf(encodeImage(".jpg", image)).format == MediaFormat::Jpeg);
    CHECK(headerOf(encodeImage(".webp", image)).format == MediaFormat::Webp);
    CHECK(headerOf(encodeImage(".tif", image)).format == MediaFormat::Tiff);
}

TEST_CASE("WebP lossy, lossless and extended headers all parse", "[imaging][header]") {
    const cv::Mat image = test::makeTestImage(1001, 77, 3);
    const std::string lossy = encodeImage(".webp", image, {cv::IMWRITE_WEBP_QUALITY, 80});
    const std::string lossless = encodeImage(".webp", image); // OpenCV's default is lossless
    const std::string alpha =
        encodeImage(".webp", withAlpha(image), {cv::IMWRITE_WEBP_QUALITY, 80});
    CHECK(lossy.substr(12, 4) == "VP8 ");
    CHECK(lossless.substr(12, 4) == "VP8L");
    CHECK(alpha.substr(12, 4) == "VP8X");
    for (const std::string& bytes : {lossy, lossless, alpha}) {
        const ImageHeader header = headerOf(bytes);
        CHECK(header.width == 1001);
        CHECK(header.height == 77);
    }
    CHECK(headerOf(alpha).hasAlpha);
    CHECK(headerOf(alpha).channels == 4);
    CHECK(headerOf(encodeImage(".webp", withAlpha(image))).hasAlpha); // VP8L alpha bit
}

TEST_CASE("Alpha, grey and 16-bit images report their layout", "[imaging][header]") {
    const cv::Mat image = test::makeTestImage(64, 48, 2);
    const ImageHeader rgba = headerOf(encodeImage(".png", withAlpha(image)));
    CHECK(rgba.channels == 4);
    CHECK(rgba.hasAlpha);
    cv::Mat grey;
    cv::cvtColor(image, grey, cv::COLOR_BGR2GRAY);
    CHECK(headerOf(encodeImage(".png", grey)).channels == 1);
    CHECK(headerOf(encodeImage(".jpg", grey)).channels == 1);
    cv::Mat deep;
    image.convertTo(deep, CV_16U, 257.0);
    CHECK(headerOf(encodeImage(".png", deep)).bitDepth == 16);
    CHECK(headerOf(encodeImage(".tif", deep)).bitDepth == 16);
    const ImageHeader tiffAlpha = headerOf(encodeImage(".tif", withAlpha(image)));
    CHECK(tiffAlpha.channels == 4);
    CHECK(tiffAlpha.hasAlpha);
}

TEST_CASE("TIFF sizes are read in both byte orders as SHORT or LONG", "[imaging][header]") {
    for (bool le : {true, false}) {
        INFO("little endian: " << le);
        const ImageHeader shortLong =
            headerOf(tiff(le, {tiffEntry(le, 256, 3, 640), tiffEntry(le, 257, 4, 70000)}));
        CHECK(shortLong.width == 640);
        CHECK(shortLong.height == 70000);
        const ImageHeader longShort =
            headerOf(tiff(le, {tiffEntry(le, 256, 4, 1234567), tiffEntry(le, 257, 3, 480),
                               tiffEntry(le, 277, 3, 3)}));
        CHECK(longShort.width == 1234567);
        CHECK(longShort.height == 480);
        CHECK(longShort.channels == 3);
        CHECK(checkImageLimits(longShort).error().code == ErrorCode::LimitExceeded);
        // ASCII is no way to state a size.
        CHECK(errorOf(tiff(le, {tiffEntry(le, 256, 2, 1), tiffEntry(le, 257, 3, 1)})) ==
              ErrorCode::Corrupt);
        CHECK(errorOf(tiff(le, {tiffEntry(le, 256, 3, 10)})) == ErrorCode::Corrupt);
        CHECK(errorOf(tiff(le, {tiffEntry(le, 256, 3, 0), tiffEntry(le, 257, 3, 5)})) ==
              ErrorCode::Corrupt);
    }
}

TEST_CASE("Damaged TIFF structure is Corrupt, BigTIFF Unsupported", "[imaging][header]") {
    const std::string good = encodeImage(".tif", test::makeTestImage(50, 40, 1));
    std::string pointsIntoHeader = good;
    pointsIntoHeader.replace(4, 4, test::le32(4));
    CHECK(errorOf(pointsIntoHeader) == ErrorCode::Corrupt);
    std::string pointsPastEnd = good;
    pointsPastEnd.replace(4, 4, test::le32(0xFFFFFFF0U));
    CHECK(errorOf(pointsPastEnd) == ErrorCode::Corrupt);
    CHECK(errorOf(good.substr(0, 6)) == ErrorCode::Corrupt);
    // libtiff puts the IFD after the strips, so a file cut in half has lost it.
    CHECK(errorOf(good.substr(0, good.size() / 2)) == ErrorCode::Corrupt);
    CHECK(errorOf(std::string("II*\0\x08\0\0\0", 8) + test::le16(0)) == ErrorCode::Corrupt);
    CHECK(errorOf(std::string("MM\0\x2b\0\x08\0\0", 8) + std::string(16, '\0')) ==
          ErrorCode::Unsupported);
}

TEST_CASE("A PNG header claiming 50000x50000 is refused by the limit check", "[imaging][header]") {
    const std::string bomb = test::pngClaiming(50000, 50000);
    const ImageHeader header = headerOf(bomb);
    CHECK(header.width == 50000);
    CHECK(header.height == 50000);
    const Status limits = checkImageLimits(header);
    REQUIRE_FALSE(limits);
    CHECK(limits.error().code == ErrorCode::LimitExceeded);
    CHECK(limits.error().message ==
          "PNG header claims 50000x50000 pixels; Ripen accepts at most 16384 px a side and "
          "268 million pixels");
}

TEST_CASE("The image limits sit exactly at 16384 px a side", "[imaging][header]") {
    ImageHeader header;
    header.format = MediaFormat::Png;
    header.width = kMaxImageSide;
    header.height = kMaxImageSide;
    CHECK(checkImageLimits(header));
    header.width = kMaxImageSide + 1;
    header.height = 1;
    CHECK(checkImageLimits(header).error().code == ErrorCode::LimitExceeded);
    header.width = 1;
    header.height = kMaxImageSide + 1;
    CHECK(checkImageLimits(header).error().code == ErrorCode::LimitExceeded);
    header.width = 0xFFFFFFFFU;
    header.height = 0xFFFFFFFFU; // the product must not wrap round to something small
    CHECK(checkImageLimits(header).error().code == ErrorCode::LimitExceeded);
}

TEST_CASE("A JPEG whose SOF claims 20000x20000 is refused by the limit check",
          "[imaging][header]") {
    const std::string jpeg =
        test::jpegClaiming(encodeImage(".jpg", test::makeTestImage(64, 64, 1)), 20000, 20000);
    const ImageHeader header = headerOf(jpeg);
    CHECK(header.width == 20000);
    CHECK(header.height == 20000);
    CHECK(checkImageLimits(header).error().code == ErrorCode::LimitExceeded);
}

TEST_CASE("Large WebP canvases are read from VP8X, not trusted", "[imaging][header]") {
    // VP8X canvas sizes are 24-bit: up to 16777216 a side.
    const std::string vp8x = std::string("RIFF", 4) + test::le32(30) + "WEBPVP8X" + test::le32(10) +
                             std::string("\x10\0\0\0", 4) +
                             std::string("\xff\xff\xff\xff\xff\xff", 6);
    const ImageHeader header = headerOf(vp8x);
    CHECK(header.width == 16777216);
    CHECK(header.height == 16777216);
    CHECK(checkImageLimits(header).error().code == ErrorCode::LimitExceeded);
}

TEST_CASE("JPEG markers are walked safely: APPn skipped, fill bytes allowed", "[imaging][header]") {
    const std::string jpeg = encodeImage(".jpg", test::makeTestImage(90, 60, 4));
    // An APP1 whose payload holds an EOI and a fake SOF, then a comment, then fill bytes.
    const std::string app1Payload =
        std::string("Exif\0\0\xff\xd9\xff\xc0\0\x11\x08\x7f\xff\x7f\xff", 17);
    const std::string app1 =
        std::string("\xff\xe1", 2) +
        test::be32(static_cast<std::uint32_t>(app1Payload.size() + 2)).substr(2) + app1Payload;
    const std::string comment = std::string("\xff\xfe\0\x07hello", 9);
    const std::string patched =
        jpeg.substr(0, 2) + app1 + comment + "\xff\xff\xff" + jpeg.substr(2);
    const ImageHeader header = headerOf(patched);
    CHECK(header.width == 90);
    CHECK(header.height == 60);
    CHECK(header.channels == 3);
}

TEST_CASE("Damaged or truncated JPEG headers are Corrupt", "[imaging][header]") {
    const std::string jpeg = encodeImage(".jpg", test::makeTestImage(90, 60, 4));
    CHECK(errorOf(jpeg.substr(0, 3)) == ErrorCode::Corrupt);
    CHECK(errorOf(jpeg.substr(0, 20)) == ErrorCode::Corrupt);                 // inside APP0 / DQT
    CHECK(errorOf(std::string("\xff\xd8\xff\xd9", 4)) == ErrorCode::Corrupt); // SOI, EOI
    CHECK(errorOf(std::string("\xff\xd8\xff\xda\0\x02", 6)) == ErrorCode::Corrupt); // scan, no SOF
    CHECK(errorOf(std::string("\xff\xd8\xff\xe0\0\x01", 6)) == ErrorCode::Corrupt); // length < 2
    CHECK(errorOf(std::string("\xff\xd8\xff\xe0\0\x04\0\0\x12", 9)) == ErrorCode::Corrupt);
    CHECK(errorOf(std::string("\xff\xd8\xff\xc0\0\x11\x08\0\x10", 9)) == ErrorCode::Corrupt);
    std::string noComponents = jpeg;
    noComponents[noComponents.find("\xff\xc0") + 9] = 0;
    CHECK(errorOf(noComponents) == ErrorCode::Corrupt);
    // Height 0 defers the height to a DNL marker: legal, rare, and not supported.
    CHECK(errorOf(test::jpegClaiming(jpeg, 90, 0)) == ErrorCode::Unsupported);
    CHECK(errorOf(test::jpegClaiming(jpeg, 0, 60)) == ErrorCode::Corrupt);
}

TEST_CASE("Damaged or truncated PNG and WebP headers are Corrupt", "[imaging][header]") {
    const std::string png = encodeImage(".png", test::makeTestImage(30, 20, 5));
    CHECK(errorOf(png.substr(0, 8)) == ErrorCode::Corrupt);
    CHECK(errorOf(png.substr(0, 32)) == ErrorCode::Corrupt);
    std::string flipped = png;
    flipped[17] ^= 0x01; // a bit in the width: the IHDR CRC no longer matches
    CHECK(errorOf(flipped) == ErrorCode::Corrupt);
    CHECK(errorOf(test::pngClaiming(0, 10)) == ErrorCode::Corrupt);
    CHECK(errorOf(test::pngClaiming(0x80000000U, 10)) == ErrorCode::Corrupt);
    CHECK(errorOf(test::pngClaiming(10, 10, 5)) == ErrorCode::Corrupt); // colour type 5

    const std::string webp =
        encodeImage(".webp", test::makeTestImage(30, 20, 5), {cv::IMWRITE_WEBP_QUALITY, 80});
    CHECK(errorOf(webp.substr(0, 16)) == ErrorCode::Corrupt);
    CHECK(errorOf(webp.substr(0, 25)) == ErrorCode::Corrupt);
    std::string badStart = webp;
    badStart[23] = 0;
    CHECK(errorOf(badStart) == ErrorCode::Corrupt);
    std::string unknownChunk = webp;
    unknownChunk.replace(12, 4, "ABCD");
    CHECK(errorOf(unknownChunk) == ErrorCode::Corrupt);
}

TEST_CASE("Empty, random and video bytes are not image headers", "[imaging][header]") {
    CHECK(errorOf("") == ErrorCode::Corrupt);
    std::mt19937 random(42);
    for (int round = 0; round < 200; ++round) {
        std::string bytes(static_cast<std::size_t>(random() % 200), '\0');
        for (char& c : bytes) {
            c = static_cast<char>(random());
        }
        // Whatever the bytes, the parser answers; it never reads out of bounds (ASan).
        auto header = readImageHeader(bytes);
        if (header) {
            CHECK(header->width > 0);
        }
    }
    CHECK(errorOf("this is plain text, not an image") == ErrorCode::Unsupported);
    CHECK(errorOf(std::string("\0\0\0\x18"
                              "ftypisom\0\0\0\0isomiso2",
                              24)) == ErrorCode::Unsupported);
}

TEST_CASE("Every prefix of a valid file parses or fails cleanly", "[imaging][header]") {
    const cv::Mat image = test::makeTestImage(33, 17, 9);
    for (const char* extension : {".png", ".jpg", ".webp", ".tif"}) {
        const std::string bytes = encodeImage(extension, image);
        for (std::size_t length = 0; length <= std::min<std::size_t>(bytes.size(), 700); ++length) {
            auto header = readImageHeader(std::string_view(bytes).substr(0, length));
            if (header) {
                CHECK(header->width == 33);
                CHECK(header->height == 17);
            } else {
                // Too short to recognise is Unsupported; recognised but cut short, Corrupt.
                const ErrorCode code = header.error().code;
                CHECK((code == ErrorCode::Corrupt || code == ErrorCode::Unsupported));
                CHECK_FALSE(header.error().message.empty());
            }
        }
    }
}

#include "imaging/ImageDecoder.h"

#include "CraftedImages.h"
#include "imaging/ImageHeader.h"
#include "support/TempDir.h"
#include "support/TestImages.h"

#include <catch2/catch.hpp>
#include <chrono>
#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>

using namespace ripen;
using ripen::test::encodeImage;

namespace {

cv::Mat decoded(const std::string& bytes, const DecodeOptions& options = {}) {
    auto image = decodeImage(bytes, options);
    INFO((image ? std::string() : image.error().message));
    REQUIRE(image);
    return *image;
}

Error decodeError(const std::string& bytes) {
    auto image = decodeImage(bytes);
    REQUIRE_FALSE(image);
    INFO(image.error().message);
    CHECK_FALSE(image.error().message.empty());
    return image.error();
}

double meanDifference(const cv::Mat& a, const cv::Mat& b) {
    cv::Mat difference;
    cv::absdiff(a, b, difference);
    const cv::Scalar mean = cv::mean(difference);
    return (mean[0] + mean[1] + mean[2]) / 3.0;
}

cv::Mat withAlpha(const cv::Mat& bgr, int alpha) {
    cv::Mat bgra;
    cv::cvtColor(bgr, bgra, cv::COLOR_BGR2BGRA);
    bgra.forEach<cv::Vec4b>(
        [alpha](cv::Vec4b& pixel, const int*) { pixel[3] = static_cast<uchar>(alpha); });
    return bgra;
}

} // namespace

TEST_CASE("Every format cv::imwrite writes reads back from disk and decodes", "[imaging][decode]") {
    const test::TempDir dir;
    const cv::Mat image = test::makeTestImage(200, 120, 3);
    for (const char* name : {"a.png", "a.jpg", "a.webp", "a.tif"}) {
        SECTION(name) {
            test::writeTestImage(dir / name, image);
            const std::string bytes = test::readBytes(dir / name);
            auto header = readImageHeader(bytes);
            REQUIRE(header);
            CHECK(header->width == 200);
            CHECK(header->height == 120);
            const cv::Mat result = decoded(bytes);
            CHECK(result.type() == CV_8UC3);
            CHECK(result.size() == image.size());
            CHECK(meanDifference(result, image) < 4.0); // JPEG is lossy, the rest exact
        }
    }
}

TEST_CASE("Alpha survives as BGRA; grey and 16-bit come back as 8-bit BGR", "[imaging][decode]") {
    const cv::Mat image = test::makeTestImage(80, 60, 5);
    const cv::Mat halfTransparent = withAlpha(image, 100);
    for (const char* extension : {".png", ".webp", ".tif"}) {
        INFO(extension);
        const cv::Mat result = decoded(encodeImage(extension, halfTransparent));
        CHECK(result.type() == CV_8UC4);
        CHECK(cv::mean(result)[3] == Approx(100.0));
    }
    cv::Mat grey;
    cv::cvtColor(image, grey, cv::COLOR_BGR2GRAY);
    CHECK(decoded(encodeImage(".png", grey)).type() == CV_8UC3);
    CHECK(decoded(encodeImage(".jpg", grey)).type() == CV_8UC3);
    cv::Mat deep;
    image.convertTo(deep, CV_16U, 257.0);
    const cv::Mat fromDeep = decoded(encodeImage(".png", deep));
    CHECK(fromDeep.type() == CV_8UC3);
    CHECK(meanDifference(fromDeep, image) < 1.0);
    cv::Mat deepAlpha;
    halfTransparent.convertTo(deepAlpha, CV_16U, 257.0);
    CHECK(decoded(encodeImage(".png", deepAlpha)).type() == CV_8UC4);
}

TEST_CASE("Thumbnail decodes of JPEG use the smallest scale still big enough",
          "[imaging][decode]") {
    const std::string jpeg = encodeImage(".jpg", test::makeTestImage(2000, 1000, 8));
    // 2000/8 = 250 is under 256, so a quarter-size decode (500 px) is the smallest that serves.
    CHECK(decoded(jpeg, {.reducedForThumbnailSide = 256}).cols == 500);
    CHECK(decoded(jpeg, {.reducedForThumbnailSide = 250}).cols == 250);
    CHECK(decoded(jpeg, {.reducedForThumbnailSide = 900}).cols == 1000);
    CHECK(decoded(jpeg, {.reducedForThumbnailSide = 1500}).cols == 2000);
    CHECK(decoded(jpeg).cols == 2000);
    // Other formats ignore the hint and decode at full size.
    const std::string png = encodeImage(".png", test::makeTestImage(2000, 1000, 8));
    CHECK(decoded(png, {.reducedForThumbnailSide = 256}).cols == 2000);
}

TEST_CASE("Headers over the limits are refused before any decoder runs", "[imaging][decode]") {
    const auto start = std::chrono::steady_clock::now();
    const Error bomb = decodeError(test::pngClaiming(50000, 50000));
    CHECK(bomb.code == ErrorCode::LimitExceeded);
    CHECK(bomb.message.find("50000x50000") != std::string::npos);
    // 50000^2 RGBA would be 10 GB; refusing it must not start decoding (which would take
    // many seconds, if the allocation did not fail first). The bound leaves room for a
    // loaded CI machine.
    CHECK(std::chrono::steady_clock::now() - start < std::chrono::seconds(1));

    const std::string jpeg = encodeImage(".jpg", test::makeTestImage(64, 64, 1));
    const Error big = decodeError(test::jpegClaiming(jpeg, 20000, 20000));
    CHECK(big.code == ErrorCode::LimitExceeded);
    CHECK(big.message.find("20000x20000") != std::string::npos);
    CHECK(decodeError(test::pngClaiming(16385, 1)).code == ErrorCode::LimitExceeded);
}

TEST_CASE("OpenCV decodes a JPEG cut in half into a grey-padded image", "[imaging][decode]") {
    // Why decodeImage walks to EOI itself: libjpeg only warns ("Premature end of JPEG file")
    // and fills the missing rows, so a half-downloaded file would be imported as valid.
    const std::string jpeg = encodeImage(".jpg", test::makeTestImage(300, 200, 2));
    const std::string half = jpeg.substr(0, jpeg.size() / 2);
    const cv::Mat lax =
        cv::imdecode(std::vector<uchar>(half.begin(), half.end()), cv::IMREAD_COLOR);
    CHECK_FALSE(lax.empty());
    const Error error = decodeError(half);
    CHECK(error.code == ErrorCode::Corrupt);
    CHECK(error.message.find("truncated") != std::string::npos);
}

TEST_CASE("Truncated files are Corrupt in every format", "[imaging][decode]") {
    const cv::Mat image = test::makeTestImage(300, 200, 2);
    for (const char* extension : {".png", ".jpg", ".webp", ".tif"}) {
        const std::string bytes = encodeImage(extension, image);
        for (std::size_t keep : {bytes.size() / 2, bytes.size() - 1, std::size_t{40}}) {
            INFO(extension << " cut to " << keep << " of " << bytes.size() << " bytes");
            CHECK(decodeError(bytes.substr(0, keep)).code == ErrorCode::Corrupt);
        }
    }
    // A PNG whose IDAT is complete but whose IEND is gone decodes fine in libpng.
    const std::string png = encodeImage(".png", image);
    CHECK(decodeError(png.substr(0, png.size() - 12)).code == ErrorCode::Corrupt);
    // A JPEG missing only its final EOI marker.
    const std::string jpeg = encodeImage(".jpg", image);
    CHECK(decodeError(jpeg.substr(0, jpeg.size() - 2)).code == ErrorCode::Corrupt);
}

TEST_CASE("Data after the end of an image is tolerated", "[imaging][decode]") {
    const cv::Mat image = test::makeTestImage(120, 80, 6);
    // Motion Photos append a whole MP4 after the JPEG's EOI; some tools append zeros.
    const std::string trailer = std::string(1 << 20, '\0') + "\xff\xd8\xff\xe0 not the image";
    CHECK(decoded(encodeImage(".jpg", image) + trailer).size() == image.size());
    CHECK(decoded(encodeImage(".png", image) + trailer).size() == image.size());
}

TEST_CASE("JPEG fill bytes, restart markers and progressive scans decode", "[imaging][decode]") {
    const cv::Mat image = test::makeTestImage(160, 120, 1);
    const std::string restarts = encodeImage(".jpg", image, {cv::IMWRITE_JPEG_RST_INTERVAL, 2});
    CHECK(restarts.find("\xff\xd0") != std::string::npos);
    CHECK(decoded(restarts).size() == image.size());
    const std::string progressive = encodeImage(".jpg", image, {cv::IMWRITE_JPEG_PROGRESSIVE, 1});
    CHECK(decoded(progressive).size() == image.size());
    const std::string jpeg = encodeImage(".jpg", image);
    const std::string filled = jpeg.substr(0, 2) + "\xff\xff\xff" + jpeg.substr(2);
    CHECK(decoded(filled).size() == image.size());
}

TEST_CASE("Damaged image data is Corrupt, never an exception", "[imaging][decode]") {
    // A valid PNG header and IEND around an IDAT that is not a zlib stream.
    const std::string ihdr = test::be32(64) + test::be32(64) + std::string("\x08\x02\0\0\0", 5);
    const std::string garbage = std::string("\x89PNG\r\n\x1a\n", 8) + test::pngChunk("IHDR", ihdr) +
                                test::pngChunk("IDAT", "definitely not deflate") +
                                test::pngChunk("IEND", "");
    CHECK(decodeError(garbage).code == ErrorCode::Corrupt);

    std::string jpeg = encodeImage(".jpg", test::makeTestImage(64, 64, 1));
    const std::size_t dht = jpeg.find("\xff\xc4");
    REQUIRE(dht != std::string::npos);
    jpeg.replace(dht + 5, 16, std::string(16, '\xff')); // Huffman code counts that overflow
    auto result = decodeImage(jpeg);
    if (result) {
        WARN("libjpeg accepted a damaged Huffman table");
    } else {
        CHECK(result.error().code == ErrorCode::Corrupt);
    }
}

TEST_CASE("Empty, random and non-image bytes are refused", "[imaging][decode]") {
    CHECK(decodeError("").code == ErrorCode::Corrupt);
    CHECK(decodeError("random text that is no image at all").code == ErrorCode::Unsupported);
    CHECK(decodeError(std::string("\x1a\x45\xdf\xa3\x84\x42\x82\x81w", 9)).code ==
          ErrorCode::Unsupported);
}

TEST_CASE("Thumbnails keep the aspect ratio and never enlarge", "[imaging][thumbnail]") {
    const cv::Mat wide = test::makeTestImage(1000, 500, 2);
    auto thumb = makeThumbnailJpeg(wide);
    REQUIRE(thumb);
    CHECK(sniffMediaFormat(*thumb) == MediaFormat::Jpeg);
    const cv::Mat back = decoded(*thumb);
    CHECK(back.cols == 256);
    CHECK(back.rows == 128);

    auto tall = makeThumbnailJpeg(test::makeTestImage(300, 900, 2), 100, 70);
    REQUIRE(tall);
    CHECK(decoded(*tall).size() == cv::Size(33, 100));

    auto small = makeThumbnailJpeg(test::makeTestImage(40, 30, 2));
    REQUIRE(small);
    CHECK(decoded(*small).size() == cv::Size(40, 30));

    auto sliver = makeThumbnailJpeg(test::makeTestImage(5000, 3, 2), 64);
    REQUIRE(sliver);
    CHECK(decoded(*sliver).size() == cv::Size(64, 1));

    cv::Mat grey;
    cv::cvtColor(wide, grey, cv::COLOR_BGR2GRAY);
    CHECK(makeThumbnailJpeg(grey));
}

TEST_CASE("Transparent pixels flatten onto neutral grey in thumbnails", "[imaging][thumbnail]") {
    // Bright red hidden under alpha 0 must not show through.
    const cv::Mat hidden = withAlpha(cv::Mat(300, 300, CV_8UC3, cv::Scalar(0, 0, 255)), 0);
    auto thumb = makeThumbnailJpeg(hidden, 64);
    REQUIRE(thumb);
    const cv::Scalar mean = cv::mean(decoded(*thumb));
    for (int c = 0; c < 3; ++c) {
        CHECK(mean[c] == Approx(128.0).margin(3.0));
    }
    const cv::Mat opaque = withAlpha(cv::Mat(300, 300, CV_8UC3, cv::Scalar(0, 0, 255)), 255);
    auto red = makeThumbnailJpeg(opaque, 64);
    REQUIRE(red);
    CHECK(cv::mean(decoded(*red))[2] > 240.0);
}

TEST_CASE("Thumbnail arguments are validated", "[imaging][thumbnail]") {
    const cv::Mat image = test::makeTestImage(50, 50, 1);
    CHECK(makeThumbnailJpeg(cv::Mat()).error().code == ErrorCode::InvalidArgument);
    CHECK(makeThumbnailJpeg(image, 0).error().code == ErrorCode::InvalidArgument);
    CHECK(makeThumbnailJpeg(image, 256, 0).error().code == ErrorCode::InvalidArgument);
    CHECK(makeThumbnailJpeg(image, 256, 101).error().code == ErrorCode::InvalidArgument);
    cv::Mat floating;
    image.convertTo(floating, CV_32F);
    CHECK(makeThumbnailJpeg(floating).error().code == ErrorCode::InvalidArgument);
}

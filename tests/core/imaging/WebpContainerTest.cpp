#include "imaging/WebpContainer.h"

#include "support/TestImages.h"

#include <catch2/catch.hpp>
#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>

using namespace ripen;

namespace {

cv::Mat decode(const std::string& bytes) {
    return cv::imdecode(
        cv::Mat(1, static_cast<int>(bytes.size()), CV_8U, const_cast<char*>(bytes.data())),
        cv::IMREAD_UNCHANGED);
}

std::string losslessWithAlpha() {
    cv::Mat image = test::makeTestImage(40, 24, 9);
    cv::Mat bgra;
    cv::cvtColor(image, bgra, cv::COLOR_BGR2BGRA);
    bgra.at<cv::Vec4b>(3, 5)[3] = 0; // one transparent pixel
    std::vector<unsigned char> out;
    REQUIRE(cv::imencode(".webp", bgra, out, {cv::IMWRITE_WEBP_QUALITY, 101})); // >100: lossless
    return {out.begin(), out.end()};
}

} // namespace

TEST_CASE("metadata chunks go into a simple WebP without touching its bitstream", "[webp]") {
    const std::string original = losslessWithAlpha();
    auto written = WebpContainer::withMetadata(original, {"icc-bytes", "exif-block", "<xmp/>"});
    REQUIRE(written);
    CHECK(written->substr(12, 4) == "VP8X");
    const auto flags = static_cast<std::uint8_t>((*written)[20]);
    CHECK((flags & 0x20) != 0); // ICC
    CHECK((flags & 0x10) != 0); // alpha, from the VP8L header
    CHECK((flags & 0x08) != 0); // EXIF
    CHECK((flags & 0x04) != 0); // XMP
    CHECK(cv::norm(decode(original), decode(*written), cv::NORM_INF) == 0);

    auto read = WebpContainer::read(*written);
    REQUIRE(read);
    CHECK(read->icc == "icc-bytes");
    CHECK(read->exif == "exif-block");
    CHECK(read->xmp == "<xmp/>"); // an even-sized payload after an odd one: padding honoured

    // Replacing one chunk keeps the others and does not duplicate headers.
    auto again = WebpContainer::withMetadata(*written, {"", "", "<x:xmpmeta/>"});
    REQUIRE(again);
    CHECK(again->find("VP8X", 16) == std::string::npos);
    CHECK(WebpContainer::read(*again)->icc == "icc-bytes");
    CHECK(WebpContainer::read(*again)->xmp == "<x:xmpmeta/>");
}

TEST_CASE("damaged and animated WebP files are refused with the reason", "[webp]") {
    const std::string original = losslessWithAlpha();
    SECTION("cut short") {
        auto result = WebpContainer::read(original.substr(0, original.size() - 10));
        REQUIRE_FALSE(result);
        CHECK(result.error().code == ErrorCode::Corrupt);
        CHECK(result.error().message.find("RIFF size") != std::string::npos);
    }
    SECTION("a chunk longer than the file") {
        std::string bad = original;
        bad[16] = '\xff'; // the first chunk's size
        bad[17] = '\xff';
        bad[18] = '\xff';
        auto result = WebpContainer::read(bad);
        REQUIRE_FALSE(result);
        CHECK(result.error().message.find("VP8L chunk at byte 12") != std::string::npos);
    }
    SECTION("not WebP") {
        CHECK_FALSE(WebpContainer::read("RIFF\x04\0\0\0WAVE"));
    }
    SECTION("animated") {
        std::string animated = "RIFF";
        animated += std::string("\x16\0\0\0", 4) + "WEBP" + "VP8X" + std::string("\x0a\0\0\0", 4);
        animated += std::string("\x02\0\0\0\x09\0\0\x09\0\0", 10);
        auto result = WebpContainer::read(animated);
        REQUIRE_FALSE(result);
        CHECK(result.error().code == ErrorCode::Unsupported);
    }
}

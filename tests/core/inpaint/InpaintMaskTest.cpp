// Reading a mask file: the conventions people paint in, and clear words for bad masks.
#include "imaging/inpaint/InpaintMask.h"

#include "support/MaskChecks.h"
#include "support/TempDir.h"
#include "support/TestImages.h"

#include <catch2/catch.hpp>
#include <opencv2/imgproc.hpp>

using namespace ripen;
using namespace ripen::test;

TEST_CASE("A grey PNG mask reads white as change", "[inpaint][mask]") {
    TempDir dir;
    writeTestImage(dir / "mask.png", rectMask({40, 30}, {10, 10, 5, 5}));
    auto mask = loadInpaintMask(dir / "mask.png", {40, 30});
    REQUIRE(mask);
    CHECK(mask->type() == CV_8UC1);
    CHECK(cv::countNonZero(*mask) == 25);
    CHECK(mask->at<uchar>(12, 12) == 255);
}

TEST_CASE("An alpha PNG mask reads opaque as change, whatever its colour", "[inpaint][mask]") {
    TempDir dir;
    cv::Mat rgba(30, 40, CV_8UC4, cv::Scalar(255, 255, 255, 0)); // white but transparent
    rgba(cv::Rect(0, 0, 8, 8)).setTo(cv::Scalar(0, 0, 0, 255));  // black but opaque
    writeTestImage(dir / "alpha.png", rgba);
    auto mask = loadInpaintMask(dir / "alpha.png", {40, 30});
    REQUIRE(mask);
    CHECK(cv::countNonZero(*mask) == 64);
    CHECK(mask->at<uchar>(2, 2) == 255);
    CHECK(mask->at<uchar>(20, 20) == 0);
}

TEST_CASE("An opaque RGBA mask reads its grey level", "[inpaint][mask]") {
    cv::Mat rgba(30, 40, CV_8UC4, cv::Scalar(0, 0, 0, 255));
    rgba(cv::Rect(5, 5, 3, 3)).setTo(cv::Scalar(255, 255, 255, 255));
    auto mask = inpaintMaskFromPixels(rgba, "m.png", {40, 30});
    REQUIRE(mask);
    CHECK(cv::countNonZero(*mask) == 9);
}

TEST_CASE("Bad masks are refused with what is wrong", "[inpaint][mask]") {
    TempDir dir;
    SECTION("another size names both sizes") {
        writeTestImage(dir / "mask.png", rectMask({512, 512}, {1, 1, 9, 9}));
        auto mask = loadInpaintMask(dir / "mask.png", {1024, 768});
        REQUIRE_FALSE(mask);
        CHECK(mask.error().code == ErrorCode::InvalidArgument);
        CHECK_THAT(mask.error().message,
                   Catch::Contains("mask.png is 512x512 but the image is 1024x768"));
    }
    SECTION("an empty mask") {
        writeTestImage(dir / "mask.png", cv::Mat::zeros(30, 40, CV_8UC1));
        auto mask = loadInpaintMask(dir / "mask.png", {40, 30});
        REQUIRE_FALSE(mask);
        CHECK_THAT(mask.error().message, Catch::Contains("mask.png is empty"));
    }
    SECTION("a mask covering everything") {
        writeTestImage(dir / "mask.png", cv::Mat(30, 40, CV_8UC1, cv::Scalar(255)));
        auto mask = loadInpaintMask(dir / "mask.png", {40, 30});
        REQUIRE_FALSE(mask);
        CHECK_THAT(mask.error().message, Catch::Contains("covers the whole image"));
    }
    SECTION("a file that is not an image") {
        writeBytes(dir / "mask.png", "\x89PNG\r\n\x1a\nthis is not a PNG at all");
        auto mask = loadInpaintMask(dir / "mask.png", {40, 30});
        REQUIRE_FALSE(mask);
        CHECK_THAT(mask.error().message, Catch::Contains("mask.png"));
    }
    SECTION("a header claiming a huge mask is refused before decoding") {
        writeBytes(dir / "mask.png", pngClaimingSize(100000, 100000));
        auto mask = loadInpaintMask(dir / "mask.png", {40, 30});
        REQUIRE_FALSE(mask);
        CHECK(mask.error().code == ErrorCode::LimitExceeded);
    }
    SECTION("a missing file") {
        auto mask = loadInpaintMask(dir / "nowhere.png", {40, 30});
        REQUIRE_FALSE(mask);
        CHECK_THAT(mask.error().message, Catch::Contains("nowhere.png"));
    }
}

// The compositing guarantee: whatever an engine returns, outside mask+feather is exact.
#include "imaging/inpaint/MaskCompositor.h"

#include "imaging/inpaint/MaskOps.h"
#include "support/MaskChecks.h"
#include "support/TestImages.h"

#include <catch2/catch.hpp>
#include <opencv2/imgproc.hpp>

using namespace ripen;
using namespace ripen::test;

namespace {

cv::Mat colourShifted(const cv::Mat& image, int shift) {
    cv::Mat shifted;
    image.convertTo(shifted, -1, 1.0, shift);
    return shifted;
}

cv::Mat noise(cv::Size size, int type) {
    cv::Mat garbage(size, type);
    cv::randu(garbage, cv::Scalar::all(0), cv::Scalar::all(256));
    return garbage;
}

} // namespace

TEST_CASE("Outside mask and feather the original survives any engine result",
          "[inpaint][composite]") {
    const cv::Mat original = makeTestImage(200, 150, 3);
    const cv::Mat mask = ellipseMask(original.size(), {100, 70}, 0.08);
    const int feather = GENERATE(0, 6);
    CAPTURE(feather);
    cv::Mat result;
    SECTION("colour-shifted") {
        result = colourShifted(original, 40);
    }
    SECTION("another size") {
        result = makeTestImage(512, 512, 9);
    }
    SECTION("another aspect and grey") {
        cv::cvtColor(makeTestImage(90, 300, 4), result, cv::COLOR_BGR2GRAY);
    }
    SECTION("with alpha") {
        cv::cvtColor(noise(original.size(), CV_8UC3), result, cv::COLOR_BGR2BGRA);
    }
    SECTION("garbage") {
        result = noise(original.size(), CV_8UC3);
    }
    auto out = compositeThroughMask(original, result, mask, {feather, false});
    REQUIRE(out);
    REQUIRE(out->size() == original.size());
    REQUIRE(out->type() == original.type());
    const cv::Mat region = changeableRegion(mask, feather);
    CHECK(changedOutside(*out, original, region) == 0);
    CHECK(changedInside(*out, original, mask) > 0);
}

TEST_CASE("Inside the mask the engine's pixels are taken as they are", "[inpaint][composite]") {
    const cv::Mat original = makeTestImage(64, 64, 1);
    const cv::Mat result = makeTestImage(64, 64, 2);
    cv::Mat mask = cv::Mat::zeros(64, 64, CV_8UC1);
    mask(cv::Rect(10, 10, 20, 20)).setTo(cv::Scalar(255));
    auto out = compositeThroughMask(original, result, mask, {4, false});
    REQUIRE(out);
    CHECK(cv::norm((*out)(cv::Rect(10, 10, 20, 20)), result(cv::Rect(10, 10, 20, 20)),
                   cv::NORM_INF) == 0);
    // In the feather the output lies between the two, nearer the result at the edge.
    const auto& o = original.at<cv::Vec3b>(20, 8);
    const auto& r = result.at<cv::Vec3b>(20, 8);
    const auto& c = out->at<cv::Vec3b>(20, 8);
    for (int i = 0; i < 3; ++i) {
        CHECK(c[i] >= std::min(o[i], r[i]));
        CHECK(c[i] <= std::max(o[i], r[i]));
    }
}

TEST_CASE("An RGBA original keeps its alpha where the result has none", "[inpaint][composite]") {
    cv::Mat original;
    cv::cvtColor(makeTestImage(50, 40, 5), original, cv::COLOR_BGR2BGRA);
    original(cv::Rect(0, 0, 50, 20)).forEach<cv::Vec4b>([](cv::Vec4b& p, const int*) {
        p[3] = 90;
    });
    cv::Mat mask = cv::Mat::zeros(40, 50, CV_8UC1);
    mask(cv::Rect(5, 5, 10, 10)).setTo(cv::Scalar(255));
    auto out = compositeThroughMask(original, makeTestImage(50, 40, 6), mask, {2, false});
    REQUIRE(out);
    REQUIRE(out->type() == CV_8UC4);
    CHECK(out->at<cv::Vec4b>(8, 8)[3] == 90);
    CHECK(changedOutside(*out, original, changeableRegion(mask, 2)) == 0);
}

TEST_CASE("Poisson colour match pulls a shifted result back to the original's colours",
          "[inpaint][composite]") {
    const cv::Mat original = makeTestImage(160, 120, 8);
    const cv::Mat mask = ellipseMask(original.size(), {80, 60}, 0.1);
    const cv::Mat shifted = colourShifted(original, 45);
    auto plain = compositeThroughMask(original, shifted, mask, {3, false});
    auto matched = compositeThroughMask(original, shifted, mask, {3, true});
    REQUIRE(plain);
    REQUIRE(matched);
    CHECK(changedOutside(*matched, original, changeableRegion(mask, 3)) == 0);
    // The shift is a constant offset: the gradients match the original's, so the Poisson
    // solution with the original's border is the original itself (up to rounding).
    const double plainError =
        cv::norm(*plain, original, cv::NORM_L1, mask) / cv::countNonZero(mask);
    const double matchedError =
        cv::norm(*matched, original, cv::NORM_L1, mask) / cv::countNonZero(mask);
    CHECK(plainError > 60.0);
    CHECK(matchedError < 15.0);
}

TEST_CASE("Poisson colour match copes with a mask at the image border", "[inpaint][composite]") {
    const cv::Mat original = makeTestImage(80, 60, 8);
    cv::Mat mask = cv::Mat::zeros(60, 80, CV_8UC1);
    mask(cv::Rect(0, 0, 30, 60)).setTo(cv::Scalar(255));
    auto out = compositeThroughMask(original, colourShifted(original, 30), mask, {2, true});
    REQUIRE(out);
    CHECK(changedOutside(*out, original, changeableRegion(mask, 2)) == 0);
}

TEST_CASE("Compositing refuses inputs it cannot honour", "[inpaint][composite]") {
    const cv::Mat original = makeTestImage(40, 30, 1);
    const cv::Mat wrongMask = cv::Mat::zeros(10, 10, CV_8UC1);
    auto out = compositeThroughMask(original, original, wrongMask, {});
    REQUIRE_FALSE(out);
    CHECK_THAT(out.error().message, Catch::Contains("10x10") && Catch::Contains("40x30"));
    CHECK_FALSE(compositeThroughMask(original, cv::Mat(), cv::Mat::zeros(30, 40, CV_8UC1), {}));
    cv::Mat floats;
    original.convertTo(floats, CV_32FC3);
    CHECK_FALSE(compositeThroughMask(original, floats, cv::Mat::zeros(30, 40, CV_8UC1), {}));
}

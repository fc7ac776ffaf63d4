// The round-trip detail figure bench_upscale reports beside PSNR and SSIM.
#include "imaging/review/RestoredDetail.h"

#include <catch2/catch.hpp>
#include <opencv2/imgproc.hpp>

using namespace ripen;

namespace {

// Fine texture on soft shapes: detail in every band, like a photograph.
cv::Mat texturedScene() {
    cv::Mat texture(240, 320, CV_8UC3);
    cv::theRNG().state = 77;
    cv::randu(texture, 0, 255);
    cv::GaussianBlur(texture, texture, cv::Size(0, 0), 0.8);
    cv::Mat scene(texture.size(), CV_8UC3, cv::Scalar(60, 110, 170));
    cv::circle(scene, {160, 120}, 70, cv::Scalar(200, 180, 40), cv::FILLED, cv::LINE_AA);
    cv::addWeighted(scene, 0.7, texture, 0.3, 0, scene);
    return scene;
}

cv::Mat lanczosRoundTrip(const cv::Mat& image, int factor) {
    cv::Mat small;
    cv::resize(image, small, cv::Size(image.cols / factor, image.rows / factor), 0, 0,
               cv::INTER_AREA);
    cv::Mat back;
    cv::resize(small, back, image.size(), 0, 0, cv::INTER_LANCZOS4);
    return back;
}

// The Lanczos round trip with `amount` of the detail it lost added back (1: the original).
cv::Mat withDetail(const cv::Mat& original, const cv::Mat& roundTrip, double amount) {
    cv::Mat out;
    cv::addWeighted(original, amount, roundTrip, 1.0 - amount, 0, out);
    return out;
}

double restored(const cv::Mat& original, const cv::Mat& result, int factor) {
    auto detail = RestoredDetail::measure(original, result, factor);
    REQUIRE(detail);
    return detail->restored;
}

} // namespace

TEST_CASE("restored detail is 1 for the original, near 0 for Lanczos, above 1 for more",
          "[imaging][review]") {
    const int factor = GENERATE(2, 3, 4);
    const cv::Mat original = texturedScene();
    const cv::Mat lanczos = lanczosRoundTrip(original, factor);
    CHECK(restored(original, original, factor) == Approx(1.0).margin(1e-9));
    const double none = restored(original, lanczos, factor);
    const double half = restored(original, withDetail(original, lanczos, 0.5), factor);
    const double invented = restored(original, withDetail(original, lanczos, 1.6), factor);
    CHECK(none < 0.15); // photographs: 0.01-0.06 (docs/benchmarks.md)
    CHECK(half > none);
    CHECK(half < 0.5);
    CHECK(invented > 1.25); // more detail energy than the original had: invented texture
}

TEST_CASE("restored detail refuses images it cannot compare", "[imaging][review]") {
    const cv::Mat original = texturedScene();
    const cv::Mat smaller = original(cv::Rect(0, 0, 100, 80)).clone();
    const auto mismatch = RestoredDetail::measure(original, smaller, 4);
    REQUIRE_FALSE(mismatch);
    CHECK(mismatch.error().code == ErrorCode::InvalidArgument);
    CHECK_THAT(mismatch.error().message, Catch::Contains("320x240") && Catch::Contains("100x80"));
    const cv::Mat flat(240, 320, CV_8UC3, cv::Scalar(90, 90, 90));
    const auto nothing = RestoredDetail::measure(flat, flat, 4);
    REQUIRE_FALSE(nothing);
    CHECK_THAT(nothing.error().message, Catch::Contains("no detail"));
}

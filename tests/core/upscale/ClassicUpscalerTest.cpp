// The classic engine works in bands of rows so a cancel lands inside its steps; banding
// must not change a pixel of what the whole-image computation gives.
#include "imaging/upscale/ClassicUpscaler.h"

#include "RecordingProgress.h"

#include <catch2/catch.hpp>
#include <opencv2/imgproc.hpp>
#include <string>
#include <vector>

using namespace ripen;
using ripen::test::RecordingProgress;

namespace {

// The engine's definition as whole-image OpenCV calls: Lanczos, then where Canny (40, 120)
// finds edges, widened by the factor, 1.5x the upscale minus 0.5x its Gaussian blur.
cv::Mat wholeImageClassic(const cv::Mat& input, int factor) {
    cv::Mat up;
    cv::resize(input, up, cv::Size(), factor, factor, cv::INTER_LANCZOS4);
    cv::Mat blurred;
    cv::GaussianBlur(up, blurred, cv::Size(0, 0), 1.0 + 0.25 * factor);
    cv::Mat grey;
    cv::cvtColor(up, grey, up.channels() == 4 ? cv::COLOR_BGRA2GRAY : cv::COLOR_BGR2GRAY);
    cv::Mat edges;
    cv::Canny(grey, edges, 40, 120);
    cv::dilate(edges, edges, cv::Mat(), cv::Point(-1, -1), factor);
    cv::Mat sharpened;
    cv::addWeighted(up, 1.5, blurred, -0.5, 0, sharpened);
    sharpened.copyTo(up, edges);
    return up;
}

// Texture, soft and hard edges, and faint lines running the whole height, so Canny's
// weak edges hang on strong ones many bands away.
cv::Mat edgyScene(int width, int height, int channels) {
    cv::Mat noise(height, width, CV_8UC3);
    cv::theRNG().state = 1234;
    cv::randu(noise, 0, 255);
    cv::GaussianBlur(noise, noise, cv::Size(0, 0), 1.5);
    cv::Mat scene;
    cv::addWeighted(noise, 0.6, cv::Mat(height, width, CV_8UC3, cv::Scalar(90, 120, 150)), 0.4, 0,
                    scene);
    for (int i = 0; i < 6; ++i) {
        const int x = width * (i + 1) / 8;
        cv::line(scene, {x, 0}, {x + width / 10, height - 1}, cv::Scalar::all(100 + 25 * i), 1,
                 cv::LINE_AA);
    }
    cv::circle(scene, {width / 2, height / 2}, height / 3, cv::Scalar(250, 250, 250), 2);
    if (channels == 4) {
        cv::cvtColor(scene, scene, cv::COLOR_BGR2BGRA);
    }
    return scene;
}
} // namespace

TEST_CASE("the classic upscale in bands equals the whole-image computation", "[upscale]") {
    const int factor = GENERATE(2, 3, 4, 8);
    const int channels = GENERATE(3, 4);
    const cv::Mat input = edgyScene(97, 83, channels);
    RecordingProgress progress;
    // Small bands: many band edges for the resample, filters and edge tracing to cross.
    auto banded = ClassicUpscaler::run(input, factor, {}, progress, 20'000);
    REQUIRE(banded);
    const cv::Mat whole = wholeImageClassic(input, factor);
    REQUIRE(banded->size() == whole.size());
    REQUIRE(banded->type() == whole.type());
    CHECK(cv::norm(*banded, whole, cv::NORM_INF) == 0);
    // It did sharpen somewhere, or the comparison proves little.
    cv::Mat plain;
    cv::resize(input, plain, cv::Size(), factor, factor, cv::INTER_LANCZOS4);
    CHECK(cv::norm(*banded, plain, cv::NORM_INF) > 10);
    // Four steps in several bands each, rising to the end.
    REQUIRE(progress.reports.size() > 8);
    for (std::size_t i = 1; i < progress.reports.size(); ++i) {
        const auto& [done, total, message] = progress.reports[i];
        const auto& previous = progress.reports[i - 1];
        CHECK(done * previous.total >= previous.done * total);
    }
    CHECK_THAT(progress.reports.front().message, Catch::StartsWith("resampling, band 1/"));
}

TEST_CASE("a cancelled classic upscale stops within a band", "[upscale]") {
    const cv::Mat input = edgyScene(200, 150, 3);
    RecordingProgress progress;
    progress.cancelAfter = 5;
    std::stop_source stop;
    auto result = ClassicUpscaler::run(input, 4, stop.get_token(), progress, 20'000);
    REQUIRE_FALSE(result);
    CHECK(result.error().code == ErrorCode::Cancelled);
    CHECK(progress.reports.size() == 5); // nothing more after the cancel was seen
    // A stop token alone also stops it.
    RecordingProgress quiet;
    stop.request_stop();
    auto stopped = ClassicUpscaler::run(input, 4, stop.get_token(), quiet);
    REQUIRE_FALSE(stopped);
    CHECK(stopped.error().code == ErrorCode::Cancelled);
}

TEST_CASE("the classic upscale refuses factors and images it does not handle", "[upscale]") {
    NullProgress none;
    const cv::Mat input = edgyScene(20, 20, 3);
    CHECK(ClassicUpscaler::run(input, 5, {}, none).error().code == ErrorCode::InvalidArgument);
    cv::Mat wide;
    input.convertTo(wide, CV_16UC3);
    CHECK(ClassicUpscaler::run(wide, 2, {}, none).error().code == ErrorCode::InvalidArgument);
}

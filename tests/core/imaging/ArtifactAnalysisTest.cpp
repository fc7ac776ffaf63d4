// The review pane's figures must flag what a print buyer would see at 100% (noise invented
// in flat areas, halos along edges) and stay quiet on an honest enlargement.
#include "imaging/review/ArtifactAnalysis.h"

#include <catch2/catch.hpp>
#include <opencv2/imgproc.hpp>

using namespace ripen;

namespace {

// A small "photo": a smooth sky gradient, a hard-edged dark building and a bright disc,
// softened slightly as a lens would.
cv::Mat scene() {
    cv::Mat image(192, 256, CV_8UC3);
    for (int y = 0; y < image.rows; ++y) {
        const auto level = static_cast<unsigned char>(150 + y * 60 / image.rows);
        image.row(y).setTo(cv::Scalar(level + 20, level, level - 30));
    }
    cv::rectangle(image, {150, 90, 70, 102}, cv::Scalar(40, 45, 50), cv::FILLED);
    cv::circle(image, {70, 130}, 28, cv::Scalar(230, 235, 240), cv::FILLED);
    cv::GaussianBlur(image, image, cv::Size(0, 0), 0.7);
    return image;
}

cv::Mat enlarge(const cv::Mat& image, int factor, int interpolation = cv::INTER_LANCZOS4) {
    cv::Mat out;
    cv::resize(image, out, cv::Size(), factor, factor, interpolation);
    return out;
}

ArtifactAnalysis::Report analyse(const cv::Mat& original, const cv::Mat& upscaled) {
    auto report = ArtifactAnalysis::analyse(original, upscaled);
    REQUIRE(report);
    return *report;
}

} // namespace

TEST_CASE("an honest enlargement is clean", "[review]") {
    const cv::Mat original = scene();
    const auto lanczos = analyse(original, enlarge(original, 4));
    CHECK(lanczos.verdict == ArtifactAnalysis::Verdict::Clean);
    CHECK(lanczos.worstNoise < 0.5);
    CHECK(lanczos.worstOvershoot < 0.5);

    const auto cubic = analyse(original, enlarge(original, 4, cv::INTER_CUBIC));
    CHECK(cubic.verdict == ArtifactAnalysis::Verdict::Clean);
    CHECK(cubic.noiseMap.size() == cv::Size(8, 6)); // 1024x768 in 128 px tiles
}

TEST_CASE("noise invented in the sky is flagged where it is", "[review]") {
    const cv::Mat original = scene();
    cv::Mat upscaled = enlarge(original, 4);
    const cv::Rect sky(512, 64, 256, 128);
    cv::Mat noise(sky.size(), CV_16SC3);
    cv::randn(noise, 0, 6);
    cv::Mat patch;
    upscaled(sky).convertTo(patch, CV_16SC3);
    cv::Mat(patch + noise).convertTo(upscaled(sky), CV_8UC3);

    const auto report = analyse(original, upscaled);
    INFO("worst noise " << report.worstNoise);
    CHECK(report.verdict == ArtifactAnalysis::Verdict::LikelyArtifacts);
    CHECK(report.worstNoise >= ArtifactAnalysis::kNoiseLikely);
    REQUIRE_FALSE(report.worstTiles.empty());
    CHECK((report.worstTiles.front().rect & sky).area() > 0);
    CHECK(report.worstOvershoot < ArtifactAnalysis::kOvershootCheck);
}

TEST_CASE("halos from over-sharpening are flagged along the edges", "[review]") {
    const cv::Mat original = scene();
    const cv::Mat upscaled = enlarge(original, 4);
    cv::Mat blurred;
    cv::GaussianBlur(upscaled, blurred, cv::Size(0, 0), 3.0);
    cv::Mat sharpened;
    cv::addWeighted(upscaled, 2.5, blurred, -1.5, 0, sharpened); // a strong unsharp mask

    const auto report = analyse(original, sharpened);
    INFO("worst overshoot " << report.worstOvershoot);
    CHECK(report.verdict == ArtifactAnalysis::Verdict::LikelyArtifacts);
    CHECK(report.worstOvershoot >= ArtifactAnalysis::kOvershootLikely);
    const cv::Rect building(600, 360, 280, 408);
    const cv::Rect disc(168, 408, 224, 224);
    const cv::Rect worst = report.worstTiles.front().rect;
    CHECK(((worst & building).area() > 0 || (worst & disc).area() > 0));
}

TEST_CASE("images that are not an enlargement of each other are refused", "[review]") {
    const cv::Mat original = scene();
    const cv::Mat wide(768, 2048, CV_8UC3, cv::Scalar::all(128));
    auto result = ArtifactAnalysis::analyse(original, wide);
    REQUIRE_FALSE(result);
    CHECK(result.error().message.find("2048x768") != std::string::npos);
    CHECK(result.error().message.find("256x192") != std::string::npos);
    CHECK_FALSE(ArtifactAnalysis::analyse(enlarge(original, 2), original));
}

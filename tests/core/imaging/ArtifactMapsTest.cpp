// The maps the review pane overlays must light up exactly where an upscaler invented
// something (noise in a flat sky, halos around an edge) and stay dark on an honest one.
#include "imaging/review/ArtifactAnalysis.h"
#include "imaging/review/ArtifactOverlay.h"
#include "support/TempDir.h"

#include <catch2/catch.hpp>
#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>

using namespace ripen;

namespace {

// A flat sky gradient over a dark block with hard edges.
cv::Mat scene() {
    cv::Mat image(160, 240, CV_8UC3);
    for (int y = 0; y < image.rows; ++y) {
        const auto level = static_cast<unsigned char>(140 + y * 50 / image.rows);
        image.row(y).setTo(cv::Scalar(level + 25, level, level - 20));
    }
    cv::rectangle(image, {150, 70, 60, 90}, cv::Scalar(35, 40, 45), cv::FILLED);
    cv::GaussianBlur(image, image, cv::Size(0, 0), 0.7);
    return image;
}

cv::Mat lanczosX4(const cv::Mat& image) {
    cv::Mat out;
    cv::resize(image, out, cv::Size(), 4, 4, cv::INTER_LANCZOS4);
    return out;
}

ArtifactAnalysis::Report analyse(const cv::Mat& original, const cv::Mat& upscaled) {
    auto report = ArtifactAnalysis::analyse(original, upscaled);
    REQUIRE(report);
    return *report;
}

// The block map's values inside `rect` (upscale pixels), as the maximum.
double maxIn(const cv::Mat& blocks, int block, cv::Rect rect) {
    const cv::Rect cells(rect.x / block, rect.y / block, rect.width / block, rect.height / block);
    double max = 0;
    cv::minMaxLoc(blocks(cells), nullptr, &max);
    return max;
}

int opaquePixels(const cv::Mat& overlay) {
    std::vector<cv::Mat> planes;
    cv::split(overlay, planes);
    return cv::countNonZero(planes[3]);
}

} // namespace

TEST_CASE("artifact maps stay quiet on a clean Lanczos upscale", "[review][maps]") {
    const cv::Mat original = scene();
    const auto report = analyse(original, lanczosX4(original));
    REQUIRE(report.mapBlock == 8);
    CHECK(report.noiseBlocks.size() == cv::Size(120, 80));
    CHECK(report.overshootBlocks.size() == cv::Size(120, 80));
    double noise = 0;
    double overshoot = 0;
    cv::minMaxLoc(report.noiseBlocks, nullptr, &noise);
    cv::minMaxLoc(report.overshootBlocks, nullptr, &overshoot);
    CHECK(noise < ArtifactAnalysis::kNoiseCheck);
    CHECK(overshoot < ArtifactAnalysis::kOvershootCheck);
    CHECK(opaquePixels(artifactOverlay(report, ArtifactMap::Noise)) == 0);
    CHECK(opaquePixels(artifactOverlay(report, ArtifactMap::Overshoot)) == 0);
}

TEST_CASE("the noise map flags injected noise in the smooth sky, and only there",
          "[review][maps]") {
    const cv::Mat original = scene();
    cv::Mat upscaled = lanczosX4(original);
    const cv::Rect sky(96, 64, 192, 128);
    cv::Mat noise(sky.size(), CV_16SC3);
    cv::theRNG().state = 7;
    cv::randn(noise, 0, 6);
    cv::Mat patch;
    upscaled(sky).convertTo(patch, CV_16SC3);
    cv::Mat(patch + noise).convertTo(upscaled(sky), CV_8UC3);

    const auto report = analyse(original, upscaled);
    const cv::Rect inside(sky.x + 16, sky.y + 16, sky.width - 32, sky.height - 32);
    CHECK(maxIn(report.noiseBlocks, 8, inside) >= ArtifactAnalysis::kNoiseLikely);
    // Clean sky to the left of the patch and the ground under it stay below "check".
    CHECK(maxIn(report.noiseBlocks, 8, {0, 240, 80, 80}) < ArtifactAnalysis::kNoiseCheck);
    CHECK(maxIn(report.noiseBlocks, 8, {400, 40, 160, 200}) < ArtifactAnalysis::kNoiseCheck);
    // The overlay is opaque over the patch and transparent elsewhere.
    const cv::Mat overlay = artifactOverlay(report, ArtifactMap::Noise);
    CHECK(overlay.at<cv::Vec4b>(inside.y / 8 + 4, inside.x / 8 + 4)[3] > 0);
    CHECK(overlay.at<cv::Vec4b>(35, 5)[3] == 0);
    CHECK(opaquePixels(artifactOverlay(report, ArtifactMap::Overshoot)) == 0);
}

TEST_CASE("the over-sharpening map flags halos around a sharpened edge", "[review][maps]") {
    const cv::Mat original = scene();
    cv::Mat upscaled = lanczosX4(original);
    // Sharpen only around the block's left edge (x = 600 in the upscale).
    const cv::Rect edge(560, 320, 80, 280);
    cv::Mat blurred;
    cv::GaussianBlur(upscaled, blurred, cv::Size(0, 0), 3.0);
    cv::Mat sharpened;
    cv::addWeighted(upscaled, 2.5, blurred, -1.5, 0, sharpened);
    sharpened(edge).copyTo(upscaled(edge));

    const auto report = analyse(original, upscaled);
    CHECK(maxIn(report.overshootBlocks, 8, edge) >= ArtifactAnalysis::kOvershootCheck);
    CHECK(report.worstOvershoot >= ArtifactAnalysis::kOvershootLikely);
    // The block's right edge (x = 840) was left alone.
    CHECK(maxIn(report.overshootBlocks, 8, {800, 320, 80, 280}) <
          ArtifactAnalysis::kOvershootCheck);
    CHECK(maxIn(report.noiseBlocks, 8, {0, 0, 400, 200}) < ArtifactAnalysis::kNoiseCheck);
    REQUIRE_FALSE(report.worstTiles.empty());
    CHECK((report.worstTiles.front().rect & edge).area() > 0);
}

TEST_CASE("the maps are written as overlays and float figures", "[review][maps]") {
    const cv::Mat original = scene();
    const auto report = analyse(original, lanczosX4(original));
    test::TempDir dir;
    REQUIRE(writeArtifactMaps(report, dir / "maps"));
    const cv::Mat png = cv::imread((dir / "maps" / "noise-map.png").string(), cv::IMREAD_UNCHANGED);
    CHECK(png.type() == CV_8UC4);
    CHECK(png.size() == report.noiseBlocks.size());
    const cv::Mat tiff =
        cv::imread((dir / "maps" / "overshoot-map.tiff").string(), cv::IMREAD_UNCHANGED);
    REQUIRE(tiff.type() == CV_32FC1);
    CHECK(cv::norm(tiff, report.overshootBlocks, cv::NORM_INF) == 0);
}

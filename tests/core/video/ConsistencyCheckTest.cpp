#include "video/ConsistencyCheck.h"

#include "support/TempDir.h"
#include "support/TestVideos.h"
#include "video/CameraMove.h"
#include "video/MoveRenderer.h"

#include <catch2/catch.hpp>
#include <cmath>
#include <opencv2/imgproc.hpp>

using namespace ripen;

namespace {

// A clean 2 s pan at 25 fps, as frames.
std::vector<cv::Mat> panFrames(const test::TempDir& dir) {
    const cv::Mat still = test::makeTexturedStill(800, 360, 9);
    MoveRender render;
    render.path = cameraMovePath(CameraMove::PanRight, 800, 360, 320.0 / 180, 2);
    render.durationSeconds = 2;
    render.video.width = 320;
    render.video.height = 180;
    render.video.fps = 25;
    render.video.preset = "veryfast";
    NullProgress progress;
    REQUIRE(renderMove(still, render, dir / "pan.mp4", progress));
    return test::decodeAllFrames(dir / "pan.mp4");
}

// What a generator's morph looks like: the picture flows locally, not as a camera move.
cv::Mat morphed(const cv::Mat& frame) {
    cv::Mat mapX(frame.size(), CV_32F);
    cv::Mat mapY(frame.size(), CV_32F);
    for (int y = 0; y < frame.rows; ++y) {
        for (int x = 0; x < frame.cols; ++x) {
            mapX.at<float>(y, x) = static_cast<float>(x + 6 * std::sin(y / 9.0));
            mapY.at<float>(y, x) = static_cast<float>(y + 6 * std::cos(x / 11.0));
        }
    }
    cv::Mat out;
    cv::remap(frame, out, mapX, mapY, cv::INTER_LINEAR, cv::BORDER_REFLECT);
    return out;
}

ConsistencyReport check(const std::filesystem::path& clip) {
    NullProgress progress;
    auto report = checkConsistency(clip, progress);
    INFO((report ? std::string() : report.error().message));
    REQUIRE(report);
    return *report;
}

} // namespace

TEST_CASE("A clean pan is not flagged; a morphed frame in it is", "[video][check]") {
    test::TempDir dir;
    std::vector<cv::Mat> frames = panFrames(dir);
    REQUIRE(frames.size() == 50);

    const ConsistencyReport clean = check(dir / "pan.mp4");
    CHECK(clean.changes.size() == 49);
    CHECK(clean.flaggedCount == 0);
    for (const FrameChange& c : clean.changes) {
        CHECK(c.motionPixels > 2); // the pan is seen as motion, and explained by it
    }

    frames[25] = morphed(frames[25]);
    test::writeTestClip(dir / "morph.mp4", 320, 180, 25, 50, [&](int i) { return frames[i]; });
    const ConsistencyReport morph = check(dir / "morph.mp4");
    REQUIRE(morph.flaggedCount >= 1);
    REQUIRE_FALSE(morph.worst.empty());
    CHECK((morph.worst.front().index == 25 || morph.worst.front().index == 26));
    CHECK(morph.worst.front().seconds == Approx(1.0).margin(0.05));
    for (const FrameChange& c : morph.changes) {
        if (c.index != 25 && c.index != 26) {
            CHECK_FALSE(c.flagged);
        }
    }
    CHECK(morph.toJson()["worst"].size() == morph.worst.size());
}

TEST_CASE("A brightness jump is flagged as flicker", "[video][check]") {
    test::TempDir dir;
    std::vector<cv::Mat> frames = panFrames(dir);
    frames[30] += cv::Scalar(40, 40, 40);
    test::writeTestClip(dir / "flicker.mp4", 320, 180, 25, 50, [&](int i) { return frames[i]; });
    const ConsistencyReport report = check(dir / "flicker.mp4");
    REQUIRE(report.flaggedCount >= 1);
    CHECK((report.worst.front().index == 30 || report.worst.front().index == 31));
    CHECK(report.worst.front().flicker > report.flickerThreshold);
}

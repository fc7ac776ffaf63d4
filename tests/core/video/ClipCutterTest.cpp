#include "video/ClipCutter.h"

#include "support/TempDir.h"
#include "support/TestImages.h"
#include "support/TestVideos.h"
#include "video/VideoProbe.h"

#include <catch2/catch.hpp>
#include <opencv2/imgproc.hpp>

using namespace ripen;

namespace {

constexpr int kFps = 25;
constexpr int kFrames = 60; // 2.4 s; Ripen's writer puts a keyframe on every second

// A still sliding left 2 px a frame, numbered in the corner so frames can be told apart.
cv::Mat slidingFrame(const cv::Mat& still, int index) {
    cv::Mat frame = still(cv::Rect(index * 2, 0, 320, 180)).clone();
    cv::putText(frame, std::to_string(index), {8, 30}, cv::FONT_HERSHEY_SIMPLEX, 1,
                cv::Scalar(255, 255, 255), 2);
    return frame;
}

std::filesystem::path makeSource(const test::TempDir& dir) {
    const cv::Mat still = test::makeTexturedStill(320 + 2 * kFrames, 180, 3);
    const auto path = dir / "source.mp4";
    test::writeTestClip(path, 320, 180, kFps, kFrames,
                        [&](int i) { return slidingFrame(still, i); });
    return path;
}

// The same clip with a 440 Hz tone, as a Veo clip with sound would have.
std::filesystem::path makeSourceWithTone(const test::TempDir& dir) {
    const cv::Mat still = test::makeTexturedStill(320 + 2 * kFrames, 180, 3);
    const auto path = dir / "toned.mp4";
    test::writeTestClipWithTone(path, 320, 180, kFps, kFrames,
                                [&](int i) { return slidingFrame(still, i); });
    return path;
}

CutPlan planFor(std::vector<double> cuts, std::optional<double> aspect = std::nullopt,
                CropAnchor anchor = CropAnchor::Center) {
    CutPlan plan;
    plan.cutsSeconds = std::move(cuts);
    plan.aspect = aspect;
    plan.anchor = anchor;
    return plan;
}

std::vector<CutSegment> cut(const std::filesystem::path& clip, const CutPlan& plan,
                            const std::filesystem::path& outDir) {
    NullProgress progress;
    auto segments = cutClip(clip, plan, outDir, progress);
    INFO((segments ? std::string() : segments.error().message));
    REQUIRE(segments);
    return *segments;
}

// Every segment is a whole H.264 MP4 of the source's size and rate; together they hold
// every frame once and last as long as the source, within one frame.
void checkCoverage(const std::vector<CutSegment>& segments, int width, int height) {
    int frames = 0;
    double seconds = 0;
    double ffprobeSeconds = 0;
    bool haveFfprobe = true;
    for (const CutSegment& s : segments) {
        INFO(s.file.string());
        auto info = probeVideo(s.file);
        REQUIRE(info);
        CHECK(info->codecName == "h264");
        CHECK(info->width == width);
        CHECK(info->height == height);
        CHECK(static_cast<double>(info->frameRateNum) / info->frameRateDen == Approx(kFps));
        const auto decoded = static_cast<int>(test::decodeAllFrames(s.file).size());
        CHECK(decoded == s.frames);
        frames += decoded;
        seconds += static_cast<double>(info->durationMicros) / 1e6;
        if (auto facts = test::ffprobe(s.file)) {
            CHECK(facts->codec == "h264");
            CHECK(facts->frames == s.frames);
            CHECK(facts->width == width);
            ffprobeSeconds += facts->durationSeconds;
        } else {
            haveFfprobe = false;
        }
    }
    CHECK(frames == kFrames);
    CHECK(seconds == Approx(kFrames / double(kFps)).margin(1.0 / kFps));
    if (haveFfprobe) {
        CHECK(ffprobeSeconds == Approx(kFrames / double(kFps)).margin(1.0 / kFps));
    }
}

// Every segment has a sound track as long as its video, within one AAC frame (1024
// samples at 48 kHz) and one video frame; the outDir holds nothing but the segments.
void checkAudio(const std::vector<CutSegment>& segments, const std::filesystem::path& outDir) {
    for (const CutSegment& s : segments) {
        INFO(s.file.string());
        auto info = probeVideo(s.file);
        REQUIRE(info);
        CHECK(info->hasAudio);
        const auto audio = test::audioSeconds(s.file);
        REQUIRE(audio);
        CHECK(*audio == Approx(s.frames / double(kFps)).margin(1024.0 / 48000 + 1.0 / kFps));
    }
    const auto files = std::distance(std::filesystem::directory_iterator(outDir),
                                     std::filesystem::directory_iterator());
    CHECK(files == static_cast<std::ptrdiff_t>(segments.size()));
}

} // namespace

TEST_CASE("Cut segments keep the clip's sound, copied, re-encoded or reframed",
          "[video][cut][audio]") {
    test::TempDir dir;
    const auto source = makeSourceWithTone(dir);
    REQUIRE(probeVideo(source)->hasAudio);
    SECTION("cuts on keyframes copy video and sound") {
        const auto segments = cut(source, planFor({1, 2}), dir / "out");
        REQUIRE(segments.size() == 3);
        for (const CutSegment& s : segments) {
            CHECK(s.streamCopied);
        }
        checkCoverage(segments, 320, 180);
        checkAudio(segments, dir / "out");
    }
    SECTION("cuts between keyframes re-encode the video and keep the sound") {
        const auto segments = cut(source, planFor({0.5, 1.7}), dir / "out");
        REQUIRE(segments.size() == 3);
        CHECK_FALSE(segments[1].streamCopied);
        checkCoverage(segments, 320, 180);
        checkAudio(segments, dir / "out");
    }
    SECTION("a reframe keeps the sound") {
        const auto segments = cut(source, planFor({1, 2}, 9.0 / 16), dir / "out");
        REQUIRE(segments.size() == 3);
        checkCoverage(segments, 100, 180);
        checkAudio(segments, dir / "out");
    }
}

TEST_CASE("A silent clip gives silent segments", "[video][cut][audio]") {
    test::TempDir dir;
    const auto source = makeSource(dir);
    for (const CutSegment& s : cut(source, planFor({0.5, 2}), dir / "out")) {
        INFO(s.file.string());
        auto info = probeVideo(s.file);
        REQUIRE(info);
        CHECK_FALSE(info->hasAudio);
        CHECK_FALSE(test::audioSeconds(s.file));
    }
}

TEST_CASE("Cuts on keyframes are stream-copied and cover the clip", "[video][cut]") {
    test::TempDir dir;
    const auto source = makeSource(dir);
    auto timing = clipTiming(source);
    REQUIRE(timing);
    CHECK(timing->frames == kFrames);
    CHECK(timing->durationSeconds == Approx(2.4).margin(0.001));
    auto cuts = cutsEvery(1, timing->durationSeconds, timing->fps);
    REQUIRE(cuts);
    CHECK(*cuts == std::vector<double>{1, 2});

    const auto segments = cut(source, planFor(*cuts), dir / "out");
    REQUIRE(segments.size() == 3);
    for (const CutSegment& s : segments) {
        CHECK(s.streamCopied);
    }
    CHECK(segments[0].frames == 25);
    CHECK(segments[1].frames == 25);
    CHECK(segments[2].frames == 10);
    CHECK(segments[1].startSeconds == Approx(1.0));
    checkCoverage(segments, 320, 180);
    // A copied segment is the source's own frames: the second starts with frame 25.
    const auto original = test::decodeAllFrames(source);
    const auto second = test::decodeAllFrames(segments[1].file);
    CHECK(cv::norm(original[25], second[0], cv::NORM_INF) == 0);
}

TEST_CASE("Cuts between keyframes re-encode those segments and still cover the clip",
          "[video][cut]") {
    test::TempDir dir;
    const auto source = makeSource(dir);
    auto cuts = cutsAt({1.7, 0.5}, 2.4);
    REQUIRE(cuts);
    const auto segments = cut(source, planFor(*cuts), dir / "out");
    REQUIRE(segments.size() == 3);
    CHECK_FALSE(segments[0].streamCopied);
    CHECK_FALSE(segments[1].streamCopied);
    CHECK_FALSE(segments[2].streamCopied);
    CHECK(segments[0].frames == 12); // 0.5 s at 25 fps is frame 12.5: the cut takes frame 12
    checkCoverage(segments, 320, 180);
    // The re-encoded second segment starts with the source's frame 12 (near-identical).
    const auto original = test::decodeAllFrames(source);
    const auto second = test::decodeAllFrames(segments[1].file);
    CHECK(test::lumaPsnr(original[12], second[0]) > 30);
    CHECK(test::lumaPsnr(original[11], second[0]) < 25); // and not its neighbour
}

TEST_CASE("A reframe keeps the anchored part at the new aspect", "[video][cut]") {
    test::TempDir dir;
    const auto source = makeSource(dir);
    const CutPlan plan = planFor({1}, 9.0 / 16, CropAnchor::Left);
    const auto segments = cut(source, plan, dir / "out");
    REQUIRE(segments.size() == 2);
    checkCoverage(segments, 100, 180); // 180 * 9/16 = 101.25, rounded down to even
    const auto original = test::decodeAllFrames(source);
    const auto first = test::decodeAllFrames(segments[0].file);
    const cv::Mat left = original[0](cv::Rect(0, 0, 100, 180));
    CHECK(test::lumaPsnr(left, first[0]) > 30);
    const cv::Mat middle = original[0](cv::Rect(110, 0, 100, 180));
    CHECK(test::lumaPsnr(middle, first[0]) < 20); // the anchor chose the left edge
}

TEST_CASE("Scene changes are found at hard cuts, not in steady motion", "[video][cut]") {
    test::TempDir dir;
    const cv::Mat a = test::makeTexturedStill(440, 180, 1);
    const cv::Mat b = test::makeTexturedStill(440, 180, 2);
    const auto clip = dir / "scenes.mp4";
    test::writeTestClip(clip, 320, 180, kFps, kFrames,
                        [&](int i) { return slidingFrame(i < 30 ? a : b, i); });
    NullProgress progress;
    auto cuts = detectSceneCuts(clip, progress);
    REQUIRE(cuts);
    REQUIRE(cuts->size() == 1);
    CHECK(cuts->front() == Approx(30.0 / kFps).margin(0.001));
    auto none = detectSceneCuts(makeSource(dir), progress);
    REQUIRE(none);
    CHECK(none->empty());
}

TEST_CASE("Cut points come from the user's choice of every, scenes or in/out points",
          "[video][cut]") {
    test::TempDir dir;
    const auto clip = makeSource(dir); // 2.4 s, no scene change
    NullProgress progress;
    CutChoice every;
    every.everySeconds = 1;
    auto regular = cutPointsFor(clip, every, progress);
    REQUIRE(regular);
    CHECK(*regular == std::vector<double>{1, 2});
    CutChoice at;
    at.mode = CutMode::At;
    at.times = {1.6, 0.4};
    auto points = cutPointsFor(clip, at, progress);
    REQUIRE(points);
    CHECK(*points == std::vector<double>{0.4, 1.6});
    at.times = {0.4, 9};
    auto past = cutPointsFor(clip, at, progress);
    REQUIRE_FALSE(past);
    CHECK_THAT(past.error().message, Catch::Contains("9"));
    CutChoice scenes;
    scenes.mode = CutMode::Scenes;
    auto none = cutPointsFor(clip, scenes, progress);
    REQUIRE(none);
    CHECK(none->empty());
    CHECK(toString(CropAnchor::Left) == "left");
    CHECK(cropAnchorFromString("bottom") == CropAnchor::Bottom);
    CHECK_FALSE(cropAnchorFromString("middle"));
}

TEST_CASE("Bad cut requests and damaged clips are refused without files", "[video][cut]") {
    test::TempDir dir;
    auto past = cutsAt({1, 3}, 2.4);
    REQUIRE_FALSE(past);
    CHECK_THAT(past.error().message, Catch::StartsWith("at: the cut point 3"));
    CHECK_FALSE(cutsEvery(0, 2.4, 25));

    const auto source = makeSource(dir);
    const std::string bytes = test::readBytes(source);
    test::writeBytes(dir / "cut-short.mp4", bytes.substr(0, bytes.size() / 2));
    NullProgress progress;
    auto segments = cutClip(dir / "cut-short.mp4", planFor({1}), dir / "out", progress);
    REQUIRE_FALSE(segments);
    CHECK(segments.error().code == ErrorCode::Corrupt);
    CHECK_FALSE(std::filesystem::exists(dir / "out"));
}

#include "video/MoveRenderer.h"

#include "support/TempDir.h"
#include "support/TestImages.h"
#include "support/TestVideos.h"
#include "video/CameraMove.h"
#include "video/VideoProbe.h"

#include <algorithm>
#include <catch2/catch.hpp>
#include <opencv2/imgproc.hpp>

using namespace ripen;

namespace {

// A still with detail everywhere, so a phase correlation finds every frame's shift.
cv::Mat texturedStill(int width, int height) {
    return test::makeTexturedStill(width, height, 7);
}

MoveRender smallRender(const CameraPath& path, double seconds, int fps = 25) {
    MoveRender render;
    render.path = path;
    render.durationSeconds = seconds;
    render.video.width = 320;
    render.video.height = 180;
    render.video.fps = fps;
    render.video.preset = "veryfast";
    render.video.crf = 16;
    return render;
}

class CancelAfter final : public ProgressSink {
public:
    explicit CancelAfter(std::int64_t frames) : m_limit(frames) {}
    void report(std::int64_t done, std::int64_t, std::string_view) override { m_done = done; }
    bool cancelled() const override { return m_done >= m_limit; }

private:
    std::int64_t m_limit;
    std::int64_t m_done = 0;
};

std::string renderError(const cv::Mat& still, const MoveRender& render,
                        const std::filesystem::path& target) {
    NullProgress progress;
    auto ok = renderMove(still, render, target, progress);
    REQUIRE_FALSE(ok);
    return ok.error().message;
}

} // namespace

TEST_CASE("A zoom renders an H.264 MP4 of the asked size, rate, length and frame count",
          "[video][move]") {
    test::TempDir dir;
    const cv::Mat still = texturedStill(640, 640);
    const MoveRender render =
        smallRender(cameraMovePath(CameraMove::ZoomIn, 640, 640, 320.0 / 180, 1.2), 1.2);
    NullProgress progress;
    auto ok = renderMove(still, render, dir / "zoom.mp4", progress);
    INFO((ok ? std::string() : ok.error().message));
    REQUIRE(ok);

    auto info = probeVideo(dir / "zoom.mp4");
    REQUIRE(info);
    CHECK(info->codecName == "h264");
    CHECK(info->width == 320);
    CHECK(info->height == 180);
    CHECK(info->frameRateNum == 25);
    CHECK(info->frameRateDen == 1);
    CHECK(info->durationMicros == Approx(1'200'000).margin(40'000));
    CHECK(test::decodeAllFrames(dir / "zoom.mp4").size() == 30);
    if (auto facts = test::ffprobe(dir / "zoom.mp4")) {
        CHECK(facts->codec == "h264");
        CHECK(facts->width == 320);
        CHECK(facts->height == 180);
        CHECK(facts->frameRate == "25/1");
        CHECK(facts->frames == 30);
        CHECK(facts->durationSeconds == Approx(1.2).margin(0.04));
    } else {
        WARN("no ffprobe on PATH; checked with Ripen's own probe only");
    }
    // The index is at the front (faststart): "moov" comes before "mdat".
    const std::string bytes = test::readBytes(dir / "zoom.mp4");
    REQUIRE(bytes.find("moov") != std::string::npos);
    CHECK(bytes.find("moov") < bytes.find("mdat"));
}

TEST_CASE("Built-in moves keep every crop inside the still with the output's aspect",
          "[video][move]") {
    for (const char* name :
         {"pan-left", "pan-right", "pan-up", "pan-down", "zoom-in", "zoom-out", "dolly"}) {
        const auto move = cameraMoveFromString(name);
        REQUIRE(move);
        const CameraPath path = cameraMovePath(*move, 4096, 3000, 16.0 / 9, 6);
        for (double t = 0; t <= 6; t += 0.25) {
            const CropRect r = path.at(t);
            INFO(name << " at " << t);
            CHECK(r.x >= -1e-6);
            CHECK(r.y >= -1e-6);
            CHECK(r.x + r.width <= 4096 + 1e-6);
            CHECK(r.y + r.height <= 3000 + 1e-6);
            CHECK(r.width / r.height == Approx(16.0 / 9));
        }
        const CropRect first = path.at(0);
        const CropRect last = path.at(6);
        const bool moved = std::abs(first.centerX() - last.centerX()) > 10 ||
                           std::abs(first.centerY() - last.centerY()) > 10 ||
                           std::abs(first.width - last.width) > 10;
        CHECK(moved);
    }
    CHECK_FALSE(cameraMoveFromString("spin"));
}

TEST_CASE("A pan moves the picture by the same sub-pixel step every frame", "[video][move]") {
    test::TempDir dir;
    // 800x360 leaves a 512x288 pan crop 288 px of travel: 5.88 source px, 3.67 output px a
    // frame at 25 fps over 2 s. An integer crop would alternate 3 and 4 px steps.
    const cv::Mat still = texturedStill(800, 360);
    const CameraPath path = cameraMovePath(CameraMove::PanRight, 800, 360, 320.0 / 180, 2);
    NullProgress progress;
    REQUIRE(renderMove(still, smallRender(path, 2), dir / "pan.mp4", progress));

    const std::vector<cv::Mat> frames = test::decodeAllFrames(dir / "pan.mp4");
    REQUIRE(frames.size() == 50);
    std::vector<double> steps;
    for (std::size_t i = 1; i < frames.size(); ++i) {
        cv::Mat a;
        cv::Mat b;
        cv::cvtColor(frames[i - 1], a, cv::COLOR_BGR2GRAY);
        cv::cvtColor(frames[i], b, cv::COLOR_BGR2GRAY);
        a.convertTo(a, CV_64F);
        b.convertTo(b, CV_64F);
        steps.push_back(cv::phaseCorrelate(a, b).x);
    }
    const double expected = -(800.0 - 512.0) / 49 * (320.0 / 512.0); // content moves left
    for (std::size_t i = 0; i < steps.size(); ++i) {
        INFO("frame " << i + 1 << " moved " << steps[i] << " px");
        CHECK(steps[i] == Approx(expected).margin(0.3)); // no repeated, no jumping frame
    }
    // The path itself: the crop centre advances by one constant, fractional amount.
    const double dt = 1.0 / 25;
    const double step0 = path.at(dt).centerX() - path.at(0).centerX();
    CHECK(std::abs(step0 - std::round(step0)) > 0.1);
    for (int i = 1; i < 49; ++i) {
        CHECK(path.at((i + 1) * dt).centerX() - path.at(i * dt).centerX() ==
              Approx(step0).epsilon(1e-9));
    }
}

TEST_CASE("A keyframed path eases between its keys", "[video][move]") {
    const std::string json = R"({"keys": [
        {"t": 0, "x": 0, "y": 0, "w": 1600, "h": 900},
        {"t": 2, "x": 800, "y": 400, "w": 800, "h": 450, "ease": "ease-in-out"},
        {"t": 4, "x": 800, "y": 400, "w": 800, "h": 450}]})";
    auto path = parseCameraPath(json, {1600, 1200, 16.0 / 9, 4});
    INFO((path ? std::string() : path.error().message));
    REQUIRE(path);
    CHECK(path->at(0).width == Approx(1600));
    CHECK(path->at(1).x == Approx(400)); // smoothstep is half way at half time
    CHECK(path->at(0.2).x < 0.1 * 400);  // but starts slowly
    CHECK(path->at(3).x == Approx(800));
    CHECK(path->at(9).width == Approx(800));
}

TEST_CASE("A bad path file, duration or size is refused naming the field", "[video][move]") {
    const PathLimits limits{1600, 1200, 16.0 / 9, 4};
    auto error = [&](const std::string& json) {
        auto path = parseCameraPath(json, limits);
        REQUIRE_FALSE(path);
        return path.error().message;
    };
    CHECK_THAT(
        error(R"({"keys":[{"t":0,"x":0,"y":0,"w":1600,"h":900},{"t":2,"x":0,"y":0,"h":450}]})"),
        Catch::StartsWith("keys[1].w: missing"));
    CHECK_THAT(error(R"({"keys":[{"t":0,"x":0,"y":0,"w":1600,"h":900,"ease":"bounce"}]})"),
               Catch::StartsWith("keys[0].ease"));
    CHECK_THAT(error(R"({"keys":[{"t":0,"x":100,"y":0,"w":1600,"h":900}]})"),
               Catch::StartsWith("keys[0].x"));
    CHECK_THAT(error(R"({"keys":[{"t":0,"x":0,"y":0,"w":1600,"h":1000}]})"),
               Catch::StartsWith("keys[0].h"));
    CHECK_THAT(
        error(
            R"({"keys":[{"t":0,"x":0,"y":0,"w":1600,"h":900},{"t":9,"x":0,"y":0,"w":1600,"h":900}]})"),
        Catch::StartsWith("keys[1].t"));
    CHECK_THAT(error(R"({"keys":[{"t":0,"x":"0","y":0,"w":1600,"h":900}]})"),
               Catch::StartsWith("keys[0].x: must be a number"));
    CHECK_THAT(error(R"({"frames":[]})"), Catch::StartsWith("keys: missing"));
    CHECK_THAT(error("[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[1]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]"),
               Catch::Contains("path file"));

    test::TempDir dir;
    const cv::Mat still = texturedStill(640, 640);
    const CameraPath zoom = cameraMovePath(CameraMove::ZoomIn, 640, 640, 320.0 / 180, 1);
    CHECK_THAT(renderError(still, smallRender(zoom, 0), dir / "a.mp4"),
               Catch::StartsWith("duration"));
    MoveRender huge = smallRender(zoom, 1);
    huge.video.width = 100000;
    CHECK_THAT(renderError(still, huge, dir / "a.mp4"), Catch::StartsWith("size"));
    MoveRender badFps = smallRender(zoom, 1, 0);
    CHECK_THAT(renderError(still, badFps, dir / "a.mp4"), Catch::StartsWith("fps"));
    CHECK_THAT(renderError(texturedStill(200, 200), smallRender(zoom, 1), dir / "a.mp4"),
               Catch::Contains("upscale it first"));
    CHECK(std::filesystem::is_empty(dir.path()));
}

TEST_CASE("A cancelled render leaves no file behind", "[video][move]") {
    test::TempDir dir;
    const cv::Mat still = texturedStill(640, 640);
    const MoveRender render =
        smallRender(cameraMovePath(CameraMove::Dolly, 640, 640, 320.0 / 180, 2), 2);
    CancelAfter cancel(5);
    auto ok = renderMove(still, render, dir / "dolly.mp4", cancel);
    REQUIRE_FALSE(ok);
    CHECK(ok.error().code == ErrorCode::Cancelled);
    CHECK(std::filesystem::is_empty(dir.path()));
}

TEST_CASE("A path written by the editor reads back as the same path", "[video][move]") {
    const CameraPath path({{0, {0, 0, 1600, 900}, Easing::Linear},
                           {1.5, {400.25, 300.5, 800, 450}, Easing::EaseInOut},
                           {4, {1200, 750, 320, 180}, Easing::EaseOut}});
    const std::string json = cameraPathJson(path);
    auto read = parseCameraPath(json, {1600, 1200, 16.0 / 9, 4});
    INFO(json);
    REQUIRE(read);
    REQUIRE(read->keys().size() == 3);
    for (std::size_t i = 0; i < 3; ++i) {
        CHECK(read->keys()[i].timeSeconds == path.keys()[i].timeSeconds);
        CHECK(read->keys()[i].rect.x == path.keys()[i].rect.x);
        CHECK(read->keys()[i].rect.y == path.keys()[i].rect.y);
        CHECK(read->keys()[i].rect.width == path.keys()[i].rect.width);
        CHECK(read->keys()[i].easing == path.keys()[i].easing);
    }
    CHECK(json.find("linear") == std::string::npos); // the default is left out
    CHECK_THAT(json, Catch::Contains("\"ease\": \"ease-in-out\""));
}

TEST_CASE("A fitted crop keeps the aspect and stays inside the still", "[video][move]") {
    // Centred near the right edge: moved in, not cut.
    const CropRect edge = fittedCrop(1590, 450, 800, 16.0 / 9, 1600, 1200);
    CHECK(edge.width == Approx(800));
    CHECK(edge.height == Approx(450));
    CHECK(edge.x + edge.width == Approx(1600));
    CHECK(edge.y == Approx(225));
    // Wider than the still allows: the largest crop of that aspect.
    const CropRect wide = fittedCrop(100, 100, 5000, 9.0 / 16, 1600, 1200);
    CHECK(wide.height == Approx(1200));
    CHECK(wide.width == Approx(675));
    CHECK(wide.x == 0);
    CHECK(wide.y == 0);
    // Never smaller than 16 px wide.
    CHECK(fittedCrop(800, 600, 1, 1.0, 1600, 1200).width == Approx(16));
}

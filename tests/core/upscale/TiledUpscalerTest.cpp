#include "imaging/upscale/TiledUpscaler.h"

#include "ReferenceNet.h"

#include <atomic>
#include <catch2/catch.hpp>

using namespace ripen;
using namespace ripen::test;

namespace {

class CountingProgress final : public ProgressSink {
public:
    void report(std::int64_t done, std::int64_t count, std::string_view) override {
        last = done;
        total = count;
    }
    bool cancelled() const override { return cancelAfter >= 0 && last >= cancelAfter; }
    std::int64_t last = 0;
    std::int64_t total = 0;
    std::int64_t cancelAfter = -1;
};

cv::Mat untiled(SrEngine& engine, const cv::Mat& image) {
    auto out = engine.run(image);
    REQUIRE(out);
    cv::Mat rounded;
    out->convertTo(rounded, CV_8U);
    return rounded;
}

} // namespace

TEST_CASE("tiled inference equals untiled inference", "[upscale]") {
    const int scale = GENERATE(2, 3, 4);
    auto engine = SrEngine::create(everyOpNetwork(scale, scale != 4, true, 11));
    REQUIRE(engine);
    // Odd sizes so tiles are uneven and the last row and column are partial.
    const cv::Mat image = randomImage(101, 77, 5);
    const cv::Mat whole = untiled(*engine, image);
    TileSettings settings;
    settings.tile = 24;
    settings.blend = 6;
    CountingProgress progress;
    auto tiled = TiledUpscaler(*engine, settings).run(image, {}, progress);
    REQUIRE(tiled);
    CHECK(progress.total == 5 * 4);
    CHECK(progress.last == progress.total);
    REQUIRE(tiled->size() == whole.size());
    // Float rounding can move a value across a .5 boundary: one level, on few pixels.
    cv::Mat difference;
    cv::absdiff(*tiled, whole, difference);
    double worst = 0;
    cv::minMaxLoc(difference.reshape(1), nullptr, &worst);
    CHECK(worst <= 1.0);
    const int roundingOnly = cv::countNonZero(difference.reshape(1));
    CHECK(roundingOnly < static_cast<int>(difference.total()) / 200);

    SECTION("without context the tiles differ, so the margin is what makes them equal") {
        settings.margin = 0;
        settings.blend = 0;
        auto seams = TiledUpscaler(*engine, settings).run(image, {}, progress);
        REQUIRE(seams);
        cv::absdiff(*seams, whole, difference);
        cv::minMaxLoc(difference.reshape(1), nullptr, &worst);
        CHECK(worst >= 2.0);
        CHECK(cv::countNonZero(difference.reshape(1)) > 10 * roundingOnly);
    }
}

TEST_CASE("a tiled upscale stops between tiles when cancelled", "[upscale]") {
    auto engine = SrEngine::create(everyOpNetwork(2, true, true, 3));
    REQUIRE(engine);
    const cv::Mat image = randomImage(64, 64, 1);
    TileSettings settings;
    settings.tile = 16;
    CountingProgress progress;
    progress.cancelAfter = 3;
    auto cancelled = TiledUpscaler(*engine, settings).run(image, {}, progress);
    REQUIRE_FALSE(cancelled);
    CHECK(cancelled.error().code == ErrorCode::Cancelled);
    CHECK(progress.last == 3);

    std::stop_source stop;
    stop.request_stop();
    CountingProgress quiet;
    auto stopped = TiledUpscaler(*engine, settings).run(image, stop.get_token(), quiet);
    REQUIRE_FALSE(stopped);
    CHECK(stopped.error().code == ErrorCode::Cancelled);
    CHECK(quiet.last == 0);
}

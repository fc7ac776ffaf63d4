#include "video/FrameExtractor.h"

#include "imaging/ImageDecoder.h"
#include "support/TempDir.h"
#include "support/TestImages.h"
#include "support/TestVideos.h"

#include <catch2/catch.hpp>
#include <opencv2/imgproc.hpp>

using namespace ripen;

TEST_CASE("Every Nth frame becomes a PNG of the clip's size", "[video][frames]") {
    test::TempDir dir;
    const cv::Mat still = test::makeTexturedStill(320, 180, 4);
    test::writeTestClip(dir / "clip.mp4", 320, 180, 25, 50, [&](int) { return still; });
    NullProgress progress;
    auto frames = extractEveryNthFrame(dir / "clip.mp4", 10, dir / "frames", "clip", progress);
    INFO((frames ? std::string() : frames.error().message));
    REQUIRE(frames);
    REQUIRE(frames->size() == 5);
    CHECK((*frames)[2].index == 20);
    CHECK((*frames)[2].seconds == Approx(0.8));
    const std::vector<cv::Mat> decoded = test::decodeAllFrames(dir / "clip.mp4");
    for (const ExtractedFrame& f : *frames) {
        auto image = decodeImage(test::readBytes(f.file));
        REQUIRE(image);
        CHECK(image->size() == cv::Size(320, 180));
        // Lossless: the PNG holds exactly the decoded frame, which is the still after H.264.
        CHECK(cv::norm(*image, decoded[static_cast<std::size_t>(f.index)], cv::NORM_INF) == 0);
        CHECK(test::lumaPsnr(*image, still) > 30);
    }
    CHECK_FALSE(extractEveryNthFrame(dir / "clip.mp4", 0, dir / "frames", "clip", progress));
}

TEST_CASE("The poster frame is the sharpest frame of the clip's middle", "[video][frames]") {
    test::TempDir dir;
    const cv::Mat still = test::makeTexturedStill(320, 180, 5);
    cv::Mat blurred;
    cv::GaussianBlur(still, blurred, cv::Size(0, 0), 4);
    // Sharp at frames 0 (outside the middle) and 31; soft everywhere else.
    test::writeTestClip(dir / "clip.mp4", 320, 180, 25, 50,
                        [&](int i) { return i == 0 || i == 31 ? still : blurred; });
    NullProgress progress;
    auto poster = extractPosterFrame(dir / "clip.mp4", dir / "frames", "clip", progress);
    INFO((poster ? std::string() : poster.error().message));
    REQUIRE(poster);
    CHECK(poster->index == 31);
    CHECK(poster->file.filename() == "clip-poster.png");
    auto image = decodeImage(test::readBytes(poster->file));
    REQUIRE(image);
    CHECK(image->size() == cv::Size(320, 180));
}

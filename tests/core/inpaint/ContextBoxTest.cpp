// "Only masked": the context box around the mask, its scaling and the paste-back.
#include "imaging/inpaint/ContextBox.h"

#include "imaging/inpaint/InpaintPlan.h"
#include "imaging/inpaint/MaskOps.h"
#include "support/MaskChecks.h"
#include "support/TestImages.h"

#include <catch2/catch.hpp>

using namespace ripen;
using namespace ripen::test;

TEST_CASE("The context box pads the mask and its feather", "[inpaint][only-masked]") {
    const cv::Mat mask = rectMask({400, 300}, {100, 80, 50, 40});
    const ContextBox context = ContextBox::around(mask, 4, 10, 0);
    CHECK(context.box() == cv::Rect(86, 66, 78, 68));
    CHECK(context.workSize() == cv::Size(78, 68));
}

TEST_CASE("The context box is clamped at every image border", "[inpaint][only-masked]") {
    const cv::Size size(400, 300);
    SECTION("top left") {
        const ContextBox context = ContextBox::around(rectMask(size, {0, 0, 20, 10}), 0, 32, 0);
        CHECK(context.box() == cv::Rect(0, 0, 52, 42));
    }
    SECTION("bottom right") {
        const ContextBox context = ContextBox::around(rectMask(size, {390, 295, 10, 5}), 0, 32, 0);
        CHECK(context.box() == cv::Rect(358, 263, 42, 37));
    }
    SECTION("padding larger than the image") {
        const ContextBox context =
            ContextBox::around(rectMask(size, {100, 100, 10, 10}), 0, 1000, 0);
        CHECK(context.box() == cv::Rect(0, 0, 400, 300));
    }
    SECTION("an empty mask has no box") {
        CHECK(ContextBox::around(cv::Mat::zeros(size, CV_8UC1), 0, 32, 0).empty());
    }
}

TEST_CASE("The box is scaled to the engine's native size and back", "[inpaint][only-masked]") {
    const cv::Mat image = makeTestImage(800, 600, 2);
    const cv::Mat mask = rectMask(image.size(), {700, 500, 60, 40});
    const ContextBox context = ContextBox::around(mask, 0, 20, 1024);
    REQUIRE(context.box() == cv::Rect(680, 480, 100, 80));
    CHECK(context.workSize() == cv::Size(1024, 819));
    const cv::Mat crop = context.crop(image);
    CHECK(crop.size() == cv::Size(1024, 819));
    const cv::Mat cropMask = context.cropMask(mask);
    CHECK(cropMask.size() == crop.size());
    // Nearest neighbour: no new grey levels in the scaled mask.
    CHECK(cv::countNonZero((cropMask != 0) & (cropMask != 255)) == 0);

    // Pasting back the unchanged crop puts it where it came from: after compositing,
    // the box shows the original again (up to the resampling inside the mask).
    const cv::Mat pasted = context.pasteBack(image, crop);
    CHECK(changedOutside(pasted, image, rectMask(image.size(), context.box())) == 0);
    const double error =
        cv::norm(pasted(context.box()), image(context.box()), cv::NORM_L1) / context.box().area();
    CHECK(error < 20.0);
}

TEST_CASE("Only-masked paste-back lands at the right place at the borders",
          "[inpaint][only-masked]") {
    const cv::Mat image = makeTestImage(300, 200, 4);
    const cv::Rect marked =
        GENERATE(cv::Rect(0, 0, 30, 20), cv::Rect(270, 180, 30, 20), cv::Rect(140, 0, 20, 200));
    CAPTURE(marked);
    const cv::Mat mask = rectMask(image.size(), marked);
    InpaintSettings settings;
    settings.onlyMasked = true;
    settings.paddingPixels = 16;
    settings.nativeSide = 512;
    settings.featherPixels = 3;
    const EngineInput input = engineInput(image, mask, settings);
    REQUIRE(input.image.size() == input.mask.size());
    CHECK(std::max(input.image.cols, input.image.rows) == 512);
    // An engine that paints its whole input one colour: the colour must appear exactly on
    // the marked pixels and fade out within the feather, nowhere else.
    const cv::Mat painted(input.image.size(), input.image.type(), cv::Scalar(0, 255, 0));
    auto out = resultFromEngine(image, mask, painted, settings);
    REQUIRE(out);
    CHECK(changedOutside(*out, image, changeableRegion(mask, 3)) == 0);
    const cv::Mat green(marked.size(), image.type(), cv::Scalar(0, 255, 0));
    CHECK(cv::norm((*out)(marked), green, cv::NORM_INF) == 0);
}

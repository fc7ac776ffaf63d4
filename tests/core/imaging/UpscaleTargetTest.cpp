// Target maths for `ripen-cli upscale` and the review pane: sizes, prints, chained passes
// and the pixel limit, refused before any work.
#include "imaging/upscale/UpscaleTarget.h"

#include "imaging/ImageLimits.h"
#include "imaging/PrintSize.h"

#include <catch2/catch.hpp>

using namespace ripen;

namespace {

cv::Size sizeFor(Result<UpscaleTarget> target, cv::Size source) {
    REQUIRE(target);
    auto size = target->sizeFor(source);
    INFO((size ? "" : size.error().message));
    REQUIRE(size);
    return *size;
}

} // namespace

TEST_CASE("print sizes parse, turn with the image and give pixels and DPI", "[upscale]") {
    auto print = PrintSize::parse("18x24in@300");
    REQUIRE(print);
    CHECK(print->widthInches == 18);
    CHECK(print->heightInches == 24);
    CHECK(print->dpi == 300);
    CHECK(print->text() == "18x24in@300");
    CHECK(print->pixelsAt({1024, 1536}, 300) == cv::Size(5400, 7200));
    CHECK(print->pixelsAt({1536, 1024}, 300) == cv::Size(7200, 5400)); // landscape turns
    CHECK(print->effectiveDpi({5400, 7200}) == Approx(300));
    CHECK(print->effectiveDpi({7200, 5400}) == Approx(300));
    CHECK(print->effectiveDpi({1024, 1024}) == Approx(1024.0 / 24));

    auto plain = PrintSize::parse("8.5x11in");
    REQUIRE(plain);
    CHECK_FALSE(plain->dpi);
    CHECK(plain->widthInches == 8.5);

    for (const char* bad : {"", "18x24", "x24in", "18x24cm", "18x24in@", "0x24in", "18x24in@0",
                            "18x24in@99999", "5000x1in"}) {
        INFO(bad);
        if (std::string(bad) == "18x24") {
            CHECK(PrintSize::parse(bad)); // inches are the default unit
            continue;
        }
        auto parsed = PrintSize::parse(bad);
        REQUIRE_FALSE(parsed);
        CHECK(parsed.error().code == ErrorCode::InvalidArgument);
    }
}

TEST_CASE("targets give exact sizes with the aspect ratio kept", "[upscale]") {
    CHECK(sizeFor(UpscaleTarget::scale("4"), {1024, 768}) == cv::Size(4096, 3072));
    CHECK(sizeFor(UpscaleTarget::scale("x3"), {100, 50}) == cv::Size(300, 150));
    CHECK(sizeFor(UpscaleTarget::longSide("4K"), {1024, 576}) == cv::Size(3840, 2160));
    CHECK(sizeFor(UpscaleTarget::longSide("4K"), {768, 1024}) == cv::Size(2880, 3840));
    CHECK(sizeFor(UpscaleTarget::longSide("2K"), {1024, 1024}) == cv::Size(2048, 2048));
    CHECK(sizeFor(UpscaleTarget::longSide("8K"), {1024, 576}) == cv::Size(7680, 4320));
    // A 2:3 image on an 18x24 print: covered whole at 300 DPI, the width sets the scale.
    const cv::Size print = sizeFor(UpscaleTarget::print("18x24in@300"), {1024, 1536});
    CHECK(print.width >= 5400);
    CHECK(print.height >= 7200);
    CHECK(print == cv::Size(5400, 8100));
    CHECK(UpscaleTarget::print("18x24in@300")->text() == "18x24in@300");

    for (const char* text : {"x4", "4K", "18x24in@300"}) {
        auto parsed = UpscaleTarget::parse(text);
        REQUIRE(parsed);
        CHECK(parsed->text() == text);
    }
    CHECK_FALSE(UpscaleTarget::scale("5"));
    CHECK_FALSE(UpscaleTarget::longSide("6K"));
    CHECK_FALSE(UpscaleTarget::print("18x24in")); // a print target needs its DPI
}

TEST_CASE("a target past the pixel limit or below the image is refused", "[upscale]") {
    auto tooBig = UpscaleTarget::scale("8")->sizeFor({4096, 4096});
    REQUIRE_FALSE(tooBig);
    CHECK(tooBig.error().code == ErrorCode::InvalidArgument);
    CHECK_THAT(tooBig.error().message, Catch::Contains("x8 of a 4096x4096 image is 32768x32768") &&
                                           Catch::Contains("image limit"));
    auto hugePrint = UpscaleTarget::print("60x80in@300")->sizeFor({1024, 1365});
    REQUIRE_FALSE(hugePrint);
    CHECK_THAT(hugePrint.error().message, Catch::Contains("image limit"));
    auto smaller = UpscaleTarget::longSide("2K")->sizeFor({4000, 3000});
    REQUIRE_FALSE(smaller);
    CHECK_THAT(smaller.error().message, Catch::Contains("no enlargement"));
}

TEST_CASE("targets beyond one model scale chain passes", "[upscale]") {
    const std::vector<int> x2x4{2, 4};
    auto one = UpscalePlan::make({1024, 576}, {3840, 2160}, x2x4);
    REQUIRE(one);
    CHECK(one->passes == std::vector<int>{4}); // x3.75: one x4, then an exact shrink
    CHECK(one->afterPasses() == cv::Size(4096, 2304));

    auto two = UpscalePlan::make({1024, 576}, {7680, 4320}, x2x4);
    REQUIRE(two);
    CHECK(two->passes == std::vector<int>{4, 2}); // x7.5

    auto onlyX4 = UpscalePlan::make({512, 512}, {8192, 8192}, {4});
    REQUIRE(onlyX4);
    CHECK(onlyX4->passes == std::vector<int>{4, 4});

    auto classic = UpscalePlan::make({1024, 1536}, {5400, 8100}, {2, 3, 4, 8});
    REQUIRE(classic);
    CHECK(classic->passes == std::vector<int>{8}); // x5.27: the smallest factor that reaches

    auto any = UpscalePlan::make({100, 100}, {250, 250}, {});
    REQUIRE(any);
    CHECK(any->passes.empty()); // an engine of any factor: the exact resize alone

    // An intermediate pass past the limit is refused even when the target is within it.
    auto overshoot = UpscalePlan::make({4000, 4000}, {12000, 12000}, {8});
    REQUIRE_FALSE(overshoot);
    CHECK_THAT(overshoot.error().message, Catch::Contains("after pass 1 (x8) is 32000x32000"));
}

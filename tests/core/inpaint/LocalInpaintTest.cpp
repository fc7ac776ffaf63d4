// Local engines (no credits) through the compositor: every engine, every mode.
#include "imaging/inpaint/InpaintPlan.h"
#include "imaging/inpaint/MaskOps.h"
#include "support/MaskChecks.h"
#include "support/TestImages.h"

#include <catch2/catch.hpp>
#include <opencv2/imgproc.hpp>

using namespace ripen;
using namespace ripen::test;

TEST_CASE("Every local engine keeps outside mask and feather bit-identical", "[inpaint][local]") {
    const auto engine = GENERATE(LocalInpaintEngine::Telea, LocalInpaintEngine::NavierStokes,
                                 LocalInpaintEngine::FsrFast, LocalInpaintEngine::FsrBest);
    const bool onlyMasked = GENERATE(false, true);
    const int feather = GENERATE(0, 5);
    CAPTURE(static_cast<int>(engine), onlyMasked, feather);
    const cv::Mat image = makeTestImage(160, 120, 11);
    // An object to remove: a dark disc the mask covers.
    cv::Mat withObject = image.clone();
    cv::circle(withObject, {70, 50}, 12, cv::Scalar(10, 10, 10), cv::FILLED);
    const cv::Mat mask = ellipseMask(image.size(), {70, 50}, 0.05);
    InpaintSettings settings;
    settings.featherPixels = feather;
    settings.onlyMasked = onlyMasked;
    settings.paddingPixels = 12;
    auto out = inpaintLocally(withObject, mask, engine, settings);
    REQUIRE(out);
    REQUIRE(out->size() == image.size());
    CHECK(changedOutside(*out, withObject, changeableRegion(mask, feather)) == 0);
    // The dark disc is gone: its centre is now filled from the surroundings.
    const cv::Vec3b centre = out->at<cv::Vec3b>(50, 70);
    CHECK(centre[0] + centre[1] + centre[2] > 3 * 30);
}

TEST_CASE("Local engines carry an alpha channel through", "[inpaint][local]") {
    cv::Mat image;
    cv::cvtColor(makeTestImage(60, 40, 2), image, cv::COLOR_BGR2BGRA);
    const cv::Mat mask = ellipseMask(image.size(), {30, 20}, 0.05);
    auto out = inpaintLocally(image, mask, LocalInpaintEngine::FsrFast, {});
    REQUIRE(out);
    CHECK(out->type() == CV_8UC4);
    CHECK(changedOutside(*out, image, mask) == 0);
}

TEST_CASE("Local engine names are the model ids", "[inpaint][local]") {
    CHECK(localInpaintEngine("telea") == LocalInpaintEngine::Telea);
    CHECK(localInpaintEngine("navier-stokes") == LocalInpaintEngine::NavierStokes);
    CHECK(localInpaintEngine("fsr-fast") == LocalInpaintEngine::FsrFast);
    CHECK(localInpaintEngine("fsr-best") == LocalInpaintEngine::FsrBest);
    CHECK_FALSE(localInpaintEngine("lama"));
}

TEST_CASE("A local fill refuses a mask of another size", "[inpaint][local]") {
    auto out = fillLocally(makeTestImage(40, 30, 1), cv::Mat::zeros(10, 10, CV_8UC1),
                           LocalInpaintEngine::Telea);
    REQUIRE_FALSE(out);
    CHECK_THAT(out.error().message, Catch::Contains("10x10") && Catch::Contains("40x30"));
}

// Product cut-out: GrabCut seeded by a box or a painted mask, on generated photos whose true
// outline is known.
#include "batch/ProductCutout.h"

#include "ProductScenes.h"

#include <catch2/catch.hpp>

using namespace ripen;
using namespace ripen::test;

namespace {

cv::Mat alphaOf(const cv::Mat& bgra) {
    cv::Mat alpha;
    cv::extractChannel(bgra, alpha, 3);
    return alpha;
}

cv::Rect boxAround(const cv::Mat& truth, int pad) {
    cv::Rect box = cv::boundingRect(truth);
    box.x -= pad;
    box.y -= pad;
    box.width += 2 * pad;
    box.height += 2 * pad;
    return box & cv::Rect({0, 0}, truth.size());
}

} // namespace

TEST_CASE("a box around the product cuts it out along its true outline", "[batch][cutout]") {
    const auto scene = makeProductScene({400, 300});
    CutoutSeed seed;
    seed.box = boxAround(scene.truth, 20);
    auto cutout = cutOutProduct(scene.image, seed);
    REQUIRE(cutout);
    CHECK(cutout->type() == CV_8UC4);
    CHECK(cutout->size() == scene.image.size());
    const cv::Mat alpha = alphaOf(*cutout);
    CHECK(intersectionOverUnion(alpha > 127, scene.truth) > 0.95);
    // Outside the box nothing is product, and far inside it everything is.
    CHECK(alpha.at<std::uint8_t>(5, 5) == 0);
    CHECK(alpha.at<std::uint8_t>(200, 200) == 255);
}

TEST_CASE("a large photo is segmented at the working size and still fits the outline",
          "[batch][cutout]") {
    const auto scene = makeProductScene({1600, 1200});
    CutoutSeed seed;
    seed.box = boxAround(scene.truth, 60);
    CutoutSettings settings;
    settings.workingSide = 400;
    auto cutout = cutOutProduct(scene.image, seed, settings);
    REQUIRE(cutout);
    CHECK(intersectionOverUnion(alphaOf(*cutout) > 127, scene.truth) > 0.95);
}

TEST_CASE("a painted mask seeds the cut-out: white product, black background, grey unknown",
          "[batch][cutout]") {
    const auto scene = makeProductScene({400, 300});
    // A rough sketch: grey everywhere, a white blob inside the body, black along the borders.
    cv::Mat painted(scene.image.size(), CV_8UC1, cv::Scalar(100));
    cv::circle(painted, {200, 200}, 25, cv::Scalar(255), cv::FILLED);
    cv::rectangle(painted, cv::Rect(0, 0, 400, 300), cv::Scalar(0), 30);
    CutoutSeed seed;
    seed.paintedMask = painted;
    auto cutout = cutOutProduct(scene.image, seed);
    REQUIRE(cutout);
    CHECK(intersectionOverUnion(alphaOf(*cutout) > 127, scene.truth) > 0.95);
}

TEST_CASE("the edge is feathered and carries the product's colour, not the old background's",
          "[batch][cutout]") {
    // A saturated green screen: a naive cut-out leaves a green fringe.
    auto scene = makeProductScene({400, 300}, {40, 200, 40});
    CutoutSeed seed;
    seed.box = boxAround(scene.truth, 20);
    CutoutSettings settings;
    settings.featherPixels = 1.5;
    auto cutout = cutOutProduct(scene.image, seed, settings);
    REQUIRE(cutout);
    const cv::Mat alpha = alphaOf(*cutout);
    const int partial = cv::countNonZero((alpha > 0) & (alpha < 255));
    CHECK(partial > 200); // a soft edge all round, not a staircase
    int greenish = 0;
    cutout->forEach<cv::Vec4b>([&](const cv::Vec4b& p, const int*) {
        // The product is orange (G ~ 110-130, R ~ 230-250): any edge pixel whose green beats
        // its red has the old background's colour in it.
        if (p[3] > 0 && p[1] > p[2]) {
            greenish++;
        }
    });
    CHECK(greenish == 0);
    // Fully transparent pixels carry no colour.
    cv::Mat hidden;
    cv::extractChannel(*cutout, hidden, 1);
    CHECK(cv::countNonZero(hidden & (alpha == 0)) == 0);
}

TEST_CASE("bad seeds are refused and named", "[batch][cutout]") {
    const auto scene = makeProductScene({200, 150});
    CutoutSeed seed;
    seed.paintedMask = cv::Mat(100, 100, CV_8UC1, cv::Scalar(255));
    seed.nameForErrors = "mask sketch.png";
    auto wrongSize = cutOutProduct(scene.image, seed);
    REQUIRE_FALSE(wrongSize);
    CHECK(wrongSize.error().message.find("sketch.png is 100x100 but the image is 200x150") !=
          std::string::npos);

    seed.paintedMask = cv::Mat(150, 200, CV_8UC1, cv::Scalar(0));
    auto noProduct = cutOutProduct(scene.image, seed);
    REQUIRE_FALSE(noProduct);
    CHECK(noProduct.error().message.find("marks no product") != std::string::npos);

    seed.paintedMask = cv::Mat(150, 200, CV_8UC1, cv::Scalar(255));
    auto noBackground = cutOutProduct(scene.image, seed);
    REQUIRE_FALSE(noBackground);
    CHECK(noBackground.error().message.find("marks no background") != std::string::npos);

    CutoutSeed box;
    box.box = cv::Rect(150, 100, 100, 100);
    auto outside = cutOutProduct(scene.image, box);
    REQUIRE_FALSE(outside);
    CHECK(outside.error().message.find("--box 150,100,100,100") != std::string::npos);
    box.box = cv::Rect(0, 0, 200, 150);
    CHECK_FALSE(cutOutProduct(scene.image, box));

    CHECK(parseBox("10,20,30,40").value() == cv::Rect(10, 20, 30, 40));
    CHECK_FALSE(parseBox("10,20,30"));
    CHECK_FALSE(parseBox("-1,0,5,5"));
}

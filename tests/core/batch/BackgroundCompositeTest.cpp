// Ad variants: a cut-out on new backgrounds at platform sizes, with a contact shadow and a
// colour match.
#include "batch/BackgroundComposite.h"

#include "batch/PlatformSizes.h"

#include <catch2/catch.hpp>
#include <opencv2/imgproc.hpp>

using namespace ripen;

namespace {

// An opaque green box with a transparent margin, as a cut-out would be.
cv::Mat productCutout() {
    cv::Mat product(200, 160, CV_8UC4, cv::Scalar(0, 0, 0, 0));
    cv::rectangle(product, cv::Rect(30, 20, 100, 160), cv::Scalar(60, 180, 90, 255), cv::FILLED);
    return product;
}

// A warm, smoothly lit background, unlike the product.
cv::Mat background(cv::Size size = {900, 700}) {
    cv::Mat image(size, CV_8UC3);
    image.forEach<cv::Vec3b>([&](cv::Vec3b& p, const int* pos) {
        p = cv::Vec3b(static_cast<std::uint8_t>(90 + pos[1] * 40 / size.width),
                      static_cast<std::uint8_t>(140 + pos[0] * 30 / size.height), 220);
    });
    return image;
}

cv::Vec3d labMean(const cv::Mat& bgr, const cv::Mat& mask) {
    cv::Mat unit;
    bgr.convertTo(unit, CV_32FC3, 1.0 / 255);
    cv::Mat lab;
    cv::cvtColor(unit, lab, cv::COLOR_BGR2Lab);
    const cv::Scalar mean = cv::mean(lab, mask);
    return {mean[0], mean[1], mean[2]};
}

} // namespace

TEST_CASE("variants come out at exactly the platform sizes", "[batch][composite]") {
    auto sizes = parseSizeList("square,story,landscape,800x600");
    REQUIRE(sizes);
    REQUIRE(sizes->size() == 4);
    CHECK((*sizes)[0] == cv::Size(1080, 1080));
    CHECK((*sizes)[1] == cv::Size(1080, 1920));
    CHECK((*sizes)[2] == cv::Size(1200, 628));
    CHECK((*sizes)[3] == cv::Size(800, 600));
    for (const auto& size : *sizes) {
        auto variant = composeAdVariant(productCutout(), background(), size);
        REQUIRE(variant);
        CHECK(variant->size() == size);
        CHECK(variant->type() == CV_8UC3);
    }
    CHECK(parseSizeList("1080x1080,square").value().size() == 1);
    auto bad = parseSizeList("square,huge");
    REQUIRE_FALSE(bad);
    CHECK(bad.error().message.find("'huge'") != std::string::npos);
    CHECK_FALSE(parseSizeList("10x10"));
    CHECK_FALSE(parseSizeList("9000x100"));
    CHECK_FALSE(parseSizeList("100x"));
}

TEST_CASE("the product is scaled to a fraction of the canvas and anchored bottom-centre",
          "[batch][composite]") {
    CompositeSettings settings;
    settings.placement.scale = 0.5;
    settings.placement.margin = 0.1;
    settings.shadow.opacity = 0;
    settings.colourMatch = 0;
    const cv::Size canvas(1000, 800);
    auto variant = composeAdVariant(productCutout(), background(), canvas, settings);
    REQUIRE(variant);
    // The product's opaque box is 100x160: it fits 500x400 at 2.5x, 250x400.
    cv::Mat green;
    cv::inRange(*variant, cv::Scalar(50, 170, 80), cv::Scalar(70, 190, 100), green);
    const cv::Rect found = cv::boundingRect(green);
    const cv::Rect expected = placeProduct({100, 160}, canvas, settings.placement);
    CHECK(expected == cv::Rect(375, 320, 250, 400));
    CHECK(std::abs(found.x - expected.x) <= 1);
    CHECK(std::abs(found.y - expected.y) <= 1);
    CHECK(std::abs(found.width - expected.width) <= 2);
    CHECK(std::abs(found.height - expected.height) <= 2);

    settings.placement.anchor = ProductAnchor::BottomLeft;
    CHECK(placeProduct({100, 160}, canvas, settings.placement).x == 100);
    settings.placement.anchor = ProductAnchor::Centre;
    CHECK(placeProduct({100, 160}, canvas, settings.placement).y == 200);
}

TEST_CASE("the contact shadow darkens the ground under the product and nowhere else",
          "[batch][composite]") {
    CompositeSettings flat;
    flat.shadow.opacity = 0;
    flat.colourMatch = 0;
    CompositeSettings shaded = flat;
    shaded.shadow.opacity = 0.6;
    const cv::Size canvas(800, 800);
    auto without = composeAdVariant(productCutout(), background(), canvas, flat);
    auto with = composeAdVariant(productCutout(), background(), canvas, shaded);
    REQUIRE(without);
    REQUIRE(with);
    const cv::Rect placed = placeProduct({100, 160}, canvas, flat.placement);
    // Just below the base, in the middle: clearly darker.
    const cv::Point below(placed.x + placed.width / 2, placed.br().y + 4);
    const double before = cv::norm(without->at<cv::Vec3b>(below));
    const double after = cv::norm(with->at<cv::Vec3b>(below));
    CHECK(after < before * 0.8);
    // Far from the product: untouched, bit for bit.
    cv::Mat difference;
    cv::absdiff(*without, *with, difference);
    CHECK(cv::countNonZero(difference.reshape(1)(cv::Rect(0, 0, 800 * 3, 300))) == 0);

    // Cast to the right, the shadow reaches further right than left of the base.
    CompositeSettings right = shaded;
    right.shadow.angleDegrees = 0;
    right.shadow.distance = 0.2;
    auto leaning = composeAdVariant(productCutout(), background(), canvas, right);
    REQUIRE(leaning);
    const int y = placed.br().y - 2;
    const double leftSide = cv::norm(leaning->at<cv::Vec3b>(y, placed.x - 10));
    const double rightSide = cv::norm(leaning->at<cv::Vec3b>(y, placed.br().x + 10));
    CHECK(rightSide < leftSide * 0.85);
}

TEST_CASE("colour match moves the product's Lab statistics towards the background's",
          "[batch][composite]") {
    const cv::Mat scene = background({400, 400});
    cv::Mat product(100, 100, CV_8UC3, cv::Scalar(60, 180, 90));
    cv::Mat grain(product.size(), CV_8UC3);
    cv::randu(grain, cv::Scalar::all(0), cv::Scalar::all(30));
    product += grain;
    const cv::Mat alpha(product.size(), CV_8U, cv::Scalar(255));
    const cv::Vec3d target = labMean(scene, cv::Mat());
    const cv::Vec3d original = labMean(product, alpha);

    CHECK(cv::norm(matchColourTowards(product, alpha, scene, 0), product, cv::NORM_INF) == 0);
    const cv::Vec3d half = labMean(matchColourTowards(product, alpha, scene, 0.5), alpha);
    const cv::Vec3d full = labMean(matchColourTowards(product, alpha, scene, 1.0), alpha);
    CHECK(cv::norm(full - target) < 2.5);
    CHECK(cv::norm(half - (original + target) * 0.5) < 2.5);
    CHECK(cv::norm(half - target) < cv::norm(original - target));
}

TEST_CASE("A/B variant names are stable slugs", "[batch][composite]") {
    CHECK(variantFileName("Summer Bottle", "beach_01.jpg", {1080, 1920}, 7) ==
          "summer-bottle-beach-01-jpg-1080x1920-v07.png");
    CHECK(variantFileName("Ölflasche", "", {1200, 628}, 120) == "lflasche-image-1200x628-v120.png");
    CHECK(fileSlug("  --  ") == "image");
}

TEST_CASE("composites refuse products without transparency and bad settings",
          "[batch][composite]") {
    const cv::Mat opaque(50, 50, CV_8UC3, cv::Scalar(1, 2, 3));
    CHECK_FALSE(composeAdVariant(opaque, background(), {100, 100}));
    const cv::Mat empty(50, 50, CV_8UC4, cv::Scalar(1, 2, 3, 0));
    auto invisible = composeAdVariant(empty, background(), {100, 100});
    REQUIRE_FALSE(invisible);
    CHECK(invisible.error().message.find("fully transparent") != std::string::npos);
    CompositeSettings wrong;
    wrong.colourMatch = 2;
    auto refused = composeAdVariant(productCutout(), background(), {100, 100}, wrong);
    REQUIRE_FALSE(refused);
    CHECK(refused.error().message.find("colour match") != std::string::npos);
    CHECK(parseProductAnchor("bottom-right").value() == ProductAnchor::BottomRight);
    CHECK_FALSE(parseProductAnchor("top"));
}

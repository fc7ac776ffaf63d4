// Mockups: a design warped onto a template's quad and blended with its shading.
#include "batch/MockupRenderer.h"
#include "batch/MockupTemplate.h"
#include "support/TempDir.h"
#include "support/TestImages.h"

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>
#include <opencv2/calib3d.hpp>
#include <opencv2/imgproc.hpp>

using namespace ripen;
using namespace ripen::test;

namespace {

const std::array<cv::Point2f, 4> kQuad = {{{120.5f, 60.25f}, {430, 90}, {410, 380}, {140, 350.5f}}};

// A textured template with shading across the quad, written as PNG + JSON.
std::filesystem::path writeTemplate(const TempDir& dir, const std::string& name, double shading,
                                    double displacement, double curvature = 0) {
    cv::Mat image(440, 560, CV_8UC3);
    cv::RNG rng(3);
    rng.fill(image, cv::RNG::UNIFORM, cv::Scalar(60, 90, 120), cv::Scalar(120, 150, 180));
    cv::Mat surface(image.size(), CV_8UC3);
    surface.forEach<cv::Vec3b>([](cv::Vec3b& p, const int* pos) {
        const auto v = static_cast<std::uint8_t>(170 + 80 * ((pos[1] / 40) % 2)); // light bands
        p = cv::Vec3b(v, v, v);
    });
    std::vector<cv::Point> corners;
    for (const auto& c : kQuad) {
        corners.emplace_back(cvRound(c.x), cvRound(c.y));
    }
    cv::Mat inside = cv::Mat::zeros(image.size(), CV_8U);
    cv::fillConvexPoly(inside, corners, cv::Scalar(255));
    surface.copyTo(image, inside);
    writeTestImage(dir / (name + ".png"), image);
    nlohmann::json quad = nlohmann::json::array();
    for (const auto& c : kQuad) {
        quad.push_back({c.x, c.y});
    }
    const nlohmann::json json = {
        {"ripen_mockup", 1},
        {"title", "test"},
        {"image", name + ".png"},
        {"quad", quad},
        {"blend",
         {{"shading", shading}, {"displacement", displacement}, {"curvature", curvature}}}};
    writeBytes(dir / (name + ".json"), json.dump());
    return dir / (name + ".json");
}

// A grey design with a differently coloured `block` x `block` square in each corner.
cv::Mat markedDesign(cv::Size size, int block = 8) {
    cv::Mat design(size, CV_8UC3, cv::Scalar(128, 128, 128));
    design(cv::Rect(0, 0, block, block)).setTo(cv::Scalar(0, 0, 255));
    design(cv::Rect(size.width - block, 0, block, block)).setTo(cv::Scalar(0, 255, 0));
    design(cv::Rect(size.width - block, size.height - block, block, block))
        .setTo(cv::Scalar(255, 0, 0));
    design(cv::Rect(0, size.height - block, block, block)).setTo(cv::Scalar(0, 255, 255));
    return design;
}

cv::Point2d centroid(const cv::Mat& image, cv::Scalar colour) {
    cv::Mat hit;
    cv::inRange(image, colour - cv::Scalar::all(60), colour + cv::Scalar::all(60), hit);
    const cv::Moments m = cv::moments(hit, true);
    return m.m00 > 0 ? cv::Point2d(m.m10 / m.m00, m.m01 / m.m00) : cv::Point2d(-1, -1);
}

cv::Mat quadMask(cv::Size size, int grow) {
    std::vector<cv::Point> corners;
    for (const auto& c : kQuad) {
        corners.emplace_back(cvRound(c.x), cvRound(c.y));
    }
    cv::Mat mask = cv::Mat::zeros(size, CV_8U);
    cv::fillConvexPoly(mask, corners, cv::Scalar(255));
    cv::dilate(mask, mask, cv::Mat(), {-1, -1}, grow);
    return mask;
}

} // namespace

TEST_CASE("the design's corners land on the quad and the rest is the template's",
          "[batch][mockup]") {
    TempDir dir;
    auto mockup = loadMockupTemplate(writeTemplate(dir, "flat", 0, 0));
    REQUIRE(mockup);
    CHECK(mockup->name == "flat");
    const cv::Mat design = markedDesign({300, 280});
    MockupOptions stretch;
    stretch.fit = MockupOptions::Fit::Stretch;
    auto out = renderMockup(design, *mockup, stretch);
    REQUIRE(out);
    REQUIRE(out->size() == mockup->image.size());

    // Where each corner block's centre should land: the design's corner-to-quad homography.
    const std::vector<cv::Point2f> designCorners = {{0, 0}, {300, 0}, {300, 280}, {0, 280}};
    const cv::Mat toQuad = cv::getPerspectiveTransform(
        designCorners, std::vector<cv::Point2f>(kQuad.begin(), kQuad.end()));
    const std::vector<std::pair<cv::Point2f, cv::Scalar>> blocks = {{{4, 4}, {0, 0, 255}},
                                                                    {{296, 4}, {0, 255, 0}},
                                                                    {{296, 276}, {255, 0, 0}},
                                                                    {{4, 276}, {0, 255, 255}}};
    for (const auto& [centre, colour] : blocks) {
        std::vector<cv::Point2f> mapped;
        cv::perspectiveTransform(std::vector<cv::Point2f>{centre}, mapped, toQuad);
        // Image coordinates of pixel centres are the corner coordinates less half a pixel.
        const cv::Point2d expected(mapped[0].x - 0.5, mapped[0].y - 0.5);
        const cv::Point2d found = centroid(*out, colour);
        INFO("block " << centre << " expected " << expected << " found " << found);
        CHECK(cv::norm(found - expected) < 1.0);
    }
    // Outside the quad (and its one-pixel anti-aliased edge), every pixel is the template's.
    cv::Mat difference;
    cv::absdiff(*out, mockup->image, difference);
    cv::Mat changed;
    cv::cvtColor(difference, changed, cv::COLOR_BGR2GRAY);
    CHECK(cv::countNonZero(changed & ~quadMask(out->size(), 2)) == 0);
    // Inside it, the design.
    CHECK(cv::norm(out->at<cv::Vec3b>(220, 270), cv::Vec3b(128, 128, 128)) < 3);
}

TEST_CASE("shading multiplies the design, displacement moves it, curvature keeps its corners",
          "[batch][mockup]") {
    TempDir dir;
    auto flat = loadMockupTemplate(writeTemplate(dir, "flat", 0, 0));
    auto shaded = loadMockupTemplate(writeTemplate(dir, "shaded", 1, 0));
    auto displaced = loadMockupTemplate(writeTemplate(dir, "displaced", 1, 6));
    auto curved = loadMockupTemplate(writeTemplate(dir, "curved", 0, 0, 0.8));
    REQUIRE(flat);
    REQUIRE(shaded);
    REQUIRE(displaced);
    REQUIRE(curved);
    cv::Mat design(300, 300, CV_8UC3);
    design.forEach<cv::Vec3b>([](cv::Vec3b& p, const int* pos) {
        p = cv::Vec3b(static_cast<std::uint8_t>(pos[1] * 255 / 300), 200,
                      static_cast<std::uint8_t>(pos[0] * 255 / 300));
    });
    MockupOptions stretch{MockupOptions::Fit::Stretch};
    const cv::Mat a = renderMockup(design, *flat, stretch).value();
    const cv::Mat b = renderMockup(design, *shaded, stretch).value();
    // The template's quad has bands of 170 and 250 grey: in a dark band (x 240-279) the
    // shaded design is 170/250 of the flat one; in a light band (x 280-319) the same.
    const cv::Vec3b darkFlat = a.at<cv::Vec3b>(220, 260);
    const cv::Vec3b darkShaded = b.at<cv::Vec3b>(220, 260);
    CHECK(darkShaded[1] == Approx(darkFlat[1] * 170.0 / 250.0).margin(4));
    CHECK(b.at<cv::Vec3b>(220, 300)[1] == Approx(a.at<cv::Vec3b>(220, 300)[1]).margin(3));
    // Displacement shifts the design where the shading changes: a checkerboard's squares
    // move, so its edges land elsewhere.
    cv::Mat checker(300, 300, CV_8UC3);
    checker.forEach<cv::Vec3b>([](cv::Vec3b& p, const int* pos) {
        p = cv::Vec3b::all(((pos[0] / 10 + pos[1] / 10) % 2) != 0 ? 230 : 30);
    });
    cv::Mat moved;
    cv::absdiff(renderMockup(checker, *shaded, stretch).value(),
                renderMockup(checker, *displaced, stretch).value(), moved);
    CHECK(cv::countNonZero(moved.reshape(1) > 40) > 2000);

    const cv::Mat marked = markedDesign({300, 280}, 4);
    const cv::Mat straight = renderMockup(marked, *flat, stretch).value();
    const cv::Mat wrapped = renderMockup(marked, *curved, stretch).value();
    for (const cv::Scalar& colour : {cv::Scalar(0, 0, 255), cv::Scalar(255, 0, 0)}) {
        CHECK(cv::norm(centroid(straight, colour) - centroid(wrapped, colour)) < 1.5);
    }
    // ...while the middle of the design is stretched and the sides squeezed.
    cv::Mat wrapDifference;
    cv::absdiff(renderMockup(design, *flat, stretch).value(),
                renderMockup(design, *curved, stretch).value(), wrapDifference);
    CHECK(cv::countNonZero(wrapDifference.reshape(1) > 10) > 1000);
}

TEST_CASE("a transparent design shows the template through it", "[batch][mockup]") {
    TempDir dir;
    auto mockup = loadMockupTemplate(writeTemplate(dir, "flat", 0, 0));
    REQUIRE(mockup);
    const cv::Mat clear(200, 200, CV_8UC4, cv::Scalar(0, 0, 255, 0));
    auto out = renderMockup(clear, *mockup);
    REQUIRE(out);
    CHECK(cv::norm(*out, mockup->image, cv::NORM_INF) == 0);
}

TEST_CASE("template files that are wrong are refused with the file and field named",
          "[batch][mockup]") {
    TempDir dir;
    const auto good = writeTemplate(dir, "t", 1, 0);
    auto json = nlohmann::json::parse(readBytes(good));
    const auto variant = [&](const std::string& name, const nlohmann::json& j) {
        writeBytes(dir / name, j.dump());
        return loadMockupTemplate(dir / name);
    };
    auto unknown = json;
    unknown["blend"]["glow"] = 1;
    auto r1 = variant("unknown.json", unknown);
    REQUIRE_FALSE(r1);
    CHECK(r1.error().message.find("unknown.json") != std::string::npos);
    CHECK(r1.error().message.find("blend.glow") != std::string::npos);
    auto outside = json;
    outside["quad"][2] = {900, 380};
    auto r2 = variant("outside.json", outside);
    REQUIRE_FALSE(r2);
    CHECK(r2.error().message.find("quad[2]") != std::string::npos);
    auto twisted = json;
    std::swap(twisted["quad"][1], twisted["quad"][2]);
    CHECK_FALSE(variant("twisted.json", twisted));
    auto escape = json;
    escape["image"] = "../t.png";
    CHECK_FALSE(variant("escape.json", escape));
    auto strong = json;
    strong["blend"]["displacement"] = 100;
    auto r3 = variant("strong.json", strong);
    REQUIRE_FALSE(r3);
    CHECK(r3.error().message.find("blend.displacement") != std::string::npos);
    writeBytes(dir / "broken.json", "{\"ripen_mockup\": 1,");
    CHECK_FALSE(loadMockupTemplate(dir / "broken.json"));
    auto missing = findMockupTemplate("no-such-template");
    REQUIRE_FALSE(missing);
    CHECK(missing.error().message.find("poster-wall") != std::string::npos);
}

TEST_CASE("the shipped templates load and take a design", "[batch][mockup]") {
    const auto names = shippedMockupTemplates();
    CHECK(names == std::vector<std::string>{"framed-print", "mug", "poster-wall", "tshirt"});
    const cv::Mat design = makeTestImage(400, 500, 3);
    for (const auto& name : names) {
        auto mockup = findMockupTemplate(name);
        REQUIRE(mockup);
        auto out = renderMockup(design, *mockup);
        REQUIRE(out);
        CHECK(out->size() == mockup->image.size());
        // The design shows: the quad's centre is no longer the template's.
        const cv::Point2f centre = (mockup->quad[0] + mockup->quad[2]) * 0.5f;
        CHECK(cv::norm(out->at<cv::Vec3b>(centre), mockup->image.at<cv::Vec3b>(centre)) > 10);
    }
}

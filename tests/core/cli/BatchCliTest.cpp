// The batch imaging commands as a production script drives them: cutout, advariants,
// mockup, printcheck, contactsheet and bundle, on generated files.
#include "core/batch/ProductScenes.h"
#include "support/Process.h"
#include "support/TempDir.h"
#include "support/TestImages.h"

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>
#include <opencv2/imgcodecs.hpp>

using namespace ripen::test;

namespace {

ProcessResult cli(const std::string& command, std::vector<std::string> args) {
    args.insert(args.begin(), {ripenCli(), command});
    return runProcess(args);
}

bool contains(const std::string& text, const std::string& part) {
    return text.find(part) != std::string::npos;
}

cv::Mat readBack(const std::filesystem::path& file) {
    return cv::imread(file.string(), cv::IMREAD_UNCHANGED);
}

} // namespace

TEST_CASE("ripen-cli cutout writes an RGBA PNG of the product", "[cli][batch]") {
    TempDir dir;
    const auto scene = makeProductScene({400, 300});
    writeTestImage(dir / "photo.png", scene.image);
    const cv::Rect box = cv::boundingRect(scene.truth);
    const std::string boxText = std::to_string(box.x - 15) + "," + std::to_string(box.y - 15) +
                                "," + std::to_string(box.width + 30) + "," +
                                std::to_string(box.height + 30);
    const auto result = cli("cutout", {"--image", (dir / "photo.png").string(), "--box", boxText,
                                       "--out", (dir / "product.png").string()});
    INFO(result.err);
    REQUIRE(result.exitCode == 0);
    CHECK(contains(result.out, "product.png (400x300"));
    const cv::Mat cutout = readBack(dir / "product.png");
    REQUIRE(cutout.type() == CV_8UC4);
    cv::Mat alpha;
    cv::extractChannel(cutout, alpha, 3);
    CHECK(intersectionOverUnion(alpha > 127, scene.truth) > 0.95);

    // A painted mask works the same way.
    cv::Mat painted(scene.image.size(), CV_8UC1, cv::Scalar(100));
    cv::circle(painted, {200, 200}, 25, cv::Scalar(255), cv::FILLED);
    cv::rectangle(painted, cv::Rect(0, 0, 400, 300), cv::Scalar(0), 30);
    writeTestImage(dir / "sketch.png", painted);
    CHECK(cli("cutout", {"--image", (dir / "photo.png").string(), "--mask",
                         (dir / "sketch.png").string(), "--out", (dir / "masked.png").string()})
              .exitCode == 0);
}

TEST_CASE("ripen-cli cutout names the bad input", "[cli][batch]") {
    TempDir dir;
    writeTestImage(dir / "photo.png", makeProductScene({200, 150}).image);
    writeTestImage(dir / "small.png", cv::Mat(10, 10, CV_8UC1, cv::Scalar(255)));
    const auto photo = (dir / "photo.png").string();
    const auto out = (dir / "out.png").string();
    const auto missing =
        cli("cutout", {"--image", (dir / "nope.jpg").string(), "--box", "1,1,50,50", "--out", out});
    CHECK(missing.exitCode == 1);
    CHECK(contains(missing.err, "nope.jpg"));
    const auto wrongMask =
        cli("cutout", {"--image", photo, "--mask", (dir / "small.png").string(), "--out", out});
    CHECK(wrongMask.exitCode == 1);
    CHECK(contains(wrongMask.err, "small.png is 10x10 but the image is 200x150"));
    const auto badBox = cli("cutout", {"--image", photo, "--box", "1,2,3", "--out", out});
    CHECK(badBox.exitCode == 2);
    CHECK(contains(badBox.err, "--box"));
    CHECK(cli("cutout", {"--image", photo, "--box", "1,1,5,5", "--mask", photo, "--out", out})
              .exitCode == 2);
    CHECK(
        cli("cutout", {"--image", photo, "--box", "1,1,5,5", "--out", dir / "out.jpg"}).exitCode ==
        2);
    CHECK_FALSE(std::filesystem::exists(out));
}

TEST_CASE("ripen-cli advariants writes every background at every size, named for A/B tests",
          "[cli][batch]") {
    TempDir dir;
    cv::Mat product(120, 80, CV_8UC4, cv::Scalar(0, 0, 0, 0));
    cv::rectangle(product, cv::Rect(10, 10, 60, 100), cv::Scalar(40, 90, 200, 255), cv::FILLED);
    writeTestImage(dir / "Bottle.png", product);
    writeTestImage(dir / "backgrounds" / "beach.jpg", makeTestImage(640, 480, 1));
    writeTestImage(dir / "backgrounds" / "studio.png", makeTestImage(500, 500, 2));
    const auto result =
        cli("advariants", {"--product", (dir / "Bottle.png").string(), "--background",
                           (dir / "backgrounds").string(), "--sizes", "square,landscape,300x500",
                           "--out", (dir / "ads").string(), "--shadow-opacity", "0.4"});
    INFO(result.err);
    REQUIRE(result.exitCode == 0);
    const std::vector<std::pair<std::string, cv::Size>> expected = {
        {"bottle-beach-1080x1080-v01.png", {1080, 1080}},
        {"bottle-beach-1200x628-v02.png", {1200, 628}},
        {"bottle-beach-300x500-v03.png", {300, 500}},
        {"bottle-studio-1080x1080-v04.png", {1080, 1080}},
        {"bottle-studio-1200x628-v05.png", {1200, 628}},
        {"bottle-studio-300x500-v06.png", {300, 500}}};
    for (const auto& [name, size] : expected) {
        const cv::Mat variant = readBack(dir / "ads" / name);
        INFO(name);
        REQUIRE_FALSE(variant.empty());
        CHECK(variant.size() == size);
    }
    CHECK(contains(readBytes(dir / "ads" / "variants.csv"), "bottle-studio-300x500-v06.png"));

    // An opaque "product" is refused with advice; a bad size is a usage error.
    const auto opaque =
        cli("advariants",
            {"--product", (dir / "backgrounds" / "beach.jpg").string(), "--background",
             (dir / "backgrounds").string(), "--sizes", "square", "--out", (dir / "x").string()});
    CHECK(opaque.exitCode == 1);
    CHECK(contains(opaque.err, "beach.jpg has no transparency"));
    const auto size = cli("advariants", {"--product", (dir / "Bottle.png").string(), "--background",
                                         (dir / "backgrounds").string(), "--sizes", "square,poster",
                                         "--out", (dir / "x").string()});
    CHECK(size.exitCode == 2);
    CHECK(contains(size.err, "'poster'"));
}

TEST_CASE("ripen-cli mockup places a design on a shipped template", "[cli][batch]") {
    TempDir dir;
    writeTestImage(dir / "design.png", makeTestImage(600, 800, 4));
    const auto list = cli("mockup", {"--list"});
    REQUIRE(list.exitCode == 0);
    CHECK(contains(list.out, "tshirt  White t-shirt"));
    for (const std::string name : {"poster-wall", "mug"}) {
        const auto out = dir / (name + ".jpg");
        const auto result = cli("mockup", {"--design", (dir / "design.png").string(), "--template",
                                           name, "--out", out.string()});
        INFO(result.err);
        REQUIRE(result.exitCode == 0);
        CHECK_FALSE(readBack(out).empty());
    }
    const auto unknown = cli("mockup", {"--design", (dir / "design.png").string(), "--template",
                                        "billboard", "--out", (dir / "b.png").string()});
    CHECK(unknown.exitCode == 1);
    CHECK(contains(unknown.err, "no mockup template named 'billboard'"));
}

TEST_CASE("ripen-cli printcheck gives a verdict and exits by it", "[cli][batch]") {
    TempDir dir;
    writeTestImage(dir / "small.png", makeTestImage(600, 800, 1));
    const auto low =
        cli("printcheck", {"--image", (dir / "small.png").string(), "--size", "8x10in"});
    CHECK(low.exitCode == 1);
    CHECK(contains(low.out, "verdict: not ready"));
    CHECK(contains(low.out, "upscale to at least 2400x3000 px"));
    const auto json = cli("printcheck", {"--image", (dir / "small.png").string(), "--size",
                                         "2x2.6667in", "--dpi", "300", "--json"});
    REQUIRE(json.exitCode == 0);
    const auto report = nlohmann::json::parse(json.out);
    CHECK(report["verdict"] == "marginal"); // no colour profile
    CHECK(report["profile"] == "missing");
    CHECK(cli("printcheck", {"--image", (dir / "small.png").string(), "--size", "big"}).exitCode ==
          2);
}

TEST_CASE("ripen-cli contactsheet and bundle make a delivery", "[cli][batch]") {
    TempDir dir;
    for (int i = 0; i < 5; ++i) {
        writeTestImage(dir / "kit" / ("asset-" + std::to_string(i) + ".png"),
                       makeTestImage(320, 240, i));
    }
    writeTestImage(dir / "mockups" / "mug.png", makeTestImage(200, 150, 9));
    const auto sheet = cli("contactsheet", {"--out", (dir / "sheet.png").string(), "--out",
                                            (dir / "sheet.pdf").string(), "--title", "Kit",
                                            "--columns", "3", (dir / "kit").string()});
    INFO(sheet.err);
    REQUIRE(sheet.exitCode == 0);
    CHECK(readBack(dir / "sheet.png").cols == 3 * 320 + 2 * 16 + 2 * 32);
    CHECK(readBytes(dir / "sheet.pdf").rfind("%PDF-1.4", 0) == 0);

    const auto zip = dir / "delivery.zip";
    const auto bundle =
        cli("bundle", {"--out", zip.string(), "--mockup", (dir / "mockups").string(),
                       (dir / "kit").string(), (dir / "sheet.pdf").string()});
    INFO(bundle.err);
    REQUIRE(bundle.exitCode == 0);
    CHECK(contains(bundle.out, "(6 files, 1 mockups, manifest.csv)"));
    const auto test = runProcess({"unzip", "-t", zip.string()});
    CHECK(test.exitCode == 0);
    const auto listing = runProcess({"unzip", "-l", zip.string()});
    CHECK(contains(listing.out, "files/asset-4.png"));
    CHECK(contains(listing.out, "files/sheet.pdf"));
    CHECK(contains(listing.out, "mockups/mug.png"));
    CHECK(contains(listing.out, "manifest.csv"));

    const auto missing =
        cli("bundle", {"--out", (dir / "b.zip").string(), (dir / "gone.png").string()});
    CHECK(missing.exitCode == 1);
    CHECK(contains(missing.err, "gone.png"));
    CHECK_FALSE(std::filesystem::exists(dir / "b.zip"));
}

TEST_CASE("ripen-cli advariants takes a background from the library", "[cli][batch]") {
    TempDir dir;
    const auto library = (dir / "lib").string();
    writeTestImage(dir / "sky.png", makeTestImage(400, 300, 5));
    REQUIRE(runProcess({ripenCli(), "--library", library, "import", (dir / "sky.png").string()})
                .exitCode == 0);
    const auto listed = runProcess({ripenCli(), "--library", library, "list", "--json"});
    REQUIRE(listed.exitCode == 0);
    const auto id = nlohmann::json::parse(listed.out.substr(0, listed.out.find('\n')))["id"];
    cv::Mat product(60, 40, CV_8UC4, cv::Scalar(0, 0, 0, 0));
    cv::rectangle(product, cv::Rect(5, 5, 30, 50), cv::Scalar(40, 90, 200, 255), cv::FILLED);
    writeTestImage(dir / "mug.png", product);
    const auto result = runProcess({ripenCli(), "--library", library, "advariants", "--product",
                                    (dir / "mug.png").string(), "--background-asset",
                                    std::to_string(id.get<long long>()), "--sizes", "640x360",
                                    "--out", (dir / "ads").string()});
    INFO(result.err);
    REQUIRE(result.exitCode == 0);
    const auto name = "mug-asset-" + std::to_string(id.get<long long>()) + "-640x360-v01.png";
    CHECK(readBack(dir / "ads" / name).size() == cv::Size(640, 360));
    const auto missing = runProcess({ripenCli(), "--library", library, "advariants", "--product",
                                     (dir / "mug.png").string(), "--background-asset", "999",
                                     "--sizes", "square", "--out", (dir / "ads").string()});
    CHECK(missing.exitCode == 1);
    CHECK(contains(missing.err, "--background-asset 999"));
}

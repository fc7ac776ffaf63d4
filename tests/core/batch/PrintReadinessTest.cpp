// Print readiness: pixels, effective DPI and the colour profile, judged from headers.
#include "batch/PrintReadiness.h"

#include "catalog/EmbeddedProvenance.h"
#include "imaging/ImageEncoder.h"

#include <catch2/catch.hpp>

using namespace ripen;

namespace {

// A PNG of `width` x `height`, with an sRGB profile (as ripen-cli export writes) or none.
std::string png(int width, int height, bool srgb, int dpi = 0) {
    const cv::Mat image(height, width, CV_8UC3, cv::Scalar(90, 120, 150));
    auto bytes = encodeImage(image, EncodeOptions{"png", 92, dpi});
    REQUIRE(bytes);
    if (!srgb) {
        return *bytes;
    }
    auto embedded = EmbeddedProvenance::embed(*bytes, "png", Provenance{}, {});
    REQUIRE(embedded);
    return *embedded;
}

const PrintSize k8x10{8, 10};

} // namespace

TEST_CASE("enough pixels and an sRGB profile are ready to print", "[batch][print]") {
    auto report = checkPrintReadiness(png(2400, 3000, true, 300), "poster.png", k8x10);
    REQUIRE(report);
    CHECK(report->verdict == PrintReadiness::Verdict::Ready);
    CHECK(report->effectiveDpi == Approx(300));
    CHECK(report->profile == PrintReadiness::Profile::Srgb);
    CHECK(report->statedDpi.value() == Approx(300).margin(0.5));
    CHECK(report->findings.empty());
    CHECK(report->neededWidthPixels == 2400);
    CHECK(report->neededHeightPixels == 3000);
}

TEST_CASE("print verdicts follow the effective DPI, the profile and the crop", "[batch][print]") {
    // No profile: the service guesses, so at best marginal.
    auto noProfile = checkPrintReadiness(png(2400, 3000, false), "a.png", k8x10);
    REQUIRE(noProfile);
    CHECK(noProfile->verdict == PrintReadiness::Verdict::Marginal);
    CHECK(noProfile->profile == PrintReadiness::Profile::Missing);
    // 250 DPI: marginal, and it says how far to upscale.
    auto close = checkPrintReadiness(png(2000, 2500, true), "b.png", k8x10);
    REQUIRE(close);
    CHECK(close->verdict == PrintReadiness::Verdict::Marginal);
    CHECK(close->effectiveDpi == Approx(250));
    REQUIRE_FALSE(close->findings.empty());
    CHECK(close->findings[0].find("upscale to 2400x3000 px") != std::string::npos);
    // 150 DPI: not ready.
    auto low = checkPrintReadiness(png(1200, 1500, true), "c.png", k8x10);
    REQUIRE(low);
    CHECK(low->verdict == PrintReadiness::Verdict::NotReady);
    // A square image on a 8x10 print: 20% is cropped, and the DPI counts the short side.
    auto square = checkPrintReadiness(png(3000, 3000, true), "d.png", k8x10);
    REQUIRE(square);
    CHECK(square->effectiveDpi == Approx(300));
    CHECK(square->croppedPercent == Approx(20));
    CHECK(square->verdict == PrintReadiness::Verdict::Marginal);
    // A landscape image is judged on the print turned landscape.
    auto landscape = checkPrintReadiness(png(3000, 2400, true), "e.png", k8x10);
    REQUIRE(landscape);
    CHECK(landscape->verdict == PrintReadiness::Verdict::Ready);
    CHECK(landscape->print.widthInches == Approx(10));
}

TEST_CASE("print sizes parse in inches, centimetres, millimetres and paper names",
          "[batch][print]") {
    CHECK(parsePrintSize("8x10in").value().heightInches == Approx(10));
    CHECK(parsePrintSize("20x30cm").value().widthInches == Approx(20 / 2.54));
    CHECK(parsePrintSize("210x297mm").value().heightInches == Approx(297 / 25.4));
    CHECK(parsePrintSize("a4").value().widthInches == Approx(210 / 25.4));
    CHECK(parsePrintSize("Letter").value().widthInches == Approx(8.5));
    auto bad = parsePrintSize("8x10");
    REQUIRE_FALSE(bad);
    CHECK(bad.error().message.find("'8x10'") != std::string::npos);
    CHECK_FALSE(parsePrintSize("0x10in"));
}

TEST_CASE("a file that is not an image is named in the error", "[batch][print]") {
    auto result = checkPrintReadiness("not an image at all", "notes.txt", k8x10);
    REQUIRE_FALSE(result);
    CHECK(result.error().message.find("notes.txt") != std::string::npos);
    CHECK_FALSE(checkPrintReadiness(png(10, 10, false), "x.png", {0, 1}));
}

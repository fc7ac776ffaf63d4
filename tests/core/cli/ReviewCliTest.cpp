// `ripen-cli review` as a print shop's pre-flight script would call it.
#include "support/Process.h"
#include "support/TempDir.h"
#include "support/TestImages.h"

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>
#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>

using namespace ripen::test;

namespace {

ProcessResult review(std::vector<std::string> args) {
    args.insert(args.begin(), {ripenCli(), "review"});
    return runProcess(args);
}

struct ReviewFiles {
    TempDir temp;
    std::filesystem::path original = temp / "original.png";
    std::filesystem::path clean = temp / "clean.png";
    std::filesystem::path haloed = temp / "haloed.png";

    ReviewFiles() {
        cv::Mat image(120, 160, CV_8UC3, cv::Scalar(190, 170, 140));
        cv::rectangle(image, {90, 50, 50, 70}, cv::Scalar(30, 35, 40), cv::FILLED);
        cv::GaussianBlur(image, image, cv::Size(0, 0), 0.7);
        writeTestImage(original, image);
        cv::Mat up;
        cv::resize(image, up, cv::Size(), 4, 4, cv::INTER_LANCZOS4);
        writeTestImage(clean, up);
        cv::Mat blurred;
        cv::GaussianBlur(up, blurred, cv::Size(0, 0), 3.0);
        cv::Mat sharpened;
        cv::addWeighted(up, 2.5, blurred, -1.5, 0, sharpened);
        writeTestImage(haloed, sharpened);
    }
};

} // namespace

TEST_CASE("ripen-cli review gives a verdict, the figures and the worst tiles", "[cli][review]") {
    ReviewFiles files;
    const auto clean =
        review({"--original", files.original.string(), "--upscaled", files.clean.string()});
    REQUIRE(clean.exitCode == 0);
    CHECK(clean.out.find("verdict: clean\n") != std::string::npos);
    CHECK(clean.out.find("upscaled: 640x480 (x4.00)\n") != std::string::npos);

    const auto haloed = review({"--original", files.original.string(), "--upscaled",
                                files.haloed.string(), "--print", "8x6in", "--json"});
    REQUIRE(haloed.exitCode == 0);
    const auto json = nlohmann::json::parse(haloed.out);
    CHECK(json["verdict"] == "likely artifacts");
    CHECK(json["overshoot"]["worst"].get<double>() >= json["overshoot"]["likely_at"].get<double>());
    REQUIRE_FALSE(json["worst_tiles"].empty());
    CHECK(json["worst_tiles"][0]["overshoot"].get<double>() > 0);
    CHECK(json["print"]["effective_dpi"].get<double>() == Approx(80.0));
}

TEST_CASE("ripen-cli review refuses images that do not belong together", "[cli][review]") {
    ReviewFiles files;
    const auto swapped =
        review({"--original", files.clean.string(), "--upscaled", files.original.string()});
    CHECK(swapped.exitCode == 1);
    CHECK(swapped.err.find("160x120") != std::string::npos);
    CHECK(swapped.err.find("640x480") != std::string::npos);

    const auto missing = review(
        {"--original", files.original.string(), "--upscaled", (files.temp / "nope.png").string()});
    CHECK(missing.exitCode == 1);
    CHECK(missing.err.find("nope.png") != std::string::npos);

    CHECK(review({"--original", files.original.string()}).exitCode == 2);
    CHECK(review({"--original", files.original.string(), "--upscaled", files.clean.string(),
                  "--print", "big"})
              .exitCode == 2);
}

TEST_CASE("ripen-cli review --maps writes where the halos are", "[cli][review]") {
    ReviewFiles files;
    const auto dir = files.temp / "maps";
    const auto run = review({"--original", files.original.string(), "--upscaled",
                             files.haloed.string(), "--maps", dir.string()});
    INFO(run.err);
    REQUIRE(run.exitCode == 0);
    CHECK(run.out.find("maps: " + dir.string()) != std::string::npos);
    const cv::Mat overlay = cv::imread((dir / "overshoot-map.png").string(), cv::IMREAD_UNCHANGED);
    REQUIRE(overlay.type() == CV_8UC4);
    CHECK(overlay.size() == cv::Size(80, 60)); // 640x480 in 8 px blocks
    std::vector<cv::Mat> planes;
    cv::split(overlay, planes);
    // Opaque along the dark block's edges (x 360-560, y 200-480), clear in the flat field.
    CHECK(cv::countNonZero(planes[3](cv::Rect(42, 22, 10, 36))) > 0);
    CHECK(cv::countNonZero(planes[3](cv::Rect(2, 2, 30, 20))) == 0);
    const cv::Mat noise = cv::imread((dir / "noise-map.tiff").string(), cv::IMREAD_UNCHANGED);
    CHECK(noise.type() == CV_32FC1);

    const auto cleanRun = review({"--original", files.original.string(), "--upscaled",
                                  files.clean.string(), "--maps", (files.temp / "c").string()});
    REQUIRE(cleanRun.exitCode == 0);
    const cv::Mat quiet =
        cv::imread((files.temp / "c" / "overshoot-map.png").string(), cv::IMREAD_UNCHANGED);
    cv::split(quiet, planes);
    CHECK(cv::countNonZero(planes[3]) == 0);
}

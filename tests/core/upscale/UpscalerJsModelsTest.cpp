#include "imaging/upscale/ModelRegistry.h"
#include "imaging/upscale/SrEngine.h"

#include <catch2/catch.hpp>
#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>

using namespace ripen;

// The UpscalerJS packages scripts/setup.sh fetches into RIPEN_TEST_MODELS_DIR, each with
// the sample its authors produced in TensorFlow.js: assets/fixture.png upscaled is
// assets/samples/Nx/result.png. A missing package fails: CI runs setup first.
TEST_CASE("the UpscalerJS models reproduce the samples their packages ship", "[upscale][models]") {
    const auto [package, scale] = GENERATE(
        std::pair{"default-model", 2}, std::pair{"esrgan-slim", 2}, std::pair{"esrgan-slim", 3},
        std::pair{"esrgan-slim", 4}, std::pair{"esrgan-medium", 2}, std::pair{"esrgan-medium", 4},
        std::pair{"esrgan-thick", 4});
    const std::filesystem::path root = std::filesystem::path(RIPEN_TEST_MODELS_DIR) / package;
    INFO(root.string() << " (run scripts/setup.sh to fetch the models)");
    REQUIRE(std::filesystem::is_directory(root));
    const std::string name = std::string(package) + "-x" + std::to_string(scale);
    const auto model = ModelRegistry({RIPEN_TEST_MODELS_DIR}).find(name);
    INFO("model " << name);
    REQUIRE(model);
    CHECK(model->scale == scale);
    CHECK(model->format == "tfjs");
    auto network = ModelRegistry::load(*model);
    REQUIRE(network);
    auto engine = SrEngine::create(*network);
    REQUIRE(engine);
    const cv::Mat fixture =
        cv::imread((root / "assets" / "fixture.png").string(), cv::IMREAD_COLOR);
    const cv::Mat sample = cv::imread(
        (root / "assets" / "samples" / (std::to_string(scale) + "x") / "result.png").string(),
        cv::IMREAD_COLOR);
    REQUIRE_FALSE(fixture.empty());
    REQUIRE_FALSE(sample.empty());
    auto out = engine->run(fixture);
    REQUIRE(out);
    cv::Mat result;
    out->convertTo(result, CV_8U);
    REQUIRE(result.size() == sample.size());
    const double psnr = cv::PSNR(result, sample);
    INFO("PSNR " << psnr << " dB");
    CHECK(psnr > 40.0);
    // And the model did something a resampler does not: nearest upscaling is far off.
    cv::Mat nearest;
    cv::resize(fixture, nearest, sample.size(), 0, 0, cv::INTER_NEAREST);
    CHECK(cv::PSNR(nearest, sample) < 35.0);
}

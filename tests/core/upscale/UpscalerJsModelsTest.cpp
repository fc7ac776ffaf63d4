#include "imaging/upscale/ModelRegistry.h"
#include "imaging/upscale/SrEngine.h"

#include <catch2/catch.hpp>
#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>

using namespace ripen;

namespace {

// One package sample: <package>/assets/fixture.png upscaled by the model named `model` is
// <package>/assets/samples/<sample>/result.png, as its authors produced it in TensorFlow.js.
struct PackageSample {
    const char* package;
    const char* model;
    int scale;
    const char* sample;
};

void checkReproducesSample(const PackageSample& sample) {
    const std::filesystem::path root =
        std::filesystem::path(RIPEN_TEST_MODELS_DIR) / sample.package;
    INFO(root.string() << " (run scripts/setup.sh to fetch the models)");
    REQUIRE(std::filesystem::is_directory(root));
    const auto model = ModelRegistry({RIPEN_TEST_MODELS_DIR}).find(sample.model);
    INFO("model " << sample.model);
    REQUIRE(model);
    CHECK(model->scale == sample.scale);
    CHECK(model->format == "tfjs");
    auto network = ModelRegistry::load(*model);
    REQUIRE(network);
    auto engine = SrEngine::create(*network);
    REQUIRE(engine);
    const cv::Mat fixture =
        cv::imread((root / "assets" / "fixture.png").string(), cv::IMREAD_COLOR);
    const cv::Mat expected = cv::imread(
        (root / "assets" / "samples" / sample.sample / "result.png").string(), cv::IMREAD_COLOR);
    REQUIRE_FALSE(fixture.empty());
    REQUIRE_FALSE(expected.empty());
    auto out = engine->run(fixture);
    REQUIRE(out);
    cv::Mat result;
    out->convertTo(result, CV_8U);
    REQUIRE(result.size() == expected.size());
    const double psnr = cv::PSNR(result, expected);
    INFO("PSNR " << psnr << " dB");
    CHECK(psnr > 40.0);
    // And the model did something a resampler does not: nearest upscaling is far off.
    cv::Mat nearest;
    cv::resize(fixture, nearest, expected.size(), 0, 0, cv::INTER_NEAREST);
    CHECK(cv::PSNR(nearest, expected) < 35.0);
}

} // namespace

// The UpscalerJS packages scripts/setup.sh fetches into RIPEN_TEST_MODELS_DIR, each with
// the sample its authors produced. A missing package fails: CI runs setup first.
TEST_CASE("the UpscalerJS models reproduce the samples their packages ship", "[upscale][models]") {
    checkReproducesSample(GENERATE(PackageSample{"default-model", "default-model-x2", 2, "2x"},
                                   PackageSample{"esrgan-slim", "esrgan-slim-x2", 2, "2x"},
                                   PackageSample{"esrgan-slim", "esrgan-slim-x3", 3, "3x"},
                                   PackageSample{"esrgan-slim", "esrgan-slim-x4", 4, "4x"},
                                   PackageSample{"esrgan-medium", "esrgan-medium-x2", 2, "2x"},
                                   PackageSample{"esrgan-medium", "esrgan-medium-x4", 4, "4x"},
                                   PackageSample{"esrgan-thick", "esrgan-thick-x4", 4, "4x"}));
}

// @upscalerjs/esrgan-legacy: idealo ISR's RDN models (div2k x2/x3/x4, psnr-small) and the
// RRDN trained with a GAN loss ("gans"), all stored uint8-quantized.
TEST_CASE("the esrgan-legacy models, uint8-quantized, reproduce their package samples",
          "[upscale][models]") {
    checkReproducesSample(
        GENERATE(PackageSample{"esrgan-legacy", "esrgan-legacy-div2k-x2", 2, "div2k/2x"},
                 PackageSample{"esrgan-legacy", "esrgan-legacy-div2k-x3", 3, "div2k/3x"},
                 PackageSample{"esrgan-legacy", "esrgan-legacy-div2k-x4", 4, "div2k/4x"},
                 PackageSample{"esrgan-legacy", "esrgan-legacy-psnr-small-x2", 2, "psnr-small"},
                 PackageSample{"esrgan-legacy", "esrgan-legacy-gans-x4", 4, "gans"}));
}

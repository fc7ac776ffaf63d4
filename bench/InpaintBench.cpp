// bench_inpaint: local inpaint time for a 5% mask on a 4096x4096 image (issue 5), per
// engine. The anchor is the OpenCV engine alone on the whole image (what a script calling
// cv::inpaint / cv::xphoto::inpaint pays), re-measured here in the same run; Ripen's
// figures add the compositing guarantee (feathered paste-back), and "only masked" works on
// a context box around the mask instead of the whole image.

#include "BenchCommon.h"
#include "CommandLine.h"
#include "ResultTable.h"
#include "imaging/inpaint/InpaintPlan.h"

#include <cmath>
#include <functional>
#include <iostream>
#include <numbers>
#include <opencv2/imgproc.hpp>
#include <stdexcept>

namespace rb = ripen::bench;

namespace {

// A photo-like image: smooth gradients, texture and edges, so the engines do real work.
cv::Mat syntheticPhoto(int side) {
    cv::Mat image(side, side, CV_8UC3);
    image.forEach<cv::Vec3b>([side](cv::Vec3b& p, const int* pos) {
        const double y = static_cast<double>(pos[0]) / side;
        const double x = static_cast<double>(pos[1]) / side;
        p = cv::Vec3b(static_cast<uchar>(120 + 100 * std::sin(9 * x + 3 * y)),
                      static_cast<uchar>(90 + 80 * y + 40 * std::cos(31 * x * y)),
                      static_cast<uchar>(60 + 150 * x));
    });
    cv::Mat grain(image.size(), CV_8UC3);
    cv::randu(grain, cv::Scalar::all(0), cv::Scalar::all(24));
    image += grain;
    for (int i = 0; i < 40; ++i) {
        cv::line(image, {side * i / 40, 0}, {side - side * i / 40, side}, cv::Scalar(20, 20, 20),
                 side / 512 + 1);
    }
    return image;
}

// One ellipse covering `fraction` of the image, off centre, as a hand-painted removal.
cv::Mat objectMask(int side, double fraction) {
    cv::Mat mask = cv::Mat::zeros(side, side, CV_8UC1);
    const int radius = static_cast<int>(side * std::sqrt(fraction / std::numbers::pi));
    cv::ellipse(mask, {side * 3 / 5, side * 2 / 5}, {radius, radius}, 0, 0, 360, cv::Scalar(255),
                cv::FILLED);
    return mask;
}

double medianSeconds(int runs, const std::function<void()>& work) {
    std::vector<double> seconds;
    for (int i = 0; i < runs; ++i) {
        const auto start = rb::Clock::now();
        work();
        seconds.push_back(rb::secondsSince(start));
    }
    return rb::median(seconds);
}

template <class T> T orThrow(ripen::Result<T> result, const char* what) {
    if (!result) {
        throw std::runtime_error(std::string(what) + ": " + result.error().message);
    }
    return std::move(*result);
}

int run(int argc, char** argv) {
    const rb::CommandLine args(argc, argv,
                               {"--side", "--runs", "--fsr-runs", "--mask-percent", "--feather"},
                               {"--quick", "--with-fsr-best"});
    const int side = static_cast<int>(args.number("--side", args.has("--quick") ? 1024 : 4096));
    const int runs = static_cast<int>(args.number("--runs", args.has("--quick") ? 3 : 5));
    // FSR takes minutes per 4096x4096 fill: fewer runs unless asked.
    const int fsrRuns = static_cast<int>(args.number("--fsr-runs", 1));
    const double fraction = static_cast<double>(args.number("--mask-percent", 5)) / 100.0;
    ripen::InpaintSettings settings;
    settings.featherPixels = static_cast<int>(args.number("--feather", 8));

    const cv::Mat image = syntheticPhoto(side);
    const cv::Mat mask = objectMask(side, fraction);
    std::cout << "## bench_inpaint\n\nmachine: " << rb::machineDescription() << "\n"
              << "image " << side << "x" << side << ", mask "
              << cv::countNonZero(mask) * 100.0 / mask.total() << "% (one disc), feather "
              << settings.featherPixels << " px; medians, run counts beside each engine; OpenCV "
              << CV_VERSION << " with " << cv::getNumThreads() << " threads\n\n";

    std::vector<std::pair<const char*, ripen::LocalInpaintEngine>> engines = {
        {"Telea", ripen::LocalInpaintEngine::Telea},
        {"Navier-Stokes", ripen::LocalInpaintEngine::NavierStokes},
        {"FSR fast", ripen::LocalInpaintEngine::FsrFast}};
    if (args.has("--with-fsr-best")) {
        engines.emplace_back("FSR best", ripen::LocalInpaintEngine::FsrBest);
    }
    ripen::InpaintSettings onlyMasked = settings;
    onlyMasked.onlyMasked = true;
    rb::ResultTable table({"engine", "anchor: engine alone, whole image",
                           "Ripen: whole image + composite", "Ripen: only masked + composite",
                           "only masked / anchor"});
    for (const auto& [name, engine] : engines) {
        const bool fsr = engine == ripen::LocalInpaintEngine::FsrFast ||
                         engine == ripen::LocalInpaintEngine::FsrBest;
        const int n = fsr ? fsrRuns : runs;
        const double anchor = medianSeconds(
            n, [&] { (void)orThrow(ripen::fillLocally(image, mask, engine), "engine"); });
        const double whole = medianSeconds(n, [&] {
            (void)orThrow(ripen::inpaintLocally(image, mask, engine, settings), "inpaint");
        });
        const double cropped = medianSeconds(n, [&] {
            (void)orThrow(ripen::inpaintLocally(image, mask, engine, onlyMasked), "inpaint");
        });
        table.addRow({std::string(name) + " (" + std::to_string(n) + " runs)",
                      rb::formatDuration(anchor), rb::formatDuration(whole),
                      rb::formatDuration(cropped), rb::ratioText(cropped, anchor)});
        std::cout.flush();
    }
    std::cout << "Times (lower is better):\n\n" << table.toMarkdown() << "\n";
    return 0;
}

} // namespace

int main(int argc, char** argv) {
    try {
        return run(argc, argv);
    } catch (const std::exception& e) {
        std::cerr << "bench_inpaint: " << e.what() << "\n";
        return 1;
    }
}

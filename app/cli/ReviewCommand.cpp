#include "Command.h"
#include "common/FileIo.h"
#include "imaging/ImageDecoder.h"
#include "imaging/ImageLimits.h"
#include "imaging/PrintSize.h"
#include "imaging/review/ArtifactAnalysis.h"
#include "imaging/review/ArtifactOverlay.h"

#include <cstdio>
#include <iostream>
#include <nlohmann/json.hpp>
#include <optional>

namespace ripen::cli {
namespace {

Result<cv::Mat> loadImage(const std::string& path) {
    auto bytes = readFileBounded(path, kMaxImageFileBytes);
    if (!bytes) {
        return std::unexpected(bytes.error());
    }
    auto image = decodeImage(*bytes);
    if (!image) {
        return std::unexpected(withContext(image.error(), path));
    }
    return image;
}

std::string figure(double value) {
    char text[32];
    std::snprintf(text, sizeof text, "%.2f", value);
    return text;
}

nlohmann::json reportJson(const ArtifactAnalysis::Report& report) {
    nlohmann::json tiles = nlohmann::json::array();
    for (const auto& tile : report.worstTiles) {
        tiles.push_back({{"x", tile.rect.x},
                         {"y", tile.rect.y},
                         {"width", tile.rect.width},
                         {"height", tile.rect.height},
                         {"noise", tile.noise},
                         {"overshoot", tile.overshoot},
                         {"score", tile.score}});
    }
    return {{"verdict", toString(report.verdict)},
            {"original", {{"width", report.original.width}, {"height", report.original.height}}},
            {"upscaled", {{"width", report.upscaled.width}, {"height", report.upscaled.height}}},
            {"noise",
             {{"worst", report.worstNoise},
              {"mean", report.meanNoise},
              {"check_at", ArtifactAnalysis::kNoiseCheck},
              {"likely_at", ArtifactAnalysis::kNoiseLikely}}},
            {"overshoot",
             {{"worst", report.worstOvershoot},
              {"mean", report.meanOvershoot},
              {"check_at", ArtifactAnalysis::kOvershootCheck},
              {"likely_at", ArtifactAnalysis::kOvershootLikely}}},
            {"worst_tiles", tiles}};
}

void printReport(const ArtifactAnalysis::Report& report) {
    const double scale = static_cast<double>(report.upscaled.width) / report.original.width;
    std::cout << "verdict: " << toString(report.verdict) << "\n"
              << "original: " << report.original.width << "x" << report.original.height << "\n"
              << "upscaled: " << report.upscaled.width << "x" << report.upscaled.height << " (x"
              << figure(scale) << ")\n"
              << "micro-noise: worst " << figure(report.worstNoise) << ", mean "
              << figure(report.meanNoise) << " (check at " << figure(ArtifactAnalysis::kNoiseCheck)
              << ", likely at " << figure(ArtifactAnalysis::kNoiseLikely) << ")\n"
              << "over-sharpening: worst " << figure(report.worstOvershoot) << ", mean "
              << figure(report.meanOvershoot) << " (check at "
              << figure(ArtifactAnalysis::kOvershootCheck) << ", likely at "
              << figure(ArtifactAnalysis::kOvershootLikely) << ")\n"
              << "worst tiles:\n";
    for (const auto& tile : report.worstTiles) {
        std::cout << "  x=" << tile.rect.x << " y=" << tile.rect.y << " " << tile.rect.width << "x"
                  << tile.rect.height << "  noise " << figure(tile.noise) << "  overshoot "
                  << figure(tile.overshoot) << "\n";
    }
}

int runReview(const CommandContext&, const ArgParser& args) {
    if (!args.has("original") || !args.has("upscaled")) {
        std::cerr << "ripen-cli review: --original FILE and --upscaled FILE are required\n";
        return kExitUsage;
    }
    std::optional<PrintSize> print;
    if (auto text = args.value("print")) {
        auto parsed = PrintSize::parse(*text);
        if (!parsed) {
            std::cerr << "ripen-cli review: --print: " << parsed.error().message << "\n";
            return kExitUsage;
        }
        print = *parsed;
    }
    auto original = loadImage(*args.value("original"));
    if (!original) {
        std::cerr << "ripen-cli review: " << original.error().message << "\n";
        return kExitFailure;
    }
    auto upscaled = loadImage(*args.value("upscaled"));
    if (!upscaled) {
        std::cerr << "ripen-cli review: " << upscaled.error().message << "\n";
        return kExitFailure;
    }
    auto report = ArtifactAnalysis::analyse(*original, *upscaled);
    if (!report) {
        std::cerr << "ripen-cli review: " << report.error().message << "\n";
        return kExitFailure;
    }
    nlohmann::json json = reportJson(*report);
    if (print) {
        const PrintSize turned = print->orientedLike(report->upscaled);
        json["print"] = {{"width_in", turned.widthInches},
                         {"height_in", turned.heightInches},
                         {"effective_dpi", turned.effectiveDpi(report->upscaled)}};
    }
    if (auto dir = args.value("maps")) {
        if (auto written = writeArtifactMaps(*report, *dir); !written) {
            std::cerr << "ripen-cli review: " << written.error().message << "\n";
            return kExitFailure;
        }
        json["maps"] = {{"dir", *dir}, {"block", report->mapBlock}};
    }
    if (args.has("json")) {
        std::cout << json.dump() << "\n";
        return kExitOk;
    }
    printReport(*report);
    if (print) {
        std::cout << "print: " << figure(json["print"]["width_in"].get<double>()) << "x"
                  << figure(json["print"]["height_in"].get<double>()) << " in at "
                  << figure(json["print"]["effective_dpi"].get<double>()) << " DPI\n";
    }
    if (auto dir = args.value("maps")) {
        std::cout << "maps: " << *dir << " (noise-map, overshoot-map; one pixel per "
                  << report->mapBlock << " px block)\n";
    }
    return kExitOk;
}

} // namespace

Command reviewCommand() {
    return {"review",
            "review --original FILE --upscaled FILE [--print WxHin] [--maps DIR] [--json]",
            "Measures what an upscaler invented, against the original enlarged with Lanczos:\n"
            "micro-noise (high frequencies in areas the original has smooth, such as sky and\n"
            "skin) and over-sharpening (halos and overshoot along edges), per 128 px tile.\n"
            "Prints a verdict (clean, check, likely artifacts), the worst and mean figures in\n"
            "luma levels with their thresholds, and the worst tiles to inspect at 100%.\n"
            "--print gives the effective DPI at a print size (turned like the image).\n"
            "--maps DIR writes the micro-noise and over-sharpening maps: noise-map.png and\n"
            "overshoot-map.png (amber from check, red from likely, one pixel per 8 px block)\n"
            "and the figures as 32-bit float TIFFs. Exit status 0 whatever the\n"
            "verdict; scripts read it from --json.",
            [](ArgParser& p) {
                p.addOption("original", true, "FILE", "the image before upscaling");
                p.addOption("upscaled", true, "FILE", "the upscaled image");
                p.addOption("print", true, "WxHin", "print size in inches, e.g. 18x24in");
                p.addOption("maps", true, "DIR", "write the artifact maps into DIR");
                p.addOption("json", false, "", "one JSON object");
            },
            runReview};
}

} // namespace ripen::cli

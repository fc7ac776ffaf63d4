#include "BatchCommandSupport.h"
#include "Command.h"
#include "batch/PrintReadiness.h"
#include "common/FileIo.h"
#include "common/TextEncoding.h"
#include "imaging/ImageLimits.h"

#include <cstdio>
#include <iostream>
#include <nlohmann/json.hpp>

namespace ripen::cli {
namespace {

constexpr const char* kName = "printcheck";

std::string figure(double value, int decimals) {
    char text[32];
    std::snprintf(text, sizeof text, "%.*f", decimals, value);
    return text;
}

nlohmann::json toJson(const PrintReadiness& r) {
    nlohmann::json json = {{"verdict", toString(r.verdict)},
                           {"width_px", r.widthPixels},
                           {"height_px", r.heightPixels},
                           {"print_width_in", r.print.widthInches},
                           {"print_height_in", r.print.heightInches},
                           {"target_dpi", r.targetDpi},
                           {"effective_dpi", r.effectiveDpi},
                           {"needed_width_px", r.neededWidthPixels},
                           {"needed_height_px", r.neededHeightPixels},
                           {"cropped_percent", r.croppedPercent},
                           {"profile", toString(r.profile)},
                           {"profile_name", r.profileName},
                           {"findings", r.findings}};
    json["stated_dpi"] = r.statedDpi ? nlohmann::json(*r.statedDpi) : nlohmann::json();
    return json;
}

int runPrintCheck(const CommandContext&, const ArgParser& args) {
    if (!args.has("image") || !args.has("size")) {
        return usageError(kName, "--image FILE and --size SIZE are required");
    }
    auto size = parsePrintSize(*args.value("size"));
    if (!size) {
        return usageError(kName, size.error().message);
    }
    auto dpi = numberOption(args, "dpi", 1, 10000, 300);
    if (!dpi) {
        return usageError(kName, dpi.error().message);
    }
    const std::string file = *args.value("image");
    auto bytes = readFileBounded(file, kMaxImageFileBytes);
    if (!bytes) {
        return failure(kName, bytes.error().message);
    }
    auto report = checkPrintReadiness(*bytes, file, *size, static_cast<int>(*dpi));
    if (!report) {
        return failure(kName, report.error().message);
    }
    if (args.has("json")) {
        std::cout << toJson(*report).dump() << "\n";
    } else {
        const auto& r = *report;
        std::cout << "verdict: " << toString(r.verdict) << "\n"
                  << "pixels: " << r.widthPixels << "x" << r.heightPixels << "\n"
                  << "print: " << figure(r.print.widthInches, 2) << "x"
                  << figure(r.print.heightInches, 2) << " in at " << figure(r.effectiveDpi, 0)
                  << " DPI (target " << r.targetDpi << ", needs " << r.neededWidthPixels << "x"
                  << r.neededHeightPixels << ")\n"
                  << "colour profile: " << toString(r.profile)
                  << (r.profileName.empty() ? "" : " (" + escapeInvalidUtf8(r.profileName) + ")")
                  << "\n";
        for (const auto& finding : r.findings) {
            std::cout << "- " << escapeInvalidUtf8(finding) << "\n";
        }
    }
    return report->verdict == PrintReadiness::Verdict::NotReady ? kExitFailure : kExitOk;
}

} // namespace

Command printCheckCommand() {
    return {kName, "printcheck --image FILE --size SIZE [--dpi N] [--json]",
            "Says whether an image is ready to print at a size: its pixels against the print\n"
            "at --dpi (default 300; ready at or above it, marginal from two thirds of it, not\n"
            "ready below, with the pixels an upscale must reach), its colour profile (sRGB is\n"
            "what print services expect; none makes it marginal) and how much the print's\n"
            "proportions crop. SIZE is WIDTHxHEIGHT in in, cm or mm (8x10in, 20x30cm) or a\n"
            "paper (A5-A1, Letter, Tabloid), turned to the image's orientation. Reads headers\n"
            "only. Exit status 0 for ready or marginal, 1 for not ready (or an error).",
            [](ArgParser& p) {
                p.addOption("image", true, "FILE", "the print file");
                p.addOption("size", true, "SIZE", "e.g. 8x10in, 30x40cm, A3");
                p.addOption("dpi", true, "N", "target resolution (default 300)");
                p.addOption("json", false, "", "print the report as one JSON object");
            },
            runPrintCheck};
}

} // namespace ripen::cli

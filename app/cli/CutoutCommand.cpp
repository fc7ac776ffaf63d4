#include "BatchCommandSupport.h"
#include "Command.h"
#include "batch/ImageFiles.h"
#include "batch/ProductCutout.h"
#include "common/TextEncoding.h"

#include <iostream>
#include <opencv2/core.hpp>

namespace ripen::cli {
namespace {

constexpr const char* kName = "cutout";

int runCutout(const CommandContext&, const ArgParser& args) {
    if (!args.has("image") || !args.has("out")) {
        return usageError(kName, "--image FILE and --out FILE are required");
    }
    if (args.has("mask") == args.has("box")) {
        return usageError(kName, "give the product as --mask FILE or as --box X,Y,W,H (one)");
    }
    const std::filesystem::path out = *args.value("out");
    if (out.extension() != ".png") {
        return usageError(kName, "--out must be a .png file (the cut-out has transparency)");
    }
    CutoutSettings settings;
    auto feather = numberOption(args, "feather", 0, 16, settings.featherPixels);
    if (!feather) {
        return usageError(kName, feather.error().message);
    }
    settings.featherPixels = *feather;
    CutoutSeed seed;
    if (auto box = args.value("box")) {
        auto parsed = parseBox(*box);
        if (!parsed) {
            return usageError(kName, parsed.error().message);
        }
        seed.box = *parsed;
    }
    auto image = readImageFile(*args.value("image"));
    if (!image) {
        return failure(kName, image.error().message);
    }
    if (auto maskFile = args.value("mask")) {
        auto mask = readImageFile(*maskFile);
        if (!mask) {
            return failure(kName, mask.error().message);
        }
        seed.paintedMask = std::move(*mask);
        seed.nameForErrors = "mask " + *maskFile;
    }
    auto cutout = cutOutProduct(*image, seed, settings);
    if (!cutout) {
        return failure(kName, cutout.error().message);
    }
    if (auto written = writePngFile(out, *cutout); !written) {
        return failure(kName, written.error().message);
    }
    cv::Mat alpha;
    cv::extractChannel(*cutout, alpha, 3);
    const double percent =
        100.0 * cv::countNonZero(alpha > 127) / static_cast<double>(alpha.total());
    std::cout << "wrote " << escapeInvalidUtf8(out.string()) << " (" << cutout->cols << "x"
              << cutout->rows << ", product " << static_cast<int>(percent + 0.5)
              << "% of the image)\n";
    return kExitOk;
}

} // namespace

Command cutoutCommand() {
    return {kName,
            "cutout --image FILE (--mask FILE | --box X,Y,W,H) --out FILE.png [--feather PX]",
            "Cuts a product out of its photo with GrabCut and writes it as an RGBA PNG: alpha is\n"
            "the product with a soft edge of --feather pixels (default 1), and the colours along\n"
            "the edge are cleaned of the old background, so no fringe shows on a new one.\n"
            "Seed it with a box around the product (everything outside is background) or with a\n"
            "painted mask of the image's size, read as grey:\n"
            "  white (224-255)       product, for certain\n"
            "  light grey (128-223)  probably product\n"
            "  dark grey (32-127)    probably background\n"
            "  black (0-31)          background, for certain\n"
            "e.g. a white stroke inside the product, black strokes on the background, mid grey\n"
            "elsewhere. Large photos are segmented at 1280 px and the mask scaled back up.",
            [](ArgParser& p) {
                p.addOption("image", true, "FILE", "the product photo");
                p.addOption("mask", true, "FILE", "painted seed mask (see above)");
                p.addOption("box", true, "X,Y,W,H", "box around the product, in pixels");
                p.addOption("out", true, "FILE.png", "where the RGBA cut-out goes");
                p.addOption("feather", true, "PX", "soft edge, 0 to 16 pixels (default 1)");
            },
            runCutout};
}

} // namespace ripen::cli

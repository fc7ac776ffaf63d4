#include "BatchCommandSupport.h"
#include "Command.h"
#include "batch/BackgroundComposite.h"
#include "batch/ImageFiles.h"
#include "batch/PlatformSizes.h"
#include "catalog/Library.h"
#include "common/FileIo.h"
#include "common/TextEncoding.h"

#include <iostream>

namespace ripen::cli {
namespace {

constexpr const char* kName = "advariants";

struct Background {
    std::string name; // for the variant's file name
    std::filesystem::path file;
};

// --background FILE|DIR and --background-asset ID, in the order given.
Result<std::vector<Background>> backgroundsFrom(const CommandContext& context,
                                                const ArgParser& args) {
    std::vector<Background> backgrounds;
    auto files = imageFilesIn(args.values("background"));
    if (!files) {
        return std::unexpected(files.error());
    }
    for (const auto& file : *files) {
        backgrounds.push_back({file.stem().string(), file});
    }
    const auto assets = args.values("background-asset");
    if (assets.empty()) {
        return backgrounds;
    }
    auto library = Library::open(context.library);
    if (!library) {
        return std::unexpected(library.error());
    }
    for (const auto& id : assets) {
        AssetId assetId = 0;
        try {
            assetId = std::stoll(id);
        } catch (const std::exception&) {
            return fail(ErrorCode::InvalidArgument,
                        "--background-asset takes an asset id, not '" + id + "'");
        }
        auto asset = (*library)->catalog().asset(assetId);
        if (!asset) {
            return std::unexpected(withContext(asset.error(), "--background-asset " + id));
        }
        if (asset->kind != AssetKind::Image) {
            return fail(ErrorCode::InvalidArgument, "asset " + id + " is not an image");
        }
        backgrounds.push_back({"asset-" + id, (*library)->blobFile(*asset)});
    }
    return backgrounds;
}

Result<CompositeSettings> settingsFrom(const ArgParser& args) {
    CompositeSettings s;
    const struct {
        const char* option;
        double low, high;
        double* target;
    } numbers[] = {{"scale", 0.05, 1, &s.placement.scale},
                   {"margin", 0, 0.45, &s.placement.margin},
                   {"shadow-opacity", 0, 1, &s.shadow.opacity},
                   {"shadow-angle", -360, 360, &s.shadow.angleDegrees},
                   {"shadow-distance", 0, 1, &s.shadow.distance},
                   {"shadow-softness", 0, 0.5, &s.shadow.softness},
                   {"colour-match", 0, 1, &s.colourMatch}};
    for (const auto& number : numbers) {
        auto value = numberOption(args, number.option, number.low, number.high, *number.target);
        if (!value) {
            return std::unexpected(value.error());
        }
        *number.target = *value;
    }
    if (auto anchor = args.value("anchor")) {
        auto parsed = parseProductAnchor(*anchor);
        if (!parsed) {
            return std::unexpected(parsed.error());
        }
        s.placement.anchor = *parsed;
    }
    return s;
}

int runAdVariants(const CommandContext& context, const ArgParser& args) {
    if (!args.has("product") || !args.has("out") || !args.has("sizes")) {
        return usageError(kName, "--product FILE, --sizes LIST and --out DIR are required");
    }
    if (!args.has("background") && !args.has("background-asset")) {
        return usageError(kName,
                          "give at least one --background FILE|DIR or --background-asset ID");
    }
    auto sizes = parseSizeList(*args.value("sizes"));
    if (!sizes) {
        return usageError(kName, sizes.error().message);
    }
    auto settings = settingsFrom(args);
    if (!settings) {
        return usageError(kName, settings.error().message);
    }
    auto backgrounds = backgroundsFrom(context, args);
    if (!backgrounds) {
        return failure(kName, backgrounds.error().message);
    }
    const std::filesystem::path productFile = *args.value("product");
    auto product = readImageFile(productFile);
    if (!product) {
        return failure(kName, product.error().message);
    }
    if (product->channels() != 4) {
        return failure(kName, productFile.string() +
                                  " has no transparency: make a cut-out first (ripen-cli cutout)");
    }
    const std::string productName = args.value("name").value_or(productFile.stem().string());
    const std::filesystem::path out = *args.value("out");
    std::error_code ec;
    std::filesystem::create_directories(out, ec);
    if (ec) {
        return failure(kName, out.string() + ": cannot create the folder: " + ec.message());
    }
    std::string table = "variant,product,background,width,height\n";
    int number = 0;
    for (const auto& background : *backgrounds) {
        auto pixels = readImageFile(background.file);
        if (!pixels) {
            return failure(kName, pixels.error().message);
        }
        for (const auto& size : *sizes) {
            auto variant = composeAdVariant(*product, *pixels, size, *settings);
            if (!variant) {
                return failure(kName, variant.error().message);
            }
            const std::string name = variantFileName(productName, background.name, size, ++number);
            if (auto written = writePngFile(out / name, *variant); !written) {
                return failure(kName, written.error().message);
            }
            table += name + "," + fileSlug(productName) + "," + fileSlug(background.name) + "," +
                     std::to_string(size.width) + "," + std::to_string(size.height) + "\n";
            std::cout << "wrote " << escapeInvalidUtf8((out / name).string()) << "\n";
        }
    }
    if (auto written = writeFileAtomically(out / "variants.csv", table); !written) {
        return failure(kName, written.error().message);
    }
    std::cout << number << " variants; index in "
              << escapeInvalidUtf8((out / "variants.csv").string()) << "\n";
    return kExitOk;
}

} // namespace

Command adVariantsCommand() {
    return {
        kName,
        "advariants --product CUTOUT.png (--background FILE|DIR)... --sizes LIST --out DIR "
        "[OPTIONS]",
        "Composites a product cut-out (an RGBA PNG, e.g. from ripen-cli cutout) onto each\n"
        "background at each size: the background is scaled to cover the size and centre\n"
        "cropped, the product scaled to --scale of it and anchored (bottom-centre by\n"
        "default), a soft contact shadow laid under its base and its colours matched towards\n"
        "the background's (CIE Lab mean and spread, by --colour-match). One PNG per\n"
        "background and size, named for A/B tests:\n"
        "  <product>-<background>-<W>x<H>-v<NN>.png\n"
        "numbered in order (backgrounds, then sizes), plus variants.csv listing them.\n"
        "Sizes: square (1080x1080), story (1080x1920), landscape (1200x628) or WIDTHxHEIGHT,\n"
        "comma-separated. Backgrounds: image files, folders of them, or library assets.",
        [](ArgParser& p) {
            p.addOption("product", true, "FILE", "the product cut-out (RGBA PNG)");
            p.addOption("name", true, "NAME", "product name in file names (default: file stem)");
            p.addOption("background", true, "FILE|DIR", "background image(s); repeatable");
            p.addOption("background-asset", true, "ID", "a library image as background");
            p.addOption("sizes", true, "LIST", "e.g. square,story,landscape,800x800");
            p.addOption("out", true, "DIR", "folder for the variants (created)");
            p.addOption("scale", true, "F", "product box / canvas, 0.05-1 (default 0.6)");
            p.addOption("anchor", true, "WHERE",
                        "bottom-centre (default), centre, bottom-left, bottom-right");
            p.addOption("margin", true, "F", "gap to the anchored edges, 0-0.45 (default 0.08)");
            p.addOption("shadow-opacity", true, "F", "0-1 (default 0.55; 0 = no shadow)");
            p.addOption("shadow-angle", true, "DEG",
                        "shadow direction: 0 right, 90 down (default)");
            p.addOption("shadow-distance", true, "F", "offset / product height (default 0.01)");
            p.addOption("shadow-softness", true, "F", "blur / product width (default 0.04)");
            p.addOption("colour-match", true, "F", "0 as shot .. 1 background's (default 0.3)");
        },
        runAdVariants};
}

} // namespace ripen::cli

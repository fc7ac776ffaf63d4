#include "recipes/BackgroundStep.h"

#include "batch/ImageFiles.h"
#include "batch/PlatformSizes.h"
#include "batch/ProductCutout.h"
#include "recipes/PostStepFiles.h"

#include <opencv2/core.hpp>

namespace ripen {

namespace {

constexpr std::size_t kMaxBackgrounds = 64;
constexpr std::size_t kMaxSizes = 16;
constexpr std::size_t kMaxVariants = 1000; // per step and run
constexpr const char* kGenerated = "generated";

// A picture with the name its variants carry.
struct NamedImage {
    std::string name;
    cv::Mat image;
};

std::string sourceName(const std::string& source) {
    if (source.rfind("asset:", 0) == 0) {
        return "asset-" + source.substr(6);
    }
    return std::filesystem::path(source).stem().string();
}

Result<cv::Mat> readSource(Library& library, const std::string& source) {
    auto file = resolveImageSource(library, source);
    if (!file) {
        return std::unexpected(file.error());
    }
    return readImageFile(*file);
}

Result<NamedImage> readItem(Library& library, const PostStepItem& item) {
    auto file = itemFile(library, item);
    if (!file) {
        return std::unexpected(file.error());
    }
    auto image = readImageFile(*file);
    if (!image) {
        return std::unexpected(image.error());
    }
    return NamedImage{item.name, std::move(*image)};
}

std::string joined(const std::vector<std::string>& items) {
    std::string out;
    for (const auto& item : items) {
        out += (out.empty() ? "" : ",") + item;
    }
    return out;
}

void readProduct(FieldReader& reader, BackgroundProduct& product, bool& valid) {
    if (auto source = reader.string("product", false, 1024)) {
        product.source = *source;
        valid = checkImageSource(*source, reader.pathOf("product"), reader.issues()) && valid;
    }
    if (const auto* cutout = reader.raw("cutout")) {
        FieldReader seed(*cutout, reader.pathOf("cutout"), reader.issues());
        product.box = seed.string("box", false, 64);
        product.mask = seed.string("mask", false, 1024);
        seed.finish();
        valid = seed.isObject() && valid;
        if (product.box && !parseBox(*product.box)) {
            seed.issues().add(seed.pathOf("box"), "expected \"X,Y,W,H\" in whole pixels");
            valid = false;
        }
        if (product.mask) {
            valid = checkImageSource(*product.mask, seed.pathOf("mask"), seed.issues()) && valid;
        }
        if (seed.isObject() && product.box.has_value() == product.mask.has_value()) {
            seed.issues().add(reader.pathOf("cutout"), "give exactly one of \"box\" or \"mask\"");
            valid = false;
        }
    }
    if (reader.has("product") == reader.has("cutout")) {
        reader.issues().add(reader.pathOf("product"),
                            "give exactly one of \"product\" (a cut-out image) or \"cutout\" "
                            "(cut each asset of the run out)");
        valid = false;
    }
}

} // namespace

std::shared_ptr<const PostStep> parseBackgroundStep(FieldReader& reader) {
    bool valid = true;
    BackgroundProduct product;
    readProduct(reader, product, valid);
    const bool cutting = reader.has("cutout");

    auto backgrounds = reader.strings("backgrounds", kMaxBackgrounds, 1024, true);
    valid = backgrounds.has_value() && valid;
    for (std::size_t i = 0; backgrounds && i < backgrounds->size(); ++i) {
        const auto& source = (*backgrounds)[i];
        const std::string path = reader.pathOf("backgrounds") + "[" + std::to_string(i) + "]";
        if (source == kGenerated && cutting) {
            reader.issues().add(path,
                                "\"generated\" needs a fixed \"product\": with \"cutout\" the "
                                "run's assets are the products");
            valid = false;
        } else if (source != kGenerated) {
            valid = checkImageSource(source, path, reader.issues()) && valid;
        }
    }

    auto sizeNames =
        reader.strings("sizes", kMaxSizes, 32).value_or(std::vector<std::string>{"square"});
    auto sizes = parseSizeList(joined(sizeNames));
    if (!sizes) {
        reader.issues().add(reader.pathOf("sizes"), sizes.error().message);
        valid = false;
    }

    CompositeSettings settings;
    const auto number = [&](const char* key, double min, double max, double& into) {
        if (const auto value = reader.number(key, min, max)) {
            into = *value;
        } else if (reader.has(key)) {
            valid = false;
        }
    };
    number("scale", 0.05, 1.0, settings.placement.scale);
    number("shadow", 0.0, 1.0, settings.shadow.opacity);
    number("colour_match", 0.0, 1.0, settings.colourMatch);
    const auto anchorName = reader.string("anchor", false, 32).value_or("bottom-centre");
    if (auto anchor = parseProductAnchor(anchorName)) {
        settings.placement.anchor = *anchor;
    } else {
        reader.issues().add(reader.pathOf("anchor"), "expected \"bottom-centre\", \"centre\", "
                                                     "\"bottom-left\" or \"bottom-right\"");
        valid = false;
    }
    reader.finish();
    if (!valid || !sizes) {
        return nullptr;
    }
    return std::make_shared<BackgroundStep>(std::move(product), std::move(*backgrounds),
                                            std::move(sizeNames), std::move(*sizes), settings,
                                            anchorName);
}

nlohmann::json BackgroundStep::toJson() const {
    nlohmann::json json{{"step", kind()}};
    if (m_product.source.empty()) {
        json["cutout"] = m_product.box ? nlohmann::json{{"box", *m_product.box}}
                                       : nlohmann::json{{"mask", *m_product.mask}};
    } else {
        json["product"] = m_product.source;
    }
    json["backgrounds"] = m_backgrounds;
    json["sizes"] = m_sizeNames;
    json["scale"] = m_settings.placement.scale;
    json["anchor"] = m_anchorName;
    json["shadow"] = m_settings.shadow.opacity;
    json["colour_match"] = m_settings.colourMatch;
    return json;
}

Result<PostStepResult> BackgroundStep::run(PostStepRuntime& runtime,
                                           const std::vector<PostStepItem>& inputs) const {
    // One side of the product x background grid is loaded up front (the fixed product, or
    // the background files when cutting out); the run's assets are read one at a time.
    const bool cutting = m_product.source.empty();
    std::size_t perAsset = 0;
    std::vector<NamedImage> fixed;
    if (!cutting) {
        auto image = readSource(runtime.library, m_product.source);
        if (!image) {
            return std::unexpected(image.error());
        }
        if (image->channels() != 4) {
            return fail(ErrorCode::InvalidArgument,
                        "product " + m_product.source +
                            " has no transparency: give a cut-out PNG or use \"cutout\"");
        }
        fixed.push_back({sourceName(m_product.source), std::move(*image)});
    }
    std::vector<std::string> backgroundFiles;
    for (const auto& source : m_backgrounds) {
        if (source == kGenerated) {
            ++perAsset;
        } else {
            backgroundFiles.push_back(source);
        }
    }
    const std::size_t variants =
        m_sizes.size() * (cutting ? inputs.size() * backgroundFiles.size()
                                  : perAsset * inputs.size() + backgroundFiles.size());
    if (variants > kMaxVariants) {
        return fail(ErrorCode::LimitExceeded, std::to_string(variants) + " variants, more than " +
                                                  std::to_string(kMaxVariants) + " a step makes");
    }
    if (auto made = ensureDirectory(runtime.exportDir); !made) {
        return std::unexpected(made.error());
    }
    std::optional<cv::Mat> mask;
    if (m_product.mask) {
        auto read = readSource(runtime.library, *m_product.mask);
        if (!read) {
            return std::unexpected(read.error());
        }
        mask = std::move(*read);
    }

    PostStepResult result{inputs, toJson()};
    result.record["files"] = nlohmann::json::array();
    int number = 0;
    const auto compose = [&](const NamedImage& product, const NamedImage& background,
                             AssetId asset) -> Status {
        for (const auto& size : m_sizes) {
            auto variant = composeAdVariant(product.image, background.image, size, m_settings);
            if (!variant) {
                return std::unexpected(
                    withContext(variant.error(), product.name + " on " + background.name));
            }
            const auto file =
                runtime.exportDir / variantFileName(product.name, background.name, size, ++number);
            if (auto written = writePngFile(file, *variant); !written) {
                return std::unexpected(written.error());
            }
            result.record["files"].push_back(
                {{"asset", asset},
                 {"product", product.name},
                 {"background", background.name},
                 {"size", std::to_string(size.width) + "x" + std::to_string(size.height)},
                 {"file", libraryRelative(runtime, file)}});
        }
        return {};
    };

    std::vector<NamedImage> backgrounds;
    for (const auto& source : backgroundFiles) {
        auto image = readSource(runtime.library, source);
        if (!image) {
            return std::unexpected(image.error());
        }
        backgrounds.push_back({sourceName(source), std::move(*image)});
    }
    if (!cutting) {
        for (const auto& background : backgrounds) {
            if (auto done = compose(fixed.front(), background, 0); !done) {
                return std::unexpected(done.error());
            }
        }
    }
    for (std::size_t i = 0; i < inputs.size() && (cutting || perAsset > 0); ++i) {
        auto item = readItem(runtime.library, inputs[i]);
        if (!item) {
            return std::unexpected(item.error());
        }
        if (!cutting) {
            for (std::size_t k = 0; k < perAsset; ++k) {
                if (auto done = compose(fixed.front(), *item, inputs[i].asset); !done) {
                    return std::unexpected(done.error());
                }
            }
            continue;
        }
        CutoutSeed seed;
        seed.nameForErrors = m_product.mask.value_or("cutout.box");
        if (m_product.box) {
            seed.box = *parseBox(*m_product.box);
        } else {
            seed.paintedMask = *mask;
        }
        auto cut = cutOutProduct(item->image, seed);
        if (!cut) {
            return std::unexpected(withContext(cut.error(), inputs[i].name));
        }
        const NamedImage product{item->name, std::move(*cut)};
        for (const auto& background : backgrounds) {
            if (auto done = compose(product, background, inputs[i].asset); !done) {
                return std::unexpected(done.error());
            }
        }
    }
    return result;
}

} // namespace ripen

#include "Command.h"
#include "catalog/EmbeddedProvenance.h"
#include "catalog/internal/EmbeddedMetadata.h"
#include "common/FileIo.h"
#include "imaging/ImageHeader.h"
#include "imaging/ImageLimits.h"
#include "imaging/MediaFormat.h"

#include <cmath>
#include <iostream>
#include <nlohmann/json.hpp>

namespace ripen::cli {
namespace {

using Fields = std::vector<std::pair<std::string, nlohmann::json>>;

void addIfSet(Fields& fields, const std::string& key, const std::string& value) {
    if (!value.empty()) {
        fields.emplace_back(key, value);
    }
}

void addGeneration(Fields& fields, const GenerationMetadata& generation) {
    addIfSet(fields, "prompt", generation.prompt);
    addIfSet(fields, "negative_prompt", generation.negativePrompt);
    addIfSet(fields, "provider", generation.provider);
    addIfSet(fields, "model", generation.modelId);
    addIfSet(fields, "model_version", generation.modelVersion);
    if (generation.seed) {
        fields.emplace_back("seed", *generation.seed);
    }
    for (const auto& [key, value] : generation.params.items()) {
        fields.emplace_back("param." + key, value);
    }
}

void addProvenance(Fields& fields, const EmbeddedProvenance::Found& found) {
    if (found.xmp) {
        const Provenance& xmp = *found.xmp;
        addIfSet(fields, "xmp.creator_tool", xmp.creatorTool);
        if (xmp.sourceType) {
            fields.emplace_back("xmp.digital_source_type", digitalSourceTypeUri(*xmp.sourceType));
        }
        if (xmp.assetId) {
            fields.emplace_back("xmp.ripen_asset", *xmp.assetId);
        }
        addIfSet(fields, "xmp.ripen_stage", xmp.stage);
        if (xmp.jobId) {
            fields.emplace_back("xmp.ripen_job", *xmp.jobId);
        }
        addIfSet(fields, "xmp.ripen_recipe_run", xmp.recipeRun);
    }
    addIfSet(fields, "exif.image_description", found.exifDescription);
    addIfSet(fields, "exif.software", found.exifSoftware);
    addIfSet(fields, "exif.user_comment", found.exifUserComment);
    addIfSet(fields, "icc_profile", found.iccDescription);
    if (found.dpi) {
        const double dpi = std::round(*found.dpi * 100) / 100;
        if (dpi == std::floor(dpi)) {
            fields.emplace_back("dpi", static_cast<std::int64_t>(dpi));
        } else {
            fields.emplace_back("dpi", dpi);
        }
    }
}

std::string displayValue(const nlohmann::json& value) {
    std::string text = value.is_string() ? value.get<std::string>() : value.dump();
    for (std::size_t at = text.find('\n'); at != std::string::npos; at = text.find('\n', at + 3)) {
        text.replace(at, 1, "\n  ");
    }
    return text;
}

int runInfo(const CommandContext&, const ArgParser& args) {
    if (args.positionals().size() != 1) {
        std::cerr << "ripen-cli info: expected one FILE\n";
        return kExitUsage;
    }
    const std::filesystem::path file = args.positionals()[0];
    auto bytes = readFileBounded(file, kMaxImageFileBytes);
    if (!bytes) {
        std::cerr << "ripen-cli info: " << bytes.error().message << "\n";
        return kExitFailure;
    }
    const MediaFormat format = sniffMediaFormat(*bytes);
    if (!isImage(format)) {
        std::cerr << "ripen-cli info: " << file.string()
                  << ": not a PNG, JPEG, WebP or TIFF image\n";
        return kExitFailure;
    }
    Fields fields{{"file", file.string()}, {"format", catalogFormatName(format)}};
    if (auto header = readImageHeader(*bytes)) {
        fields.emplace_back("width", header->width);
        fields.emplace_back("height", header->height);
    }
    std::vector<std::string> warnings;
    addGeneration(fields, readEmbeddedMetadata(*bytes, format, &warnings));
    if (auto found = EmbeddedProvenance::read(*bytes, catalogFormatName(format))) {
        addProvenance(fields, *found);
    }
    for (const auto& warning : warnings) {
        fields.emplace_back("warning", warning);
    }
    if (args.has("json")) {
        nlohmann::json object = nlohmann::json::object();
        for (const auto& [key, value] : fields) {
            if (key == "warning") {
                object["warnings"].push_back(value);
            } else {
                object[key] = value;
            }
        }
        std::cout << object.dump() << "\n";
    } else {
        for (const auto& [key, value] : fields) {
            std::cout << key << ": " << displayValue(value) << "\n";
        }
    }
    return kExitOk;
}

} // namespace

Command infoCommand() {
    return {"info", "info [--json] FILE",
            "Prints every provenance field found in an image file, whoever wrote it: the\n"
            "prompt, model, seed and parameters (AUTOMATIC1111/Forge \"parameters\", ComfyUI\n"
            "graphs, XMP dc:description and Ripen's XMP fields), the IPTC digital source\n"
            "type, EXIF description, software and user comment, the ICC profile and the\n"
            "resolution. Damaged metadata is reported as a warning, never fatal.",
            [](ArgParser& p) { p.addOption("json", false, "", "one JSON object"); }, runInfo};
}

} // namespace ripen::cli

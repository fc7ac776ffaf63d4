#include "catalog/internal/EmbeddedMetadata.h"

#include "catalog/A1111Parameters.h"
#include "catalog/ComfyMetadata.h"
#include "catalog/EmbeddedProvenance.h"
#include "imaging/PngChunks.h"

namespace ripen {
namespace {

GenerationMetadata fromPngText(std::string_view png, std::vector<std::string>* warnings) {
    auto text = PngChunks::readTextChunks(png);
    if (!text) {
        if (warnings != nullptr) {
            warnings->push_back(text.error().message);
        }
        return {};
    }
    if (warnings != nullptr) {
        warnings->insert(warnings->end(), text->warnings.begin(), text->warnings.end());
    }
    const std::string* parameters = nullptr;
    const std::string* comfyPrompt = nullptr;
    const std::string* comfyWorkflow = nullptr;
    for (const auto& chunk : text->chunks) {
        if (chunk.keyword == "parameters") {
            parameters = &chunk.text;
        } else if (chunk.keyword == "prompt") {
            comfyPrompt = &chunk.text;
        } else if (chunk.keyword == "workflow") {
            comfyWorkflow = &chunk.text;
        }
    }
    // "parameters" first: Ripen's own exports and A1111/Forge write it; a ComfyUI graph
    // beside it (some ComfyUI save nodes write both) is kept in params by the Comfy reader.
    if (parameters != nullptr) {
        return A1111Parameters::parse(*parameters);
    }
    if (comfyPrompt != nullptr) {
        return ComfyMetadata::extract(*comfyPrompt, comfyWorkflow != nullptr ? *comfyWorkflow : "",
                                      warnings);
    }
    return {};
}

// A1111 and Forge save JPEG and WebP with their "parameters" text in EXIF UserComment.
bool looksLikeA1111Parameters(std::string_view text) {
    return text.find("Steps: ") != std::string_view::npos;
}

// Fields the generator's own record left empty are taken from XMP (Ripen's exports and
// tools that write dc:description).
void fillFromXmp(GenerationMetadata& metadata, const GenerationMetadata& xmp) {
    auto fill = [](std::string& field, const std::string& value) {
        if (field.empty()) {
            field = value;
        }
    };
    fill(metadata.prompt, xmp.prompt);
    fill(metadata.negativePrompt, xmp.negativePrompt);
    fill(metadata.provider, xmp.provider);
    fill(metadata.modelId, xmp.modelId);
    fill(metadata.modelVersion, xmp.modelVersion);
    if (!metadata.seed) {
        metadata.seed = xmp.seed;
    }
    for (const auto& [key, value] : xmp.params.items()) {
        metadata.params.emplace(key, value);
    }
}

void addFileProvenance(GenerationMetadata& metadata, std::string_view fileBytes, MediaFormat format,
                       std::vector<std::string>* warnings) {
    auto found = EmbeddedProvenance::read(fileBytes, catalogFormatName(format));
    if (!found) {
        if (warnings != nullptr) {
            warnings->push_back(found.error().message);
        }
        return;
    }
    if (warnings != nullptr) {
        warnings->insert(warnings->end(), found->warnings.begin(), found->warnings.end());
    }
    if (metadata.empty() && looksLikeA1111Parameters(found->exifUserComment)) {
        metadata = A1111Parameters::parse(found->exifUserComment);
    }
    if (found->xmp) {
        fillFromXmp(metadata, found->xmp->generation);
    }
}

} // namespace

GenerationMetadata readEmbeddedMetadata(std::string_view fileBytes, MediaFormat format,
                                        std::vector<std::string>* warnings) {
    if (!isImage(format)) {
        return {};
    }
    GenerationMetadata metadata;
    if (format == MediaFormat::Png) {
        metadata = fromPngText(fileBytes, warnings);
    }
    addFileProvenance(metadata, fileBytes, format, warnings);
    return metadata;
}

} // namespace ripen

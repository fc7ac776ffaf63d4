#include "catalog/internal/EmbeddedMetadata.h"

#include "catalog/A1111Parameters.h"
#include "catalog/ComfyMetadata.h"
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

} // namespace

GenerationMetadata readEmbeddedMetadata(std::string_view fileBytes, MediaFormat format,
                                        std::vector<std::string>* warnings) {
    // JPEG, WebP and TIFF carry A1111 parameters in EXIF UserComment and XMP; reading those
    // arrives with the exiv2 metadata work.
    if (format == MediaFormat::Png) {
        return fromPngText(fileBytes, warnings);
    }
    return {};
}

} // namespace ripen

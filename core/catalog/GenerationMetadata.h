#pragma once

#include <nlohmann/json.hpp>

#include <cstdint>
#include <optional>
#include <string>

namespace ripen {

// How an image was made, as far as a file or a provider tells us. Import fills it from
// PNG text chunks (AUTOMATIC1111 "parameters", ComfyUI "prompt"/"workflow"); export
// writes it back. Every string is valid UTF-8.
struct GenerationMetadata {
    std::string prompt;
    std::string negativePrompt;
    std::string provider;     // "automatic1111", "comfyui", "google", ... empty if unknown
    std::string modelId;      // e.g. "gemini-3-pro-image", a checkpoint name
    std::string modelVersion; // as reported by the server or the file, may be empty
    std::optional<std::int64_t> seed;
    std::optional<int> width;  // the generation size the file reports, if any
    std::optional<int> height;
    // Every other parameter, keyed as the source names it ("Steps", "CFG scale",
    // "comfyui_prompt", ...). Always a JSON object.
    nlohmann::json params = nlohmann::json::object();

    bool empty() const {
        return prompt.empty() && negativePrompt.empty() && modelId.empty() && !seed &&
               params.empty();
    }
};

} // namespace ripen

#pragma once

#include "common/Error.h"

#include <nlohmann/json.hpp>

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace ripen {

enum class JobKind { TextToImage, EditImage, Inpaint, Erase, Upscale, ImageToVideo };

std::string_view toString(JobKind kind);
std::optional<JobKind> jobKindFromString(std::string_view text);

// What the user asked a provider to make. Stored with the job as JSON so a restart can
// resume or resend exactly the same request.
struct GenerationRequest {
    JobKind kind = JobKind::TextToImage;
    std::string provider; // "google", "openai", "stability", "kling", "comfyui", ...
    std::string model;    // a model id from resources/models.json
    std::string prompt;
    std::string negativePrompt;
    std::string aspectRatio; // "16:9"; empty: the provider's default
    std::string imageSize;   // "1K" / "2K" / "4K" (Gemini), "1024x1536" (OpenAI); empty: default
    std::optional<std::int64_t> seed;
    // Input images in order: references for text-to-image and edits, the image to edit or
    // upscale, the keyframe of a video. Absolute paths, usually blobs of the library.
    std::vector<std::filesystem::path> images;
    // Ripen's mask convention: 8-bit grey, white (255) = the region to change. Each
    // provider converts to its own (OpenAI wants transparency where it should edit).
    std::optional<std::filesystem::path> mask;
    int durationSeconds = 0;     // video length
    std::string upscaleMode;     // Stability: "fast", "conservative", "creative"
    int upscaleFactor = 0;       // A1111 extras: 2, 4
    // Provider-specific settings with no common name (ComfyUI template, A1111 steps/cfg,
    // Kling mode, OpenAI quality/background). Always a JSON object.
    nlohmann::json options = nlohmann::json::object();

    nlohmann::json toJson() const;
    static Result<GenerationRequest> fromJson(const nlohmann::json& json);
};

} // namespace ripen

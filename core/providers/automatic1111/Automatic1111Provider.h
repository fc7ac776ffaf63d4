#pragma once

#include "providers/Provider.h"

#include <chrono>
#include <string>

namespace ripen::providers::automatic1111 {

// AUTOMATIC1111 / Forge web UI started with --api (providers.md §7). Synchronous: one
// long POST per job that returns base64 images.
//   TextToImage: POST /sdapi/v1/txt2img
//   Inpaint:     POST /sdapi/v1/img2img with init_images, mask (white = inpaint, as
//                Ripen's own masks), inpainting_fill, inpaint_full_res ("only masked"),
//                mask_blur, denoising_strength
//   Upscale:     POST /sdapi/v1/extra-single-image with upscaler_1 and upscaling_resize
// The reply's `info` is a JSON document inside a string; its seed, all_seeds and
// sd_model_name / sd_model_hash become the outputs' seeds and the model version.
// Options (request.options): steps, cfg_scale, sampler, scheduler, width, height,
// checkpoint, denoising_strength, inpainting_fill, only_masked, padding, mask_blur,
// upscaler.
// Auth: HTTP Basic from AUTOMATIC1111_USER / AUTOMATIC1111_PASSWORD when both are set
// (the server's --api-auth).
//
// Thread-safety: stateless apart from its settings.
class Automatic1111Provider final : public Provider {
public:
    struct Settings {
        int defaultSide = 1024;
        std::string defaultSampler = "Euler a";
        int defaultSteps = 20;
        double defaultCfgScale = 7.0;
        std::string defaultUpscaler = "R-ESRGAN 4x+";
        std::chrono::milliseconds connectTimeout{5'000};
        // The server sends nothing until the image is done, so there is no low-speed
        // abort; this deadline is the only bound on a generation.
        std::chrono::milliseconds requestDeadline{600'000};
        std::uint64_t maxReplyBytes = 1ULL << 30; // an 8K PNG as base64 fits easily
    };

    static constexpr const char* kUserVariable = "AUTOMATIC1111_USER";
    static constexpr const char* kPasswordVariable = "AUTOMATIC1111_PASSWORD";

    Automatic1111Provider();
    explicit Automatic1111Provider(Settings settings);

    std::string id() const override { return "automatic1111"; }
    std::string displayName() const override { return "AUTOMATIC1111 / Forge"; }
    bool supports(JobKind kind) const override;
    std::vector<std::string> defaultBaseUrls() const override;
    std::string baseUrlVariable() const override { return "RIPEN_A1111_BASE_URL"; }
    std::string missingConfiguration(const Credentials& credentials) const override;
    // A self-hosted server charges nothing, so resending a request whose outcome is
    // unknown costs GPU time at worst, never money.
    bool dedupesResubmission() const override { return true; }

    ProviderOutcome<ProviderResult> submit(const ProviderContext& context,
                                           const GenerationRequest& request) override;

private:
    ProviderOutcome<nlohmann::json> txt2imgBody(const ProviderContext& context,
                                                const GenerationRequest& request) const;
    ProviderOutcome<nlohmann::json> img2imgBody(const ProviderContext& context,
                                                const GenerationRequest& request) const;
    ProviderOutcome<nlohmann::json> extrasBody(const GenerationRequest& request) const;
    ProviderOutcome<nlohmann::json> post(const ProviderContext& context, const std::string& path,
                                         const nlohmann::json& body) const;

    Settings m_settings;
};

} // namespace ripen::providers::automatic1111

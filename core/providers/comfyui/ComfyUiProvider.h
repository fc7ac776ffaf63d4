#pragma once

#include "providers/Provider.h"
#include "providers/comfyui/ComfyWorkflowTemplate.h"

#include <chrono>
#include <filesystem>
#include <string>

namespace ripen::providers::comfyui {

// A self-hosted ComfyUI server (providers.md §6), driven by API-format workflow templates
// from resources/comfyui/*.json. submit uploads input images and the mask
// (POST /upload/image), fills the template and queues it (POST /prompt with
// client_id = job key); poll reads GET /history/{prompt_id} and downloads every saved
// image through GET /view. Server-supplied file names are only ever sent back to /view
// as URL-encoded query values and kept in `info`; local files get fresh names.
//
// Templates: request.options["template"] names one (letters, digits, '_' and '-'); the
// default is "txt2img", "inpaint" or "upscale" by job kind. Placeholders filled:
// prompt, negative_prompt, seed, width, height, checkpoint, steps, cfg, sampler,
// scheduler, denoise, grow_mask_by, filename_prefix, image, mask, upscale_model, rescale,
// plus any in request.options["values"] (an object; it cannot override the built-ins).
//
// Auth: none by default. COMFYUI_TOKEN sends "Authorization: Bearer"; COMFYUI_USER and
// COMFYUI_PASSWORD send HTTP Basic (for a server behind a reverse proxy).
//
// Thread-safety: stateless apart from its settings.
class ComfyUiProvider final : public Provider {
public:
    struct Settings {
        // Where the *.json templates live; empty: RIPEN_SOURCE_DIR/resources/comfyui.
        std::filesystem::path templatesDir;
        std::string defaultCheckpoint = "sd_xl_base_1.0.safetensors";
        std::string defaultUpscaleModel = "RealESRGAN_x4plus.pth";
        int defaultSide = 1024; // SDXL's native size; SD 1.5 templates pass 512 via options
        std::chrono::milliseconds connectTimeout{5'000};
        std::chrono::milliseconds requestDeadline{60'000};   // upload, prompt, history, queue
        std::chrono::milliseconds downloadDeadline{300'000}; // each /view download
        std::uint64_t maxOutputBytes = 1ULL << 30;
        std::size_t maxOutputs = 64;
    };

    ComfyUiProvider();
    explicit ComfyUiProvider(Settings settings);

    std::string id() const override { return "comfyui"; }
    std::string displayName() const override { return "ComfyUI"; }
    bool supports(JobKind kind) const override;
    std::vector<std::string> defaultBaseUrls() const override;
    std::string baseUrlVariable() const override { return "RIPEN_COMFYUI_BASE_URL"; }
    std::string missingConfiguration(const Credentials& credentials) const override;

    ProviderOutcome<ProviderResult> submit(const ProviderContext& context,
                                           const GenerationRequest& request) override;
    // Must be asked on the same base URL that accepted the prompt: ComfyUI's queue and
    // history are per server.
    ProviderOutcome<ProviderResult> poll(const ProviderContext& context,
                                         const std::string& operationId,
                                         const GenerationRequest& request) override;
    std::chrono::milliseconds pollInterval(int attempt) const override;

    const std::filesystem::path& templatesDir() const { return m_templatesDir; }

private:
    struct Upload {
        std::string reference; // what LoadImage takes: "name" or "subfolder/name"
        nlohmann::json serverReply;
    };

    ProviderOutcome<ComfyWorkflowTemplate> loadTemplate(const GenerationRequest& request) const;
    ProviderOutcome<nlohmann::json> templateValues(const ProviderContext& context,
                                                   const GenerationRequest& request,
                                                   const ComfyWorkflowTemplate& workflow,
                                                   nlohmann::json& info) const;
    ProviderOutcome<Upload> upload(const ProviderContext& context,
                                   const std::filesystem::path& file, const std::string& fileName,
                                   const std::string& contentType) const;
    ProviderOutcome<std::optional<nlohmann::json>> historyEntry(const ProviderContext& context,
                                                                const std::string& promptId) const;
    ProviderOutcome<std::optional<int>> queuePosition(const ProviderContext& context,
                                                      const std::string& promptId) const;
    ProviderOutcome<ProviderResult> collectOutputs(const ProviderContext& context,
                                                   const std::string& promptId,
                                                   const nlohmann::json& entry,
                                                   const GenerationRequest& request) const;
    http::Request apiRequest(std::string method, std::string url,
                             const ProviderContext& context) const;
    std::string modelVersionFor(const GenerationRequest& request) const;

    Settings m_settings;
    std::filesystem::path m_templatesDir;
};

} // namespace ripen::providers::comfyui

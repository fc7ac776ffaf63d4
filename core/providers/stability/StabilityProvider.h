#pragma once

#include "providers/Provider.h"
#include "providers/stability/StabilitySettings.h"

namespace ripen {

// Stability AI's REST v2beta image services over multipart/form-data: Upscale ("fast" and
// "conservative" answer at once, "creative" returns a generation id that is polled at
// GET {base}/v2beta/results/{id}: 202 while running, 200 with the image, 404 once expired
// after 24 hours), Inpaint and Erase (Ripen's mask convention is Stability's: white =
// change). Requests ask for raw bytes (Accept: image/*), streamed into the job's work
// folder; a JSON reply with base64 is read too. finish-reason CONTENT_FILTERED and 403
// content_moderation are Blocked. Stability takes no idempotency key, so a cut POST is
// Ambiguous; polls and result downloads are GETs and safe to repeat.
//
// Thread-safety: stateless apart from its settings; submit() and poll() may run on many
// threads.
class StabilityProvider final : public Provider {
public:
    explicit StabilityProvider(StabilitySettings settings = {});

    std::string id() const override;
    std::string displayName() const override;
    bool supports(JobKind kind) const override;
    std::vector<std::string> defaultBaseUrls() const override;
    std::string baseUrlVariable() const override;
    std::string missingConfiguration(const Credentials& credentials) const override;

    ProviderOutcome<ProviderResult> submit(const ProviderContext& context,
                                           const GenerationRequest& request) override;
    ProviderOutcome<ProviderResult> poll(const ProviderContext& context,
                                         const std::string& operationId,
                                         const GenerationRequest& request) override;
    std::chrono::milliseconds pollInterval(int attempt) const override;

    static constexpr const char* kKeyVariable = "STABILITY_API_KEY";

private:
    http::Request baseRequest(const ProviderContext& context, std::string method,
                              const std::string& path, const std::string& apiKey) const;
    ProviderOutcome<ProviderResult> finishSubmission(const ProviderContext& context,
                                                     const http::Response& response, bool async,
                                                     const std::string& endpoint,
                                                     const std::string& apiKey) const;

    StabilitySettings m_settings;
};

} // namespace ripen

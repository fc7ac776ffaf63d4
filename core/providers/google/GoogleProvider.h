#pragma once

#include "providers/Provider.h"
#include "providers/google/GeminiImageClient.h"
#include "providers/google/GoogleSettings.h"
#include "providers/google/VeoClient.h"

#include <chrono>
#include <optional>
#include <string>
#include <vector>

namespace ripen::providers::google {

// The Google Gemini API: Nano Banana image models (text-to-image, multi-image reference
// and instruction edits) through generateContent, and Veo image-to-video through a
// long-running operation. Keys: GEMINI_API_KEY, else GOOGLE_API_KEY (the name Google's
// own SDK also reads), always sent as the x-goog-api-key header, never in a URL.
// Base URL: RIPEN_GEMINI_BASE_URL, else https://generativelanguage.googleapis.com.
//
// Inpaint and Erase are instruction edits (GeminiInpaint): generateContent has no mask
// parameter (providers.md §1.3), so the instruction names the region and the queue
// composites the reply through the mask.
//
// Thread-safety: stateless after construction; any member may run on many threads.
class GoogleProvider final : public Provider {
public:
    static constexpr const char* kId = "google";
    static constexpr const char* kKeyVariable = "GEMINI_API_KEY";
    static constexpr const char* kAlternateKeyVariable = "GOOGLE_API_KEY";
    static constexpr const char* kBaseUrlVariable = "RIPEN_GEMINI_BASE_URL";

    explicit GoogleProvider(GoogleSettings settings = GoogleSettings::defaults());

    std::string id() const override { return kId; }
    std::string displayName() const override { return "Google Gemini API"; }
    bool supports(JobKind kind) const override;
    std::vector<std::string> defaultBaseUrls() const override;
    std::string baseUrlVariable() const override { return kBaseUrlVariable; }
    std::string missingConfiguration(const Credentials& credentials) const override;

    // Gemini and Veo honour no idempotency key: an unknown outcome is never resent.
    bool dedupesResubmission() const override { return false; }

    // TextToImage / EditImage / Inpaint / Erase: Done with the images. ImageToVideo: Running with
    // the Veo operation name.
    ProviderOutcome<ProviderResult> submit(const ProviderContext& context,
                                           const GenerationRequest& request) override;
    ProviderOutcome<ProviderResult> poll(const ProviderContext& context,
                                         const std::string& operationId,
                                         const GenerationRequest& request) override;

    // Google's own samples poll Veo every 10 s; after a minute the interval grows by 5 s
    // a poll up to 60 s, so a stuck operation costs few requests.
    std::chrono::milliseconds pollInterval(int attempt) const override;

    const GoogleSettings& settings() const { return m_settings; }

private:
    std::optional<std::string> apiKey(const Credentials& credentials) const;

    GoogleSettings m_settings;
    GeminiImageClient m_images;
    VeoClient m_videos;
};

} // namespace ripen::providers::google

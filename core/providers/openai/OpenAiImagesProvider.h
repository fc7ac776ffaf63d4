#pragma once

#include "providers/Provider.h"
#include "providers/openai/OpenAiImagesSettings.h"

namespace ripen {

// OpenAI's Images API for the GPT image models (gpt-image-1 and its successors):
// TextToImage through POST {base}/v1/images/generations (JSON), EditImage and Inpaint
// through POST {base}/v1/images/edits (multipart: "image" or repeated "image[]", "mask").
// Ripen's grey mask (white = change) is converted to OpenAI's RGBA mask (transparent =
// edit) at the size of the first image. Replies carry base64 images, saved into the job's
// work folder; token usage goes to ProviderUsage::raw for the price book to settle.
// Synchronous only. OpenAI documents no idempotency key for images, so a cut request is
// Ambiguous and never resent on its own.
//
// Thread-safety: stateless apart from its settings; submit() may run on many threads.
class OpenAiImagesProvider final : public Provider {
public:
    explicit OpenAiImagesProvider(OpenAiImagesSettings settings = {});

    std::string id() const override;
    std::string displayName() const override;
    bool supports(JobKind kind) const override;
    std::vector<std::string> defaultBaseUrls() const override;
    std::string baseUrlVariable() const override;
    std::string missingConfiguration(const Credentials& credentials) const override;

    ProviderOutcome<ProviderResult> submit(const ProviderContext& context,
                                           const GenerationRequest& request) override;

    static constexpr const char* kKeyVariable = "OPENAI_API_KEY";

private:
    http::Request baseRequest(const ProviderContext& context, const std::string& path,
                              const std::string& apiKey) const;
    ProviderOutcome<ProviderResult> generate(const ProviderContext& context,
                                             const GenerationRequest& request,
                                             const std::string& apiKey) const;
    ProviderOutcome<ProviderResult> edit(const ProviderContext& context,
                                         const GenerationRequest& request,
                                         const std::string& apiKey) const;
    ProviderOutcome<ProviderResult> send(const ProviderContext& context,
                                         const http::Request& request,
                                         const std::string& apiKey) const;

    OpenAiImagesSettings m_settings;
};

} // namespace ripen

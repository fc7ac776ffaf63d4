#pragma once

#include "providers/GenerationRequest.h"
#include "providers/Provider.h"
#include "providers/ProviderTypes.h"
#include "providers/google/GoogleSettings.h"

#include <filesystem>
#include <nlohmann/json.hpp>
#include <string_view>

namespace ripen::providers::google {

// Nano Banana and its successors: text-to-image and instruction edits through
// POST {base}/v1beta/models/{model}:generateContent (providers.md §1). One synchronous
// request per job; input images travel inline, the output comes back as base64.
//
// Stateless apart from its settings: generate() may run on several threads at once.
class GeminiImageClient {
public:
    explicit GeminiImageClient(GoogleSettings settings);

    // Sends the request and saves every image of the reply into context.workDir.
    // A cut or timed-out reply is Ambiguous (the model may have run and billed).
    ProviderOutcome<ProviderResult> generate(const ProviderContext& context,
                                             const GenerationRequest& request,
                                             std::string_view apiKey) const;

    // The generateContent body: the prompt as the first part, then the input images as
    // inlineData parts in request order (at most the model's reference limit: options
    // "maxReferenceImages", else the settings table), generationConfig with
    // responseModalities and imageConfig (aspectRatio; imageSize only for models that
    // take it). Gemini has no negative prompt; one is appended to the text as "Avoid: ...".
    // Recognised options: maxReferenceImages, responseModalities, temperature, topP,
    // candidateCount, personGeneration, safetySettings, googleSearch.
    // Failures are Permanent and happen before anything is sent.
    ProviderOutcome<nlohmann::json> buildBody(const GenerationRequest& request) const;

    // Reads a 200 reply: images from inlineData parts wherever they sit among the parts
    // (text may come first; parts flagged "thought" are skipped), usageMetadata into
    // usage.raw, modelVersion. No image: promptFeedback.blockReason or a safety
    // finishReason is Blocked, anything else (NO_IMAGE, a text-only answer) Permanent;
    // both quote the reason and the model's text. Bad base64 or a truncated image is
    // Permanent and leaves no file behind.
    ProviderOutcome<ProviderResult> readReply(const nlohmann::json& reply,
                                              const GenerationRequest& request,
                                              const std::filesystem::path& workDir) const;

    // The reference-image limit that applies to `request`.
    ProviderOutcome<int> referenceLimit(const GenerationRequest& request) const;

private:
    GoogleSettings m_settings;
};

} // namespace ripen::providers::google

#include "providers/google/GoogleProvider.h"

#include "providers/google/GeminiInpaint.h"
#include "providers/google/GoogleUrls.h"

#include <algorithm>
#include <utility>

namespace ripen::providers::google {

namespace {

ProviderFailure notConfigured(std::string message) {
    return ProviderFailure{ProviderFailure::Kind::NotConfigured, std::move(message), 0,
                           std::nullopt, std::nullopt};
}

} // namespace

GoogleProvider::GoogleProvider(GoogleSettings settings)
    : m_settings(std::move(settings)), m_images(m_settings), m_videos(m_settings) {}

bool GoogleProvider::supports(JobKind kind) const {
    return kind == JobKind::TextToImage || kind == JobKind::EditImage || kind == JobKind::Inpaint ||
           kind == JobKind::Erase || kind == JobKind::ImageToVideo;
}

std::vector<std::string> GoogleProvider::defaultBaseUrls() const {
    return {std::string(GoogleUrls::kDefaultBase)};
}

std::optional<std::string> GoogleProvider::apiKey(const Credentials& credentials) const {
    for (const char* name : {kKeyVariable, kAlternateKeyVariable}) {
        if (auto key = credentials.get(name); key && !key->empty()) {
            return key;
        }
    }
    return std::nullopt;
}

std::string GoogleProvider::missingConfiguration(const Credentials& credentials) const {
    if (apiKey(credentials)) {
        return {};
    }
    return "set GEMINI_API_KEY (or GOOGLE_API_KEY) or add a Google key in Settings; "
           "keys come from https://aistudio.google.com/apikey";
}

ProviderOutcome<ProviderResult> GoogleProvider::submit(const ProviderContext& context,
                                                       const GenerationRequest& request) {
    const auto key = apiKey(context.credentials);
    if (!key) {
        return std::unexpected(notConfigured(missingConfiguration(context.credentials)));
    }
    if (context.baseUrl.empty()) {
        return std::unexpected(notConfigured("no Google base URL; set " +
                                             std::string(kBaseUrlVariable) + " or clear it"));
    }
    switch (request.kind) {
    case JobKind::TextToImage:
    case JobKind::EditImage:
        return m_images.generate(context, request, *key);
    case JobKind::Inpaint:
    case JobKind::Erase: {
        auto edit = GeminiInpaint::editRequest(request);
        if (!edit) {
            return std::unexpected(edit.error());
        }
        return m_images.generate(context, *edit, *key);
    }
    case JobKind::ImageToVideo:
        return m_videos.start(context, request, *key);
    default:
        return std::unexpected(
            ProviderFailure{ProviderFailure::Kind::Permanent,
                            "Google does not offer " + std::string(toString(request.kind)) +
                                "; use it for text-to-image, edits, inpainting and image-to-video",
                            0, std::nullopt, std::nullopt});
    }
}

ProviderOutcome<ProviderResult> GoogleProvider::poll(const ProviderContext& context,
                                                     const std::string& operationId,
                                                     const GenerationRequest& request) {
    const auto key = apiKey(context.credentials);
    if (!key) {
        return std::unexpected(notConfigured(missingConfiguration(context.credentials)));
    }
    return m_videos.poll(context, operationId, request, *key);
}

std::chrono::milliseconds GoogleProvider::pollInterval(int attempt) const {
    const int extra = std::max(0, attempt - 5);
    return std::chrono::milliseconds(std::min(60'000, 10'000 + 5'000 * std::min(extra, 10)));
}

} // namespace ripen::providers::google

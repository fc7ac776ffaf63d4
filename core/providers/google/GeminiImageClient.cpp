#include "providers/google/GeminiImageClient.h"

#include "common/BoundedJson.h"
#include "providers/ProviderSupport.h"
#include "providers/google/GeminiErrors.h"
#include "providers/google/GoogleRequests.h"
#include "providers/google/GoogleUrls.h"
#include "providers/google/InlineImage.h"

#include <algorithm>
#include <cctype>
#include <cstdint>
#include <limits>
#include <system_error>
#include <utility>
#include <vector>

namespace ripen::providers::google {

namespace {

// Text the model wrote beside (or instead of) an image, kept in messages up to this size.
constexpr std::size_t kMaxQuotedText = 500;

const nlohmann::json* member(const nlohmann::json& object, const char* name) {
    if (!object.is_object()) {
        return nullptr;
    }
    const auto it = object.find(name);
    return it == object.end() || it->is_null() ? nullptr : &*it;
}

std::string stringMember(const nlohmann::json& object, const char* name) {
    const nlohmann::json* value = member(object, name);
    return value != nullptr && value->is_string() ? value->get<std::string>() : std::string();
}

ProviderFailure badOption(std::string_view key, std::string_view expected) {
    return GeminiErrors::permanent("option \"" + std::string(key) + "\" must be " +
                                   std::string(expected));
}

std::string quotedText(const std::string& text) {
    if (text.empty()) {
        return {};
    }
    std::string excerpt = text.substr(0, kMaxQuotedText);
    if (excerpt.size() < text.size()) {
        excerpt += "...";
    }
    return ": \"" + excerpt + "\"";
}

// "2k" -> "2K"; empty stays empty.
std::string normalisedImageSize(std::string size) {
    std::transform(size.begin(), size.end(), size.begin(),
                   [](unsigned char c) { return static_cast<char>(std::toupper(c)); });
    return size;
}

bool isAspectRatio(std::string_view ratio) {
    const auto colon = ratio.find(':');
    if (colon == ratio.npos || colon == 0 || colon + 1 == ratio.size()) {
        return false;
    }
    const auto digits = [](std::string_view s) {
        return s.size() <= 3 && std::all_of(s.begin(), s.end(), [](char c) {
                   return std::isdigit(static_cast<unsigned char>(c));
               });
    };
    return digits(ratio.substr(0, colon)) && digits(ratio.substr(colon + 1));
}

struct ImagePart {
    const std::string* data = nullptr;
    std::string mimeType;
};

void removeFiles(const std::vector<GeneratedFile>& files) {
    for (const GeneratedFile& file : files) {
        std::error_code ignored;
        std::filesystem::remove(file.file, ignored);
    }
}

} // namespace

GeminiImageClient::GeminiImageClient(GoogleSettings settings) : m_settings(std::move(settings)) {}

ProviderOutcome<int> GeminiImageClient::referenceLimit(const GenerationRequest& request) const {
    if (const nlohmann::json* limit = member(request.options, "maxReferenceImages")) {
        if (!limit->is_number_integer() || limit->get<std::int64_t>() < 1 ||
            limit->get<std::int64_t>() > 1000) {
            return std::unexpected(badOption("maxReferenceImages", "a whole number from 1 up"));
        }
        return static_cast<int>(limit->get<std::int64_t>());
    }
    return m_settings.maxReferenceImagesFor(request.model);
}

ProviderOutcome<nlohmann::json>
GeminiImageClient::buildBody(const GenerationRequest& request) const {
    if (request.kind != JobKind::TextToImage && request.kind != JobKind::EditImage) {
        return std::unexpected(
            GeminiErrors::permanent("Gemini image models do text-to-image and edits, not " +
                                    std::string(toString(request.kind))));
    }
    if (!request.options.is_object()) {
        return std::unexpected(GeminiErrors::permanent("the request options are not an object"));
    }
    if (request.prompt.empty()) {
        return std::unexpected(GeminiErrors::permanent(
            request.kind == JobKind::EditImage ? "an edit needs an instruction: say what to change"
                                               : "the prompt is empty"));
    }
    if (request.kind == JobKind::EditImage && request.images.empty()) {
        return std::unexpected(GeminiErrors::permanent("an edit needs the image to edit"));
    }
    const auto limit = referenceLimit(request);
    if (!limit) {
        return std::unexpected(limit.error());
    }
    if (static_cast<int>(request.images.size()) > *limit) {
        return std::unexpected(GeminiErrors::permanent(
            request.model + " takes at most " + std::to_string(*limit) + " input image" +
            (*limit == 1 ? "" : "s") + " per request; this one has " +
            std::to_string(request.images.size())));
    }

    std::string text = request.prompt;
    if (!request.negativePrompt.empty()) {
        text += "\n\nAvoid: " + request.negativePrompt;
    }
    nlohmann::json parts = nlohmann::json::array();
    parts.push_back({{"text", text}});
    std::uint64_t inlineBytes = 0;
    for (const std::filesystem::path& path : request.images) {
        auto image = InlineImage::load(path, m_settings.maxInputImageBytes);
        if (!image) {
            return std::unexpected(image.error());
        }
        inlineBytes += image->base64.size();
        if (inlineBytes > m_settings.maxInlineRequestBytes) {
            return std::unexpected(GeminiErrors::permanent(
                "the input images add up to more than the " +
                std::to_string(m_settings.maxInlineRequestBytes / 1'000'000) +
                " MB Google accepts inline in one request; use fewer or smaller images"));
        }
        parts.push_back(
            {{"inlineData", {{"mimeType", image->mimeType}, {"data", std::move(image->base64)}}}});
    }

    nlohmann::json generationConfig = nlohmann::json::object();
    if (const nlohmann::json* modalities = member(request.options, "responseModalities")) {
        const bool valid = modalities->is_array() && !modalities->empty() &&
                           std::all_of(modalities->begin(), modalities->end(),
                                       [](const nlohmann::json& m) { return m.is_string(); });
        if (!valid) {
            return std::unexpected(
                badOption("responseModalities", "a list such as [\"TEXT\", \"IMAGE\"]"));
        }
        generationConfig["responseModalities"] = *modalities;
    } else {
        generationConfig["responseModalities"] = {"TEXT", "IMAGE"};
    }
    for (const char* key : {"temperature", "topP"}) {
        if (const nlohmann::json* value = member(request.options, key)) {
            if (!value->is_number()) {
                return std::unexpected(badOption(key, "a number"));
            }
            generationConfig[key] = *value;
        }
    }
    if (const nlohmann::json* count = member(request.options, "candidateCount")) {
        if (!count->is_number_integer() || count->get<std::int64_t>() < 1 ||
            count->get<std::int64_t>() > 8) {
            return std::unexpected(badOption("candidateCount", "a whole number from 1 to 8"));
        }
        generationConfig["candidateCount"] = *count;
    }
    if (request.seed) {
        // generationConfig.seed is an int32 in the API.
        if (*request.seed < std::numeric_limits<std::int32_t>::min() ||
            *request.seed > std::numeric_limits<std::int32_t>::max()) {
            return std::unexpected(GeminiErrors::permanent(
                "Gemini seeds are 32-bit; " + std::to_string(*request.seed) + " is out of range"));
        }
        generationConfig["seed"] = *request.seed;
    }

    nlohmann::json imageConfig = nlohmann::json::object();
    if (!request.aspectRatio.empty()) {
        if (!isAspectRatio(request.aspectRatio)) {
            return std::unexpected(GeminiErrors::permanent("aspect ratio \"" + request.aspectRatio +
                                                           "\" is not of the form 16:9"));
        }
        imageConfig["aspectRatio"] = request.aspectRatio;
    }
    if (!request.imageSize.empty()) {
        const std::string size = normalisedImageSize(request.imageSize);
        if (size != "1K" && size != "2K" && size != "4K") {
            return std::unexpected(GeminiErrors::permanent("image size \"" + request.imageSize +
                                                           "\" is not one of 1K, 2K, 4K"));
        }
        if (m_settings.supportsImageSizeFor(request.model)) {
            imageConfig["imageSize"] = size;
        } else if (size != "1K") {
            // Sending it anyway would give a 1K picture billed as the user expects 2K/4K,
            // or a 400; say so before spending anything.
            return std::unexpected(GeminiErrors::permanent(
                request.model + " makes 1K images only; choose a model that offers " + size));
        }
    }
    if (const nlohmann::json* people = member(request.options, "personGeneration")) {
        if (!people->is_string()) {
            return std::unexpected(
                badOption("personGeneration", "ALLOW_ALL, ALLOW_ADULT or ALLOW_NONE"));
        }
        imageConfig["personGeneration"] = *people;
    }
    if (!imageConfig.empty()) {
        generationConfig["imageConfig"] = std::move(imageConfig);
    }

    nlohmann::json body = {
        {"contents", nlohmann::json::array({{{"role", "user"}, {"parts", std::move(parts)}}})},
        {"generationConfig", std::move(generationConfig)},
    };
    if (const nlohmann::json* safety = member(request.options, "safetySettings")) {
        if (!safety->is_array()) {
            return std::unexpected(badOption("safetySettings", "a list of {category, threshold}"));
        }
        body["safetySettings"] = *safety;
    }
    if (const nlohmann::json* search = member(request.options, "googleSearch")) {
        if (!search->is_boolean()) {
            return std::unexpected(badOption("googleSearch", "true or false"));
        }
        if (search->get<bool>()) {
            body["tools"] = nlohmann::json::array({{{"google_search", nlohmann::json::object()}}});
        }
    }
    return body;
}

ProviderOutcome<ProviderResult>
GeminiImageClient::readReply(const nlohmann::json& reply, const GenerationRequest& request,
                             const std::filesystem::path& workDir) const {
    if (!reply.is_object()) {
        return std::unexpected(GeminiErrors::permanent("the Gemini reply is not a JSON object"));
    }
    ProviderResult result;
    result.state = ProviderResult::State::Done;
    result.modelVersion = stringMember(reply, "modelVersion");
    if (result.modelVersion.empty()) {
        result.modelVersion = request.model;
    }
    if (const nlohmann::json* usage = member(reply, "usageMetadata"); usage && usage->is_object()) {
        result.usage.raw = *usage;
    }
    if (const std::string responseId = stringMember(reply, "responseId"); !responseId.empty()) {
        result.info["responseId"] = responseId;
    }

    std::vector<ImagePart> images;
    std::string text;
    std::string finishReason;
    std::string finishMessage;
    const nlohmann::json* candidates = member(reply, "candidates");
    const bool hasCandidates =
        candidates != nullptr && candidates->is_array() && !candidates->empty();
    if (hasCandidates) {
        for (const nlohmann::json& candidate : *candidates) {
            if (finishReason.empty()) {
                finishReason = stringMember(candidate, "finishReason");
                finishMessage = stringMember(candidate, "finishMessage");
            }
            const nlohmann::json* content = member(candidate, "content");
            const nlohmann::json* parts = content != nullptr ? member(*content, "parts") : nullptr;
            if (parts == nullptr || !parts->is_array()) {
                continue;
            }
            for (const nlohmann::json& part : *parts) {
                if (const nlohmann::json* thought = member(part, "thought");
                    thought != nullptr && thought->is_boolean() && thought->get<bool>()) {
                    continue; // the model's thinking (draft images included), not the answer
                }
                const nlohmann::json* inlineData = member(part, "inlineData");
                if (inlineData == nullptr) {
                    inlineData = member(part, "inline_data"); // some relays use snake_case
                }
                if (inlineData != nullptr) {
                    std::string mime = stringMember(*inlineData, "mimeType");
                    if (mime.empty()) {
                        mime = stringMember(*inlineData, "mime_type");
                    }
                    const nlohmann::json* data = member(*inlineData, "data");
                    if (data != nullptr && data->is_string() &&
                        (mime.empty() || mime.starts_with("image/"))) {
                        images.push_back({&data->get_ref<const std::string&>(), mime});
                    }
                    continue;
                }
                if (const std::string partText = stringMember(part, "text"); !partText.empty()) {
                    text += text.empty() ? partText : "\n" + partText;
                }
            }
        }
    }
    if (!finishReason.empty()) {
        result.info["finishReason"] = finishReason;
    }
    if (!text.empty()) {
        result.info["text"] = text.substr(0, 4000);
    }

    if (images.empty()) {
        if (!hasCandidates) {
            const nlohmann::json* feedback = member(reply, "promptFeedback");
            const std::string blockReason =
                feedback != nullptr ? stringMember(*feedback, "blockReason") : std::string();
            if (!blockReason.empty() && blockReason != "BLOCK_REASON_UNSPECIFIED") {
                std::string message = "Google blocked the prompt (" + blockReason + ")";
                if (const std::string why = stringMember(*feedback, "blockReasonMessage");
                    !why.empty()) {
                    message += ": " + why;
                }
                return std::unexpected(GeminiErrors::blocked(std::move(message), 200));
            }
            return std::unexpected(
                GeminiErrors::permanent("the Gemini reply has no candidates and no image", 200));
        }
        const std::string reason = finishReason.empty() ? "none given" : finishReason;
        std::string detail = finishMessage.empty() ? std::string() : "; " + finishMessage;
        if (GeminiErrors::isBlockingFinishReason(finishReason)) {
            return std::unexpected(GeminiErrors::blocked(
                "Gemini withheld the image (" + reason + ")" + detail + quotedText(text), 200));
        }
        return std::unexpected(
            GeminiErrors::permanent("Gemini answered without an image (finishReason " + reason +
                                        ")" + detail + quotedText(text),
                                    200));
    }

    // Decode and check every image before the first file is written, so a bad one leaves
    // nothing behind.
    std::vector<std::string> decoded;
    decoded.reserve(images.size());
    for (std::size_t i = 0; i < images.size(); ++i) {
        const std::string which = "image " + std::to_string(i + 1) + " of the Gemini reply";
        auto bytes = decodeBase64(*images[i].data, m_settings.maxReplyBytes);
        if (!bytes) {
            return std::unexpected(GeminiErrors::permanent(
                which +
                    " is not valid base64 (the reply may have been cut): " + bytes.error().message,
                200));
        }
        if (!encodedImageLooksComplete(*bytes)) {
            return std::unexpected(GeminiErrors::permanent(
                which + " is truncated or not a PNG, JPEG or WebP (" +
                    std::to_string(bytes->size()) + " bytes, declared " +
                    (images[i].mimeType.empty() ? "no type" : images[i].mimeType) + ")",
                200));
        }
        decoded.push_back(std::move(*bytes));
    }
    for (const std::string& bytes : decoded) {
        auto saved = saveGeneratedImage(workDir, bytes);
        if (!saved) {
            removeFiles(result.outputs);
            return std::unexpected(GeminiErrors::fromError(
                saved.error(), "Gemini made the image but it could not be saved"));
        }
        saved->seed = request.seed;
        result.outputs.push_back(std::move(*saved));
    }
    return result;
}

ProviderOutcome<ProviderResult> GeminiImageClient::generate(const ProviderContext& context,
                                                            const GenerationRequest& request,
                                                            std::string_view apiKey) const {
    auto url = GoogleUrls::modelMethod(context.baseUrl, request.model, "generateContent");
    if (!url) {
        return std::unexpected(url.error());
    }
    auto body = buildBody(request);
    if (!body) {
        return std::unexpected(body.error());
    }
    if (context.stop.stop_requested()) {
        return std::unexpected(ProviderFailure{ProviderFailure::Kind::Cancelled,
                                               "cancelled before sending", 0, std::nullopt,
                                               std::nullopt});
    }

    http::Request httpRequest = authorizedJsonPost(std::move(*url), apiKey, *body,
                                                   m_settings.imageDeadline,
                                                   m_settings.maxReplyBytes);
    body->clear(); // the base64 inputs are in the request body now; free this copy

    if (context.progress != nullptr) {
        context.progress->report(0, 1, "waiting for " + request.model);
    }
    auto response = context.http.perform(httpRequest, context.stop);
    if (!response) {
        // A POST cut after sending is Ambiguous: Gemini may have generated and billed it.
        ProviderFailure failure = failureFromTransport(response.error(), false);
        failure.message = GeminiErrors::scrub(std::move(failure.message), apiKey);
        return std::unexpected(std::move(failure));
    }
    if (response->status < 200 || response->status > 299) {
        return std::unexpected(GeminiErrors::fromReply(*response, apiKey));
    }
    auto reply = parseBoundedJson(response->body, "Gemini generateContent reply",
                                  kDefaultMaxJsonDepth, m_settings.maxReplyBytes);
    if (!reply) {
        return std::unexpected(
            GeminiErrors::permanent("Gemini sent a reply that is not valid JSON (" +
                                        GeminiErrors::scrub(reply.error().message, apiKey) + ")",
                                    response->status));
    }
    response->body.clear();
    response->body.shrink_to_fit();
    auto result = readReply(*reply, request, context.workDir);
    if (result && context.progress != nullptr) {
        context.progress->report(1, 1, "image received");
    }
    return result;
}

} // namespace ripen::providers::google

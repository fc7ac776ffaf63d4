#include "providers/stability/StabilityReply.h"

#include "common/FileIo.h"
#include "imaging/MediaFormat.h"
#include "providers/ProviderSupport.h"
#include "providers/internal/KeyScrub.h"
#include "providers/internal/VerifiedImage.h"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <system_error>

namespace ripen::providers {
namespace {

using Json = nlohmann::json;

constexpr std::uint64_t kMaxJsonReplyBytes = 64ULL << 20;
constexpr std::uint64_t kMaxErrorReplyBytes = 64ULL << 10;
constexpr std::size_t kMaxDecodedImageBytes = std::size_t{64} << 20;
constexpr std::size_t kMaxErrorsQuoted = 8;
constexpr std::size_t kMaxGenerationIdChars = 256;

ProviderFailure failureOf(ProviderFailure::Kind kind, std::string message, int status) {
    return ProviderFailure{kind, std::move(message), status, std::nullopt, std::nullopt};
}

std::unexpected<ProviderFailure> permanent(std::string message, int status) {
    return std::unexpected(failureOf(ProviderFailure::Kind::Permanent, std::move(message), status));
}

void removeBodyFile(const http::Response& response) {
    if (response.file) {
        std::error_code ignored;
        std::filesystem::remove(*response.file, ignored);
    }
}

std::string lowercase(std::string text) {
    std::transform(text.begin(), text.end(), text.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return text;
}

std::string contentType(const http::Response& response) {
    auto type = lowercase(response.header("content-type").value_or(""));
    return type.substr(0, type.find(';'));
}

// The reply as text, from memory or from the file HttpClient streamed it to.
Result<std::string> bodyText(const http::Response& response, std::uint64_t maxBytes) {
    if (!response.file) {
        if (response.body.size() > maxBytes) {
            return fail(ErrorCode::LimitExceeded, "the reply is larger than expected");
        }
        return response.body;
    }
    return readFileBounded(*response.file, maxBytes);
}

// A copy whose body holds the reply text, for the shared helpers that read Response::body.
http::Response withBody(const http::Response& response, std::string text) {
    http::Response copy = response;
    copy.body = std::move(text);
    copy.file.reset();
    return copy;
}

const Json& member(const Json& object, const char* name) {
    static const Json kNull;
    if (!object.is_object()) {
        return kNull;
    }
    const auto it = object.find(name);
    return it != object.end() ? *it : kNull;
}

std::string stringField(const Json& object, const char* name) {
    const auto& value = member(object, name);
    return value.is_string() ? value.get<std::string>() : std::string();
}

std::string joinErrors(const Json& reply) {
    std::string text;
    const auto& errors = member(reply, "errors");
    if (!errors.is_array()) {
        return text;
    }
    for (std::size_t i = 0; i < errors.size() && i < kMaxErrorsQuoted; ++i) {
        if (errors[i].is_string()) {
            text += (text.empty() ? "" : "; ") + errors[i].get<std::string>();
        }
    }
    return text;
}

std::optional<std::int64_t> parseSeed(std::string_view text) {
    std::int64_t seed = 0;
    const auto* end = text.data() + text.size();
    const auto [ptr, ec] = std::from_chars(text.data(), end, seed);
    if (ec != std::errc() || ptr != end || seed < 0) {
        return std::nullopt;
    }
    return seed;
}

std::optional<std::int64_t> seedOf(const Json& value) {
    if (value.is_number_integer() && value.get<std::int64_t>() >= 0) {
        return value.get<std::int64_t>();
    }
    return value.is_string() ? parseSeed(value.get<std::string>()) : std::nullopt;
}

// What the reply says about its image, from headers or JSON.
struct ImageMeta {
    std::string finishReason;
    std::optional<std::int64_t> seed;
};

std::optional<ProviderFailure> checkFinishReason(const std::string& reason, int status) {
    if (reason.empty() || reason == "SUCCESS") {
        return std::nullopt;
    }
    if (reason == "CONTENT_FILTERED") {
        return failureOf(ProviderFailure::Kind::Blocked,
                         "Stability's content filter blocked the result (finish reason "
                         "CONTENT_FILTERED)",
                         status);
    }
    return failureOf(ProviderFailure::Kind::Permanent,
                     "Stability finished with reason " + reason.substr(0, 64), status);
}

ProviderResult doneWith(GeneratedFile file, const ImageMeta& meta) {
    file.seed = meta.seed;
    ProviderResult result;
    result.state = ProviderResult::State::Done;
    result.outputs.push_back(std::move(file));
    // Stability's replies state no credits; the ledger settles from the price book.
    result.usage.unit = "credits";
    result.info["finish_reason"] = meta.finishReason.empty() ? "SUCCESS" : meta.finishReason;
    if (meta.seed) {
        result.info["seed"] = *meta.seed;
    }
    return result;
}

ProviderOutcome<ProviderResult> readJsonImage(const http::Response& response,
                                              const std::filesystem::path& workDir,
                                              std::string_view apiKey) {
    auto text = bodyText(response, kMaxJsonReplyBytes);
    removeBodyFile(response);
    if (!text) {
        return permanent("Stability reply: " + text.error().message, response.status);
    }
    auto reply = parseJsonReply(withBody(response, std::move(*text)), "Stability reply");
    if (!reply) {
        return permanent(scrubKeys(reply.error().message, apiKey), response.status);
    }
    ImageMeta meta{stringField(*reply, "finish_reason"), seedOf(member(*reply, "seed"))};
    if (auto blocked = checkFinishReason(meta.finishReason, response.status)) {
        return std::unexpected(*blocked);
    }
    auto b64 = stringField(*reply, "image");
    if (b64.empty()) {
        b64 = stringField(*reply, "result");
    }
    if (b64.empty()) {
        return permanent("Stability reply carries no image", response.status);
    }
    auto bytes = decodeBase64(b64, kMaxDecodedImageBytes);
    if (!bytes) {
        return permanent("Stability reply image: " + bytes.error().message, response.status);
    }
    auto saved = saveVerifiedImage(workDir, *bytes);
    if (!saved) {
        return permanent("Stability reply image: " + saved.error().message, response.status);
    }
    return doneWith(std::move(*saved), meta);
}

ProviderOutcome<ProviderResult> readRawImage(const http::Response& response,
                                             const std::filesystem::path& workDir) {
    ImageMeta meta{response.header("finish-reason").value_or(""),
                   parseSeed(response.header("seed").value_or(""))};
    if (auto blocked = checkFinishReason(meta.finishReason, response.status)) {
        removeBodyFile(response);
        return std::unexpected(*blocked);
    }
    auto saved = response.file ? adoptDownloadedFile(*response.file)
                               : saveVerifiedImage(workDir, response.body);
    if (saved && saved->mimeType.rfind("image/", 0) != 0) {
        std::error_code ignored;
        std::filesystem::remove(saved->file, ignored);
        return permanent("Stability sent " + saved->mimeType + " instead of an image",
                         response.status);
    }
    if (!saved) {
        removeBodyFile(response);
        return permanent("Stability reply image: " + saved.error().message, response.status);
    }
    return doneWith(std::move(*saved), meta);
}

} // namespace

ProviderOutcome<ProviderResult> readStabilityImageReply(const http::Response& response,
                                                        const std::filesystem::path& workDir,
                                                        std::string_view apiKey) {
    const auto type = contentType(response);
    if (type == "application/json") {
        return readJsonImage(response, workDir, apiKey);
    }
    if (type.rfind("image/", 0) == 0) {
        return readRawImage(response, workDir);
    }
    removeBodyFile(response);
    return permanent("Stability replied with content type \"" + type.substr(0, 64) +
                         "\" instead of an image",
                     response.status);
}

ProviderFailure stabilityErrorFailure(const http::Response& response, std::string_view apiKey) {
    auto text = bodyText(response, kMaxErrorReplyBytes);
    removeBodyFile(response);
    const auto copy = withBody(response, text ? *text : std::string());
    auto reply = parseJsonReply(copy, "Stability error reply");
    const Json parsed = reply ? *reply : Json();
    const auto name = stringField(parsed, "name");
    auto message = scrubKeys(joinErrors(parsed), apiKey);
    if (name == "content_moderation") {
        if (message.empty()) {
            message = "Stability's content moderation rejected the request";
        }
        return failureOf(ProviderFailure::Kind::Blocked, std::move(message), response.status);
    }
    if (!name.empty()) {
        message = message.empty() ? name : name + ": " + message;
    }
    auto failure = failureFromStatus(copy, std::move(message));
    failure.message = scrubKeys(std::move(failure.message), apiKey);
    return failure;
}

ProviderOutcome<std::string> readStabilityGenerationId(const http::Response& response,
                                                       std::string_view apiKey) {
    auto reply = parseJsonReply(response, "Stability async reply");
    if (!reply) {
        return permanent(scrubKeys(reply.error().message, apiKey), response.status);
    }
    auto id = stringField(*reply, "id");
    if (!isSafeGenerationId(id)) {
        return permanent("Stability's async reply carries no usable generation id",
                         response.status);
    }
    return id;
}

bool isSafeGenerationId(std::string_view id) {
    return !id.empty() && id.size() <= kMaxGenerationIdChars &&
           std::all_of(id.begin(), id.end(), [](char c) {
               return std::isalnum(static_cast<unsigned char>(c)) != 0 || c == '-' || c == '_';
           });
}

} // namespace ripen::providers

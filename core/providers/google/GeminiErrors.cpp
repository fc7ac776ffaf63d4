#include "providers/google/GeminiErrors.h"

#include "common/BoundedJson.h"
#include "providers/ProviderSupport.h"

#include <algorithm>
#include <array>
#include <cctype>
#include <utility>

namespace ripen::providers::google {

namespace {

constexpr std::size_t kMaxErrorBodyBytes = 1U << 20;

const nlohmann::json* member(const nlohmann::json& object, const char* name) {
    if (!object.is_object()) {
        return nullptr;
    }
    const auto it = object.find(name);
    return it == object.end() ? nullptr : &*it;
}

std::string stringMember(const nlohmann::json& object, const char* name) {
    const nlohmann::json* value = member(object, name);
    return value != nullptr && value->is_string() ? value->get<std::string>() : std::string();
}

bool hasType(const nlohmann::json& detail, std::string_view typeSuffix) {
    const std::string type = stringMember(detail, "@type");
    return type.ends_with(typeSuffix);
}

bool isKeyChar(char c) {
    return std::isalnum(static_cast<unsigned char>(c)) != 0 || c == '_' || c == '-';
}

std::string lower(std::string_view text) {
    std::string out(text);
    std::transform(out.begin(), out.end(), out.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return out;
}

bool isDailyQuota(const nlohmann::json& error) {
    const nlohmann::json* details = member(error, "details");
    if (details == nullptr || !details->is_array()) {
        return false;
    }
    for (const nlohmann::json& detail : *details) {
        if (!hasType(detail, "google.rpc.QuotaFailure")) {
            continue;
        }
        const nlohmann::json* violations = member(detail, "violations");
        if (violations == nullptr || !violations->is_array()) {
            continue;
        }
        for (const nlohmann::json& violation : *violations) {
            if (stringMember(violation, "quotaId").find("PerDay") != std::string::npos) {
                return true;
            }
        }
    }
    return false;
}

std::string errorInfoReason(const nlohmann::json& error) {
    const nlohmann::json* details = member(error, "details");
    if (details == nullptr || !details->is_array()) {
        return {};
    }
    for (const nlohmann::json& detail : *details) {
        if (hasType(detail, "google.rpc.ErrorInfo")) {
            return stringMember(detail, "reason");
        }
    }
    return {};
}

} // namespace

ProviderFailure GeminiErrors::fromReply(const http::Response& response, std::string_view body,
                                        std::string_view apiKey) {
    nlohmann::json error;
    if (!body.empty() && body.size() <= kMaxErrorBodyBytes) {
        if (auto parsed = parseBoundedJson(body, "Google error reply"); parsed) {
            // Google sends {"error": {...}}; some proxies send a list of such objects.
            const nlohmann::json& root =
                parsed->is_array() && !parsed->empty() ? parsed->front() : *parsed;
            if (const nlohmann::json* inner = member(root, "error");
                inner != nullptr && inner->is_object()) {
                error = *inner;
            }
        }
    }

    std::string message = stringMember(error, "message");
    if (!message.empty()) {
        std::string qualifiers = stringMember(error, "status");
        if (const std::string reason = errorInfoReason(error); !reason.empty()) {
            qualifiers += qualifiers.empty() ? reason : ", " + reason;
        }
        if (!qualifiers.empty()) {
            message += " (" + qualifiers + ")";
        }
    }

    http::Response excerptSource;
    const http::Response* source = &response;
    if (response.body.empty() && !body.empty()) {
        // The body came from a download file: let the shared excerpt see it.
        excerptSource = response;
        excerptSource.body = std::string(body.substr(0, kMaxErrorBodyBytes));
        source = &excerptSource;
    }
    ProviderFailure failure = failureFromStatus(*source, scrub(message, apiKey));
    failure.message = scrub(std::move(failure.message), apiKey);

    if (failure.kind == ProviderFailure::Kind::Retryable) {
        if (const auto delay = retryDelay(error)) {
            failure.retryAfter = *delay;
        }
        if (response.status == 429 && isDailyQuota(error)) {
            failure.kind = ProviderFailure::Kind::Permanent;
            failure.retryAfter.reset();
            failure.message += " — the daily quota of this key is used up; retrying today "
                               "will not help (it resets at midnight Pacific time)";
        }
    }
    return failure;
}

std::optional<std::chrono::milliseconds> GeminiErrors::retryDelay(const nlohmann::json& error) {
    if (const nlohmann::json* details = member(error, "details");
        details != nullptr && details->is_array()) {
        for (const nlohmann::json& detail : *details) {
            if (hasType(detail, "google.rpc.RetryInfo")) {
                const std::string delay = stringMember(detail, "retryDelay");
                if (auto parsed = parseProtobufDuration(delay)) {
                    return parsed;
                }
            }
        }
    }
    // "You exceeded your current quota ... Please retry in 38.922534355s."
    const std::string message = stringMember(error, "message");
    const std::string lowered = lower(message);
    const auto at = lowered.find("retry in ");
    if (at != std::string::npos) {
        std::size_t end = at + 9;
        while (
            end < message.size() &&
            (std::isdigit(static_cast<unsigned char>(message[end])) != 0 || message[end] == '.')) {
            ++end;
        }
        if (end < message.size() && message[end] == 's') {
            return parseProtobufDuration(
                std::string_view(message).substr(at + 9, end + 1 - at - 9));
        }
    }
    return std::nullopt;
}

ProviderFailure GeminiErrors::fromOperationError(const nlohmann::json& status,
                                                 std::string_view apiKey) {
    int code = 0;
    if (const nlohmann::json* value = member(status, "code");
        value != nullptr && value->is_number_integer()) {
        code = value->get<int>();
    }
    std::string message = stringMember(status, "message");
    if (message.empty()) {
        message = "the operation failed without a message";
    }
    const std::string_view name = rpcCodeName(code);
    if (!name.empty()) {
        message += " (" + std::string(name) + ")";
    } else if (code != 0) {
        message += " (code " + std::to_string(code) + ")";
    }
    message = scrub(std::move(message), apiKey);

    // Veo states content refusals in words ("...violate Gemini API's usage guidelines",
    // "filtered by Responsible AI practices"); there is no dedicated code for them.
    const std::string lowered = lower(message);
    static constexpr std::array<std::string_view, 8> kBlockWords = {
        "usage guideline", "safety",     "responsible ai", "rai ",
        "filtered",        "prohibited", "violat",         "blocked"};
    const bool blockedByPolicy =
        std::any_of(kBlockWords.begin(), kBlockWords.end(),
                    [&](std::string_view word) { return lowered.find(word) != std::string::npos; });
    return blockedByPolicy ? blocked("Veo refused the request: " + message)
                           : permanent("Veo operation failed: " + message);
}

bool GeminiErrors::isBlockingFinishReason(std::string_view reason) {
    static constexpr std::array<std::string_view, 9> kBlocking = {
        "SAFETY",     "IMAGE_SAFETY", "PROHIBITED_CONTENT", "IMAGE_PROHIBITED_CONTENT",
        "BLOCKLIST",  "SPII",         "RECITATION",         "IMAGE_RECITATION",
        "MODEL_ARMOR"};
    return std::find(kBlocking.begin(), kBlocking.end(), reason) != kBlocking.end();
}

std::string_view GeminiErrors::rpcCodeName(int code) {
    static constexpr std::array<std::string_view, 17> kNames = {"OK",
                                                                "CANCELLED",
                                                                "UNKNOWN",
                                                                "INVALID_ARGUMENT",
                                                                "DEADLINE_EXCEEDED",
                                                                "NOT_FOUND",
                                                                "ALREADY_EXISTS",
                                                                "PERMISSION_DENIED",
                                                                "RESOURCE_EXHAUSTED",
                                                                "FAILED_PRECONDITION",
                                                                "ABORTED",
                                                                "OUT_OF_RANGE",
                                                                "UNIMPLEMENTED",
                                                                "INTERNAL",
                                                                "UNAVAILABLE",
                                                                "DATA_LOSS",
                                                                "UNAUTHENTICATED"};
    if (code <= 0 || code >= static_cast<int>(kNames.size())) {
        return {};
    }
    return kNames[static_cast<std::size_t>(code)];
}

ProviderFailure GeminiErrors::permanent(std::string message, int httpStatus) {
    return ProviderFailure{ProviderFailure::Kind::Permanent, std::move(message), httpStatus,
                           std::nullopt, std::nullopt};
}

ProviderFailure GeminiErrors::blocked(std::string message, int httpStatus) {
    return ProviderFailure{ProviderFailure::Kind::Blocked, std::move(message), httpStatus,
                           std::nullopt, std::nullopt};
}

ProviderFailure GeminiErrors::fromError(const Error& error, std::string_view context) {
    ProviderFailure failure = permanent(std::string(context) + ": " + error.message);
    if (error.code == ErrorCode::Cancelled) {
        failure.kind = ProviderFailure::Kind::Cancelled;
    }
    return failure;
}

std::string GeminiErrors::scrub(std::string text, std::string_view apiKey) {
    static constexpr std::string_view kRedacted = "<redacted>";
    if (!apiKey.empty()) {
        for (std::size_t at = text.find(apiKey); at != std::string::npos;
             at = text.find(apiKey, at + kRedacted.size())) {
            text.replace(at, apiKey.size(), kRedacted);
        }
    }
    // Google API keys: "AIza" followed by 35 characters of [A-Za-z0-9_-].
    for (std::size_t at = text.find("AIza"); at != std::string::npos;
         at = text.find("AIza", at + 1)) {
        std::size_t end = at + 4;
        while (end < text.size() && isKeyChar(text[end])) {
            ++end;
        }
        if (end - at >= 39) {
            text.replace(at, end - at, kRedacted);
        }
    }
    return text;
}

} // namespace ripen::providers::google

#pragma once

#include "common/Error.h"
#include "providers/ProviderTypes.h"
#include "providers/http/HttpTypes.h"

#include <chrono>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>

namespace ripen::providers::google {

// Turns what Google says went wrong into ProviderFailure values: the error JSON of a
// non-2xx reply (google.rpc.Status with details), the error of a finished long-running
// operation, and the safety verdicts of a 200 reply (promptFeedback.blockReason,
// candidate finishReason). Every message is scrubbed of the API key before it leaves.
class GeminiErrors {
public:
    // A reply with a non-2xx status. The message is Google's own ("API key not valid...")
    // with its status and ErrorInfo reason; classification is the shared one
    // (failureFromStatus), then refined for Gemini:
    // - 429/503 carry no Retry-After header; google.rpc.RetryInfo.retryDelay in
    //   error.details (or "Please retry in 38.9s" in the message) gives retryAfter;
    // - a per-day quota (QuotaFailure quotaId containing "PerDay") will not clear by
    //   retrying and is Permanent.
    // `body` is the reply text (for a download it was read back from the file).
    static ProviderFailure fromReply(const http::Response& response, std::string_view body,
                                     std::string_view apiKey);
    static ProviderFailure fromReply(const http::Response& response, std::string_view apiKey) {
        return fromReply(response, response.body, apiKey);
    }

    // google.rpc.RetryInfo.retryDelay from error.details, else "retry in Ns" in the message.
    static std::optional<std::chrono::milliseconds> retryDelay(const nlohmann::json& error);

    // The `error` of a finished operation (google.rpc.Status: code, message). Content
    // refusals (usage guidelines, safety, responsible-AI filters) are Blocked, the rest
    // Permanent: the operation is over, asking again returns the same error.
    static ProviderFailure fromOperationError(const nlohmann::json& status,
                                              std::string_view apiKey);

    // finishReason values that mean a safety, policy or recitation block rather than a
    // model that simply drew nothing (NO_IMAGE, IMAGE_OTHER, MAX_TOKENS, OTHER, STOP).
    static bool isBlockingFinishReason(std::string_view finishReason);

    // "RESOURCE_EXHAUSTED" for 8, ...; empty for codes outside google.rpc.Code.
    static std::string_view rpcCodeName(int code);

    static ProviderFailure permanent(std::string message, int httpStatus = 0);
    static ProviderFailure blocked(std::string message, int httpStatus = 0);
    // A local error (a file that cannot be read, a full disk) in terms of the retry policy.
    static ProviderFailure fromError(const Error& error, std::string_view context);

    // Replaces every occurrence of `apiKey` (and anything shaped like a Google API key,
    // "AIza" + 35 key characters) with "<redacted>".
    static std::string scrub(std::string text, std::string_view apiKey);
};

} // namespace ripen::providers::google

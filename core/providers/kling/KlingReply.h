#pragma once

#include "providers/ProviderTypes.h"
#include "providers/http/HttpTypes.h"

#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace ripen::providers::kling {

// The readers of Kling's task API replies (providers.md §3). Every reply is untrusted;
// nothing here touches the network or the disk.

// The `data` object of a reply {"code", "message", "request_id", "data"} (any status),
// with "request_id" copied into it. Kling's business `code` decides the failure class, not
// the HTTP status: 1300/1301 Blocked, 1302/1303 and 5xxx Retryable, any other non-zero
// Permanent. `unreadable` is the class of a 2xx that cannot be read: after a create POST
// the task may exist (Ambiguous), after a query it is simply asked again (Retryable).
ProviderOutcome<nlohmann::json> readKlingReply(const http::Response& response,
                                               ProviderFailure::Kind unreadable);

// The string `key` of a reply object; empty when it is missing or not a string.
std::string klingString(const nlohmann::json& object, const char* key);

// True for a task id safe to put in a URL path: [A-Za-z0-9._-]{1,128}.
bool isSafeKlingId(std::string_view id);

struct KlingVideo {
    std::string url; // http(s), on Kling's CDN: fetched without the JWT
    std::string id;
    std::string duration;
};

// A task as a query reports it.
struct KlingTask {
    std::string taskId;
    std::string requestId;
    std::string status;                     // "submitted", "processing" or "succeed"
    std::vector<KlingVideo> videos;         // at least one once "succeed"
    nlohmann::json unitDeduction;           // final_unit_deduction as sent; null when absent
    std::optional<std::int64_t> costMicros; // the deduction in micro-units, when exact

    bool running() const { return status != "succeed"; }
};

// Reads the `data` of a query reply (readKlingReply's result). A "failed" task is Blocked
// when Kling's reason reads like a content check, otherwise Permanent; an unknown status,
// or a success without a usable video URL, is Permanent. `httpStatus` goes into failures.
ProviderOutcome<KlingTask> readKlingTask(const nlohmann::json& data, int httpStatus);

} // namespace ripen::providers::kling

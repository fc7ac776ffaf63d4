#include "providers/google/GoogleRequests.h"

namespace ripen::providers::google {

http::Request authorizedJsonPost(std::string url, std::string_view apiKey,
                                 const nlohmann::json& body, std::chrono::milliseconds deadline,
                                 std::uint64_t maxReplyBytes) {
    http::Request request;
    request.method = "POST";
    request.url = std::move(url);
    request.headers = {{"x-goog-api-key", std::string(apiKey), true},
                       {"Content-Type", "application/json", false}};
    request.body = body.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
    request.deadline = deadline;
    request.maxResponseBytes = maxReplyBytes;
    return request;
}

} // namespace ripen::providers::google

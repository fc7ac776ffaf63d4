#pragma once

#include "providers/http/HttpTypes.h"

#include <nlohmann/json.hpp>

#include <chrono>
#include <cstdint>
#include <string>
#include <string_view>

namespace ripen::providers::google {

// A POST of `body` to `url` with the key in x-goog-api-key (a secret header, never the
// URL). Invalid UTF-8 in prompts becomes U+FFFD rather than an exception.
http::Request authorizedJsonPost(std::string url, std::string_view apiKey,
                                 const nlohmann::json& body, std::chrono::milliseconds deadline,
                                 std::uint64_t maxReplyBytes);

} // namespace ripen::providers::google

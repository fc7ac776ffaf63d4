#pragma once

#include "providers/ProviderTypes.h"
#include "providers/http/HttpTypes.h"

#include <filesystem>
#include <string>
#include <string_view>

namespace ripen::providers {

// Reads the reply of a Stability v2beta sync endpoint or a finished GET /v2beta/results/
// {id} (status 2xx). Both shapes are handled: raw image bytes (Accept: image/*, possibly
// already downloaded to Response::file) with the "finish-reason" and "seed" headers, and
// JSON {"image" | "result": base64, "finish_reason", "seed"}. finish reason
// CONTENT_FILTERED (a blurred stand-in image) is Blocked; any other reason than SUCCESS,
// a non-image body or a wrong content type is Permanent. A downloaded file is adopted on
// success and removed on failure.
ProviderOutcome<ProviderResult> readStabilityImageReply(const http::Response& response,
                                                        const std::filesystem::path& workDir,
                                                        std::string_view apiKey);

// A non-2xx reply ({"id", "name", "errors": [...]}): 403 content_moderation is Blocked
// with Stability's words, everything else goes through failureFromStatus. Removes a
// downloaded body file.
ProviderFailure stabilityErrorFailure(const http::Response& response, std::string_view apiKey);

// The generation id of an async submission ({"id": "..."}), checked to be a safe path
// segment (letters, digits, '-', '_'; at most 256) because it is put into the poll URL.
ProviderOutcome<std::string> readStabilityGenerationId(const http::Response& response,
                                                       std::string_view apiKey);

bool isSafeGenerationId(std::string_view id);

} // namespace ripen::providers

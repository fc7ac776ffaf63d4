#pragma once

#include "providers/ProviderTypes.h"
#include "providers/http/HttpTypes.h"

#include <filesystem>
#include <string_view>

namespace ripen::providers {

// Reads a reply of POST /v1/images/generations or /v1/images/edits (any status). The body
// is untrusted: a 2xx must be a JSON object whose "data" holds 1..16 objects with a
// "b64_json" PNG/JPEG/WebP, each saved into `workDir` under a fresh name; anything else is
// a Permanent failure and no file is left behind. Error replies ({"error": {"message",
// "type", "code"}}) are classified by failureFromStatus, except a safety rejection
// ("moderation_blocked", "content_policy_violation"), which is Blocked with OpenAI's own
// message. `apiKey` is scrubbed from every message.
ProviderOutcome<ProviderResult> readOpenAiImagesReply(const http::Response& response,
                                                      const std::filesystem::path& workDir,
                                                      std::string_view apiKey);

} // namespace ripen::providers

#pragma once

#include "providers/ProviderTypes.h"
#include "providers/http/HttpTypes.h"

#include <cstddef>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

namespace ripen::providers::comfyui {

// The readers of ComfyUI's replies (POST /prompt, GET /history/{id}, GET /queue). Every
// reply is untrusted: names and ids are checked before they go into a URL, server text is
// clipped before it reaches a message, and nothing here touches the network or the disk.

// The string `key` of a reply object; empty when it is missing or not a string.
std::string comfyString(const nlohmann::json& object, const char* key);

// A prompt ComfyUI accepted.
struct QueuedPrompt {
    std::string promptId;  // safe to put in a URL path: [A-Za-z0-9_-]{1,64}
    nlohmann::json number; // the server's queue number; null when it sends none
};

// POST /prompt (any status). An error status carries ComfyUI's "error" and the first node
// of "node_errors"; a 2xx that cannot be read or names no usable prompt_id is Ambiguous
// (the workflow may be running); a 2xx with node_errors is Permanent.
ProviderOutcome<QueuedPrompt> readComfyPromptReply(const http::Response& response);

// True for a prompt id readComfyPromptReply would accept.
bool isSafeComfyName(std::string_view name);

// GET /history/{promptId} (any status): the prompt's entry, nullopt while it is not there.
ProviderOutcome<std::optional<nlohmann::json>> readComfyHistory(const http::Response& response,
                                                                const std::string& promptId);

// GET /queue (any status): 0 while the prompt runs, 1.. for its place among the pending
// ones, nullopt when it is in neither list.
ProviderOutcome<std::optional<int>> readComfyQueue(const http::Response& response,
                                                   const std::string& promptId);

// One file a finished prompt saved, as /view takes it back.
struct ComfyOutputFile {
    std::string filename, subfolder, type, node;
};

// The files a history entry lists as outputs (type "output" only: previews are not
// results), at most `maxOutputs`. A failed or interrupted run is Permanent with
// ComfyUI's execution_error; so is a finished run that saved nothing.
ProviderOutcome<std::vector<ComfyOutputFile>>
readComfyOutputs(const nlohmann::json& entry, const std::string& promptId, std::size_t maxOutputs);

} // namespace ripen::providers::comfyui

#include "providers/comfyui/ComfyReply.h"

#include "providers/ProviderSupport.h"
#include "providers/localsd/SdRequestSupport.h"

#include <algorithm>

namespace ripen::providers::comfyui {

namespace {

using Kind = ProviderFailure::Kind;
using localsd::permanentFailure;

constexpr std::size_t kMaxNameLength = 1024;

ProviderFailure failure(Kind kind, std::string message, int status = 0) {
    return ProviderFailure{kind, std::move(message), status, std::nullopt, std::nullopt};
}

// "Prompt outputs failed validation; node 4 (CheckpointLoaderSimple): Value not in list:
// ckpt_name: 'x.safetensors' not in [...]"
std::string describeNodeErrors(const nlohmann::json& nodeErrors) {
    std::string text;
    if (!nodeErrors.is_object()) {
        return text;
    }
    for (const auto& [nodeId, entry] : nodeErrors.items()) {
        text += "; node " + nodeId;
        if (const auto type = comfyString(entry, "class_type"); !type.empty()) {
            text += " (" + type + ")";
        }
        const auto errors = entry.is_object() ? entry.find("errors") : entry.end();
        if (entry.is_object() && errors != entry.end() && errors->is_array() && !errors->empty()) {
            const auto& first = errors->front();
            text += ": " + comfyString(first, "message");
            if (const auto details = comfyString(first, "details"); !details.empty()) {
                text += ": " + details;
            }
        }
        break; // one node is enough to act on; the rest usually follow from it
    }
    return text;
}

std::string describePromptError(const nlohmann::json& body) {
    std::string text;
    if (body.is_object() && body.contains("error")) {
        const auto& error = body["error"];
        text = error.is_string() ? error.get<std::string>() : comfyString(error, "message");
        if (const auto details = comfyString(error, "details"); !details.empty()) {
            text += ": " + details;
        }
    }
    if (body.is_object() && body.contains("node_errors")) {
        text += describeNodeErrors(body["node_errors"]);
    }
    return localsd::clipServerText(text);
}

// The execution_error message of a history entry, as ComfyUI's status messages carry it.
std::string describeExecutionError(const nlohmann::json& status) {
    const auto messages = status.find("messages");
    if (messages == status.end() || !messages->is_array()) {
        return {};
    }
    for (const auto& message : *messages) {
        if (!message.is_array() || message.size() < 2 || !message[0].is_string()) {
            continue;
        }
        const std::string event = message[0].get<std::string>();
        if (event != "execution_error" && event != "execution_interrupted") {
            continue;
        }
        const auto& data = message[1];
        std::string text = event == "execution_interrupted" ? "interrupted" : "";
        if (const auto type = comfyString(data, "node_type"); !type.empty()) {
            text += (text.empty() ? "" : " ") + std::string("in node ") +
                    comfyString(data, "node_id") + " (" + type + ")";
        }
        if (const auto what = comfyString(data, "exception_message"); !what.empty()) {
            text += (text.empty() ? "" : ": ") + what;
        }
        return localsd::clipServerText(text);
    }
    return {};
}

} // namespace

std::string comfyString(const nlohmann::json& object, const char* key) {
    if (!object.is_object()) {
        return {};
    }
    const auto it = object.find(key);
    return it != object.end() && it->is_string() ? it->get<std::string>() : std::string();
}

bool isSafeComfyName(std::string_view name) {
    return !name.empty() && name.size() <= 64 && std::all_of(name.begin(), name.end(), [](char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
               c == '_' || c == '-';
    });
}

ProviderOutcome<QueuedPrompt> readComfyPromptReply(const http::Response& response) {
    auto body = parseJsonReply(response, "ComfyUI /prompt reply");
    if (response.status < 200 || response.status > 299) {
        const std::string message = body ? describePromptError(*body) : std::string();
        return std::unexpected(failureFromStatus(
            response,
            message.empty() ? std::string() : "ComfyUI refused the workflow: " + message));
    }
    if (!body) {
        // Queued or not, we cannot tell: ComfyUI may be running it now.
        return std::unexpected(failure(Kind::Ambiguous, body.error().message, response.status));
    }
    if (const auto errors = body->is_object() ? body->find("node_errors") : body->end();
        body->is_object() && errors != body->end() && errors->is_object() && !errors->empty()) {
        return std::unexpected(permanentFailure(
            "ComfyUI refused the workflow" + localsd::clipServerText(describeNodeErrors(*errors))));
    }
    QueuedPrompt queued;
    queued.promptId = comfyString(*body, "prompt_id");
    if (!isSafeComfyName(queued.promptId)) {
        return std::unexpected(failure(Kind::Ambiguous,
                                       "ComfyUI queued the workflow but its "
                                       "reply has no usable prompt_id",
                                       response.status));
    }
    if (const auto number = body->find("number"); number != body->end() && number->is_number()) {
        queued.number = *number;
    }
    return queued;
}

ProviderOutcome<std::optional<nlohmann::json>> readComfyHistory(const http::Response& response,
                                                                const std::string& promptId) {
    if (response.status < 200 || response.status > 299) {
        return std::unexpected(failureFromStatus(response, ""));
    }
    auto body = parseJsonReply(response, "ComfyUI history");
    if (!body || !body->is_object()) {
        return std::unexpected(failure(
            Kind::Retryable, body ? "ComfyUI history is not an object" : body.error().message,
            response.status));
    }
    const auto it = body->find(promptId);
    if (it == body->end()) {
        return std::optional<nlohmann::json>();
    }
    if (!it->is_object()) {
        return std::unexpected(permanentFailure("ComfyUI history entry is not an object"));
    }
    return std::optional<nlohmann::json>(std::move(*it));
}

ProviderOutcome<std::optional<int>> readComfyQueue(const http::Response& response,
                                                   const std::string& promptId) {
    if (response.status < 200 || response.status > 299) {
        return std::unexpected(failureFromStatus(response, ""));
    }
    auto body = parseJsonReply(response, "ComfyUI queue");
    if (!body || !body->is_object()) {
        return std::unexpected(
            failure(Kind::Retryable, "ComfyUI queue reply is unreadable", response.status));
    }
    // Items are [number, prompt_id, prompt, extra_data, outputs]. Position 0 is running;
    // pending items count from 1 in the order ComfyUI lists them.
    const auto contains = [&](const nlohmann::json& item) {
        return item.is_array() && item.size() > 1 && item[1].is_string() &&
               item[1].get<std::string>() == promptId;
    };
    if (const auto running = body->find("queue_running");
        running != body->end() && running->is_array()) {
        if (std::any_of(running->begin(), running->end(), contains)) {
            return std::optional<int>(0);
        }
    }
    if (const auto pending = body->find("queue_pending");
        pending != body->end() && pending->is_array()) {
        int position = 1;
        for (const auto& item : *pending) {
            if (contains(item)) {
                return std::optional<int>(position);
            }
            ++position;
        }
    }
    return std::optional<int>();
}

ProviderOutcome<std::vector<ComfyOutputFile>>
readComfyOutputs(const nlohmann::json& entry, const std::string& promptId, std::size_t maxOutputs) {
    if (!entry.is_object()) {
        return std::unexpected(permanentFailure("ComfyUI history entry is not an object"));
    }
    if (const auto status = entry.find("status"); status != entry.end() && status->is_object()) {
        const std::string statusText = comfyString(*status, "status_str");
        const auto completed = status->find("completed");
        const bool done =
            completed == status->end() || !completed->is_boolean() || completed->get<bool>();
        if (statusText == "error" || !done) {
            const std::string why = describeExecutionError(*status);
            return std::unexpected(permanentFailure("ComfyUI could not run the workflow" +
                                                    (why.empty() ? std::string() : ": " + why)));
        }
    }
    std::vector<ComfyOutputFile> images;
    const auto outputs = entry.find("outputs");
    if (outputs != entry.end() && outputs->is_object()) {
        for (const auto& [node, output] : outputs->items()) {
            const auto list = output.is_object() ? output.find("images") : output.end();
            if (!output.is_object() || list == output.end() || !list->is_array()) {
                continue;
            }
            for (const auto& image : *list) {
                ComfyOutputFile item{comfyString(image, "filename"),
                                     comfyString(image, "subfolder"), comfyString(image, "type"),
                                     node};
                // Previews (type "temp") are not results; a name we cannot send back is skipped.
                if (item.type == "output" && !item.filename.empty() &&
                    item.filename.size() <= kMaxNameLength &&
                    item.subfolder.size() <= kMaxNameLength) {
                    images.push_back(std::move(item));
                }
            }
        }
    }
    if (images.empty()) {
        return std::unexpected(permanentFailure("ComfyUI finished prompt " + promptId +
                                                " but saved no image (does the workflow end "
                                                "in SaveImage?)"));
    }
    if (images.size() > maxOutputs) {
        images.resize(maxOutputs);
    }
    return images;
}

} // namespace ripen::providers::comfyui

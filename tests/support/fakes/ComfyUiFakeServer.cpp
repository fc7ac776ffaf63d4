#include "support/fakes/ComfyUiFakeServer.h"

#include "support/TestImages.h"

namespace ripen::test {

ComfyUiFakeServer::ComfyUiFakeServer()
    : m_outputs(
          {{"9",
            {{"images",
              {{{"filename", "ComfyUI_00001_.png"}, {"subfolder", ""}, {"type", "output"}}}}}}}),
      m_image(encodeTestImage(makeTestImage(64, 64, 7), ".png")) {
    m_server.on("POST", "/upload/image", [this](const RecordedRequest& r) { return upload(r); });
    m_server.on("POST", "/prompt", [this](const RecordedRequest& r) { return prompt(r); });
    m_server.on("GET", "/history/([^/]+)", [this](const RecordedRequest& r) {
        return history(r.path.substr(r.path.rfind('/') + 1));
    });
    m_server.on("GET", "/queue", [this](const RecordedRequest&) { return queue(); });
    m_server.on("GET", "/view", [this](const RecordedRequest& r) { return view(r); });
}

void ComfyUiFakeServer::setPollsBeforeDone(int polls) {
    std::lock_guard lock(m_mutex);
    m_pollsBeforeDone = polls;
}

void ComfyUiFakeServer::setOutputs(nlohmann::json outputs) {
    std::lock_guard lock(m_mutex);
    m_outputs = std::move(outputs);
}

void ComfyUiFakeServer::setImage(std::string bytes) {
    std::lock_guard lock(m_mutex);
    m_image = std::move(bytes);
}

void ComfyUiFakeServer::setExecutionError(std::string message) {
    std::lock_guard lock(m_mutex);
    m_executionError = std::move(message);
}

void ComfyUiFakeServer::forgetPrompts() {
    std::lock_guard lock(m_mutex);
    m_prompts.clear();
    m_order.clear();
}

std::vector<nlohmann::json> ComfyUiFakeServer::graphs() const {
    std::lock_guard lock(m_mutex);
    return m_graphs;
}

std::vector<std::string> ComfyUiFakeServer::clientIds() const {
    std::lock_guard lock(m_mutex);
    return m_clientIds;
}

FakeReply ComfyUiFakeServer::upload(const RecordedRequest& request) {
    const auto* image = request.file("image");
    if (image == nullptr || image->fileName.empty()) {
        return FakeReply::text(400, "");
    }
    const auto type = request.formFields.count("type") ? request.formFields.at("type") : "input";
    std::lock_guard lock(m_mutex);
    m_uploaded.insert(image->fileName);
    return FakeReply::json(200, {{"name", image->fileName}, {"subfolder", ""}, {"type", type}});
}

nlohmann::json ComfyUiFakeServer::nodeErrors(const nlohmann::json& graph) const {
    nlohmann::json errors = nlohmann::json::object();
    for (const auto& [id, node] : graph.items()) {
        const std::string type = node.value("class_type", "");
        const auto& inputs = node.at("inputs");
        for (const auto& [name, value] : inputs.items()) {
            const bool link = value.is_array() && value.size() == 2 && value[0].is_string();
            if (link && !graph.contains(value[0].get<std::string>())) {
                errors[id] = {
                    {"errors",
                     {{{"type", "bad_link"}, {"message", "Bad link"}, {"details", name}}}},
                    {"dependent_outputs", nlohmann::json::array()},
                    {"class_type", type}};
            }
            const std::string text = value.is_string() ? value.get<std::string>() : "";
            if (text.size() >= 4 && text.rfind("{{", 0) == 0 &&
                text.compare(text.size() - 2, 2, "}}") == 0) {
                errors[id] = {
                    {"errors",
                     {{{"type", "unfilled"}, {"message", "Unfilled"}, {"details", name}}}},
                    {"class_type", type}};
            }
        }
        const bool loader = type == "LoadImage" || type == "LoadImageMask";
        const auto image = inputs.find("image");
        if (loader && (image == inputs.end() || !image->is_string() ||
                       !m_uploaded.contains(image->get<std::string>()))) {
            errors[id] = {{"errors",
                           {{{"type", "custom_validation_failed"},
                             {"message", "Custom validation failed for node"},
                             {"details", "image - Invalid image file"}}}},
                          {"dependent_outputs", nlohmann::json::array()},
                          {"class_type", type}};
        }
    }
    return errors;
}

FakeReply ComfyUiFakeServer::prompt(const RecordedRequest& request) {
    const auto body = nlohmann::json::parse(request.body, nullptr, false);
    if (!body.is_object() || !body.contains("prompt") || !body["prompt"].is_object()) {
        return FakeReply::json(
            400,
            {{"error", {{"type", "no_prompt"}, {"message", "No prompt provided"}, {"details", ""}}},
             {"node_errors", nlohmann::json::object()}});
    }
    std::lock_guard lock(m_mutex);
    const auto errors = nodeErrors(body["prompt"]);
    if (!errors.empty()) {
        return FakeReply::json(400, {{"error",
                                      {{"type", "prompt_outputs_failed_validation"},
                                       {"message", "Prompt outputs failed validation"},
                                       {"details", ""}}},
                                     {"node_errors", errors}});
    }
    m_graphs.push_back(body["prompt"]);
    m_clientIds.push_back(body.value("client_id", ""));
    const std::string id = "p" + std::to_string(m_graphs.size()) + "-0b1c2d3e";
    m_prompts[id] = 0;
    m_order.push_back(id);
    return FakeReply::json(200, {{"prompt_id", id},
                                 {"number", m_graphs.size()},
                                 {"node_errors", nlohmann::json::object()}});
}

FakeReply ComfyUiFakeServer::history(const std::string& promptId) {
    std::lock_guard lock(m_mutex);
    const auto it = m_prompts.find(promptId);
    if (it == m_prompts.end() || it->second++ < m_pollsBeforeDone) {
        return FakeReply::json(200, nlohmann::json::object());
    }
    // [[event, data], ...] built explicitly: brace lists of string pairs would become objects.
    const auto messages = [&](const char* last, nlohmann::json data) {
        data["prompt_id"] = promptId;
        auto list = nlohmann::json::array();
        list.push_back(nlohmann::json::array({"execution_start", {{"prompt_id", promptId}}}));
        list.push_back(nlohmann::json::array({last, data}));
        return list;
    };
    nlohmann::json status = {{"status_str", "success"},
                             {"completed", true},
                             {"messages", messages("execution_success", {})}};
    nlohmann::json outputs = m_outputs;
    if (!m_executionError.empty()) {
        status = {{"status_str", "error"},
                  {"completed", false},
                  {"messages", messages("execution_error",
                                        {{"node_id", "3"},
                                         {"node_type", "KSampler"},
                                         {"exception_message", m_executionError},
                                         {"exception_type", "RuntimeError"}})}};
        outputs = nlohmann::json::object();
    }
    nlohmann::json entry = {
        {"prompt", {1, promptId, nlohmann::json::object(), nlohmann::json::object(), {"9"}}},
        {"outputs", outputs},
        {"status", status},
        {"meta", nlohmann::json::object()}};
    return FakeReply::json(200, {{promptId, entry}});
}

FakeReply ComfyUiFakeServer::queue() {
    std::lock_guard lock(m_mutex);
    nlohmann::json running = nlohmann::json::array();
    nlohmann::json pending = nlohmann::json::array();
    for (const auto& id : m_order) {
        if (m_prompts[id] >= m_pollsBeforeDone + 1) {
            continue; // in history now
        }
        auto item = nlohmann::json::array(
            {1, id, nlohmann::json::object(), nlohmann::json::object(), {"9"}});
        (running.empty() ? running : pending).push_back(std::move(item));
    }
    return FakeReply::json(200, {{"queue_running", running}, {"queue_pending", pending}});
}

FakeReply ComfyUiFakeServer::view(const RecordedRequest& request) {
    const auto filename = request.param("filename");
    const auto subfolder = request.param("subfolder").value_or("");
    const auto type = request.param("type").value_or("output");
    std::lock_guard lock(m_mutex);
    for (const auto& [node, output] : m_outputs.items()) {
        for (const auto& image : output.value("images", nlohmann::json::array())) {
            if (filename && image.value("filename", "") == *filename &&
                image.value("subfolder", "") == subfolder && image.value("type", "") == type) {
                return FakeReply::bytes(m_image, "image/png");
            }
        }
    }
    return FakeReply::text(404, "");
}

} // namespace ripen::test

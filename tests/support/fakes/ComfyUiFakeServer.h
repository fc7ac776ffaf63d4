#pragma once

#include "support/FakeHttpServer.h"

#include <mutex>
#include <set>
#include <string>
#include <vector>

namespace ripen::test {

// ComfyUI's HTTP API as server.py implements it (providers.md §6): POST /upload/image
// (multipart image/type/overwrite -> {name, subfolder, type}), POST /prompt
// ({prompt, client_id} -> {prompt_id, number, node_errors}; 400 with error/node_errors for
// a graph it cannot validate, including a LoadImage of a file never uploaded), GET /queue,
// GET /history/{id} ({} until done) and GET /view?filename=&subfolder=&type=, which only
// serves names exactly as the history listed them.
class ComfyUiFakeServer {
public:
    ComfyUiFakeServer();

    FakeHttpServer& server() { return m_server; }
    std::string baseUrl() const { return m_server.baseUrl(); }

    // History stays empty (the prompt is queued, then running) for this many polls.
    void setPollsBeforeDone(int polls);
    // The "outputs" object of finished history entries; default: node "9" saved one PNG.
    void setOutputs(nlohmann::json outputs);
    // What /view serves for every listed output.
    void setImage(std::string bytes);
    // Finished entries report status "error" with this execution_error message.
    void setExecutionError(std::string message);
    // The server "restarted": queue and history no longer know any prompt.
    void forgetPrompts();

    std::vector<nlohmann::json> graphs() const; // every accepted /prompt graph
    std::vector<std::string> clientIds() const;

private:
    FakeReply upload(const RecordedRequest& request);
    FakeReply prompt(const RecordedRequest& request);
    FakeReply history(const std::string& promptId);
    FakeReply queue();
    FakeReply view(const RecordedRequest& request);
    nlohmann::json nodeErrors(const nlohmann::json& graph) const;

    FakeHttpServer m_server;
    mutable std::mutex m_mutex;
    int m_pollsBeforeDone = 1;
    nlohmann::json m_outputs;
    std::string m_image;
    std::string m_executionError;
    std::set<std::string> m_uploaded;
    std::map<std::string, int> m_prompts; // prompt id -> history polls so far
    std::vector<std::string> m_order;
    std::vector<nlohmann::json> m_graphs;
    std::vector<std::string> m_clientIds;
};

} // namespace ripen::test

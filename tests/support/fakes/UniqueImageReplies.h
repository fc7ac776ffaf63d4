#pragma once

#include "support/FakeHttpServer.h"

#include <atomic>
#include <functional>
#include <map>
#include <mutex>
#include <string>

namespace ripen::test {

// Serves OpenAI-shaped generation replies whose image differs per request (seeded by a
// counter), so every job of a batch yields its own asset, with an optional latency that
// widens the window in which a test can kill the client mid-request.
class UniqueImageReplies {
public:
    explicit UniqueImageReplies(FakeHttpServer& server,
                                std::chrono::milliseconds latency = std::chrono::milliseconds(0));

    // Requests answered so far, by prompt (a billable execution each).
    int executions(const std::string& prompt) const;
    // All of them at once: prompt -> requests answered.
    std::map<std::string, int> executionsByPrompt() const;
    int total() const { return m_counter.load(); }

    // Called on the server's thread for each generation request after the server has
    // executed it and before the reply leaves: the worst moment for the client to die
    // (RELIABILITY.md D2). Empty to remove.
    void onExecuted(std::function<void(const RecordedRequest&)> hook);

private:
    FakeHttpServer& m_server;
    std::atomic<int> m_counter{0};
    std::mutex m_hookMutex;
    std::function<void(const RecordedRequest&)> m_hook;
};

} // namespace ripen::test

#include "support/fakes/UniqueImageReplies.h"

#include "providers/ProviderSupport.h"
#include "support/TestImages.h"

#include <thread>

namespace ripen::test {

UniqueImageReplies::UniqueImageReplies(FakeHttpServer& server, std::chrono::milliseconds latency)
    : m_server(server) {
    m_server.on("POST", "/v1/images/generations", [this, latency](const RecordedRequest& request) {
        const int seed = ++m_counter;
        {
            std::lock_guard lock(m_hookMutex);
            if (m_hook) {
                m_hook(request);
            }
        }
        if (latency.count() > 0) {
            std::this_thread::sleep_for(latency);
        }
        const std::string png = encodeTestImage(makeTestImage(48, 32, seed + 1000), ".png");
        return FakeReply::json(200, {{"created", 1764000000},
                                     {"data", {{{"b64_json", providers::encodeBase64(png)}}}},
                                     {"usage", {{"input_tokens", 20}, {"output_tokens", 1056},
                                                {"total_tokens", 1076}}}});
    });
}

void UniqueImageReplies::onExecuted(std::function<void(const RecordedRequest&)> hook) {
    std::lock_guard lock(m_hookMutex);
    m_hook = std::move(hook);
}

std::map<std::string, int> UniqueImageReplies::executionsByPrompt() const {
    std::map<std::string, int> counts;
    for (const auto& request : m_server.requestsTo("/v1/images/generations")) {
        auto body = nlohmann::json::parse(request.body, nullptr, false);
        if (!body.is_discarded()) {
            ++counts[body.value("prompt", "")];
        }
    }
    return counts;
}

int UniqueImageReplies::executions(const std::string& prompt) const {
    const auto counts = executionsByPrompt();
    const auto it = counts.find(prompt);
    return it == counts.end() ? 0 : it->second;
}

} // namespace ripen::test

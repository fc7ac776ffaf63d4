#pragma once

#include "support/FakeHttpServer.h"

#include <map>
#include <mutex>
#include <opencv2/core/mat.hpp>
#include <string>
#include <vector>

namespace ripen::test {

// Stability AI's REST v2beta image services as documented (providers.md §5): multipart
// POSTs to /v2beta/stable-image/upscale/{fast,conservative,creative} and
// /v2beta/stable-image/edit/{inpaint,erase}; sync endpoints answer the image as raw bytes
// with "finish-reason" and "seed" headers for "Accept: image/*", or JSON {image, seed,
// finish_reason} for "Accept: application/json"; the creative upscale answers {"id"} and
// GET /v2beta/results/{id} says 202 {"id", "status": "in-progress"} until it is done, then
// the image; an unknown id is 404. Errors are {"id", "name", "errors": [...]}. Requests must
// carry "Authorization: Bearer kApiKey" (401 otherwise); shape problems are answered 400
// and noted in problems(). Tests override a route with server().reply(...) for faults.
class StabilityFakeServer {
public:
    static constexpr const char* kApiKey = "sk-CANARY0stability0key0abcdefghijkl";
    static constexpr std::int64_t kSeed = 1234567;

    StabilityFakeServer();

    FakeHttpServer& server() { return m_server; }
    std::string baseUrl() const { return m_server.baseUrl(); }

    void setImageSize(int width, int height);
    // The finish reason of sync results and finished generations (default SUCCESS).
    void setFinishReason(std::string reason);
    // How many polls of a generation answer 202 before the image (default 1).
    void setPendingPolls(int polls);

    std::vector<std::string> problems() const;
    // The decoded mask of the last inpaint/erase (as sent), empty when it had none.
    cv::Mat lastMask() const;

    // {"id", "name", "errors": [message]} with HTTP `status`.
    static FakeReply error(int status, std::string name, std::string message);

private:
    FakeReply sync(const RecordedRequest& request, const std::string& operation);
    FakeReply creative(const RecordedRequest& request);
    FakeReply result(const RecordedRequest& request, const std::string& id);
    FakeReply image(const RecordedRequest& request);
    std::optional<FakeReply> checkCommon(const RecordedRequest& request, bool needsPrompt);
    FakeReply problem(std::string text);

    FakeHttpServer m_server;
    mutable std::mutex m_mutex;
    int m_width = 64;
    int m_height = 64;
    std::string m_finishReason = "SUCCESS";
    int m_pendingPolls = 1;
    int m_generations = 0;
    std::map<std::string, int> m_polls;
    std::vector<std::string> m_problems;
    cv::Mat m_lastMask;
};

} // namespace ripen::test

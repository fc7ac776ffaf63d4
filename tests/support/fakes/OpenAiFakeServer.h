#pragma once

#include "support/FakeHttpServer.h"

#include <mutex>
#include <opencv2/core/mat.hpp>
#include <string>
#include <vector>

namespace ripen::test {

// OpenAI's Images API as its reference and SDK show it (providers.md §4):
// POST /v1/images/generations (JSON) and POST /v1/images/edits (multipart: "image" or
// repeated "image[]", optional "mask" PNG with alpha of the first image's size), answered
// with {"created", "data": [{"b64_json"}], "usage", ...}. Requests must carry
// "Authorization: Bearer kApiKey"; otherwise the fake answers 401 as OpenAI does, quoting
// a masked copy of the key. Shape problems are answered 400 and noted in problems().
// Tests override a route with server().reply(...) for fault modes.
class OpenAiFakeServer {
public:
    static constexpr const char* kApiKey = "sk-CANARY0openai0key0abcdefghijklmnop";

    OpenAiFakeServer();

    FakeHttpServer& server() { return m_server; }
    std::string baseUrl() const { return m_server.baseUrl(); }

    // Size of the PNG each reply carries (default 64 x 48).
    void setImageSize(int width, int height);

    std::vector<std::string> problems() const;
    // Bodies of generation requests as parsed JSON.
    std::vector<nlohmann::json> generationBodies() const;
    // The decoded mask of the last edit (BGRA), empty when it had none.
    cv::Mat lastMask() const;

    // {"error": {"message", "type", "param": null, "code"}} with HTTP `status`.
    static FakeReply error(int status, std::string type, std::string code, std::string message);
    // The safety rejection OpenAI sends for image prompts.
    static FakeReply moderationBlocked();
    // A 200 reply with `count` PNG images of the given size.
    static nlohmann::json imagesReply(int count, int width, int height);

private:
    FakeReply generations(const RecordedRequest& request);
    FakeReply edits(const RecordedRequest& request);
    std::optional<FakeReply> checkAuth(const RecordedRequest& request);
    FakeReply problem(std::string text);
    FakeReply success(int count);
    std::optional<std::string> checkEditFiles(const RecordedRequest& request);

    FakeHttpServer m_server;
    mutable std::mutex m_mutex;
    int m_width = 64;
    int m_height = 48;
    std::vector<std::string> m_problems;
    std::vector<nlohmann::json> m_generationBodies;
    cv::Mat m_lastMask;
};

} // namespace ripen::test

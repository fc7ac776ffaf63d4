#pragma once

#include "support/FakeHttpServer.h"

#include <mutex>
#include <string>
#include <vector>

namespace ripen::test {

// Kling's task API as its docs show it (providers.md §3): POST /v1/videos/image2video,
// GET /v1/videos/image2video/{task_id}, {code, message, request_id, data} envelopes, and
// the finished MP4 on a second server standing in for the CDN host. Every API request
// must carry a valid HS256 JWT for kAccessKey/kSecretKey (iss, exp = now+1800,
// nbf = now-5); otherwise the fake answers 401 with code 1002 and notes why.
class KlingFakeServer {
public:
    static constexpr const char* kAccessKey = "AKCANARY0kling0access";
    static constexpr const char* kSecretKey = "SKCANARY0kling0secret";

    KlingFakeServer();

    FakeHttpServer& api() { return m_api; }
    FakeHttpServer& cdn() { return m_cdn; }
    std::string baseUrl() const { return m_api.baseUrl(); }

    // The query says "processing" this many times before the final state.
    void setProcessingPolls(int polls);
    // The final state: "succeed" (default) or "failed" with task_status_msg.
    void setFinalStatus(std::string status, std::string message = {});
    void setVideo(std::string bytes);
    void setUnitDeduction(std::string units);

    // Create requests as received (parsed JSON bodies) and JWT problems seen.
    std::vector<nlohmann::json> createBodies() const;
    std::vector<std::string> authProblems() const;

    // {code, message, request_id} with HTTP `status`, as Kling reports business errors.
    static FakeReply businessError(int status, int code, std::string message);
    // A small real MP4 (OpenCV/FFmpeg), or an ftyp-headed stand-in when no encoder exists.
    static std::string testVideo();

private:
    FakeReply create(const RecordedRequest& request);
    FakeReply query(const RecordedRequest& request, const std::string& taskId);
    bool authorised(const RecordedRequest& request);

    FakeHttpServer m_api;
    FakeHttpServer m_cdn;
    mutable std::mutex m_mutex;
    int m_processingPolls = 1;
    std::string m_finalStatus = "succeed";
    std::string m_finalMessage;
    std::string m_video;
    std::string m_unitDeduction = "1.5";
    int m_tasks = 0;
    std::map<std::string, int> m_polls;
    std::vector<nlohmann::json> m_createBodies;
    std::vector<std::string> m_authProblems;
};

} // namespace ripen::test

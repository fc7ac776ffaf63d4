#pragma once

#include "providers/Credentials.h"
#include "support/FakeHttpServer.h"
#include "support/TempDir.h"
#include "support/TestImages.h"

#include <map>
#include <mutex>
#include <nlohmann/json.hpp>
#include <opencv2/videoio.hpp>
#include <optional>
#include <regex>
#include <string>
#include <string_view>
#include <vector>

// Header-only so that the test folder's *Test.cpp glob is all the build needs.
namespace ripen::test::google {

inline constexpr const char* kApiKey = "AIzaCANARYgoogle0key0000000000000000000";

// Credentials from a map, as the keychain or the environment would give them.
class MapCredentials final : public Credentials {
public:
    // GEMINI_API_KEY = kApiKey.
    MapCredentials() : m_values{{"GEMINI_API_KEY", kApiKey}} {}
    static MapCredentials none() { return MapCredentials(std::map<std::string, std::string>{}); }
    static MapCredentials with(std::string name, std::string value) {
        return MapCredentials(
            std::map<std::string, std::string>{{std::move(name), std::move(value)}});
    }
    std::optional<std::string> get(std::string_view name) const override {
        const auto it = m_values.find(std::string(name));
        return it == m_values.end() ? std::nullopt : std::optional<std::string>(it->second);
    }

private:
    explicit MapCredentials(std::map<std::string, std::string> values)
        : m_values(std::move(values)) {}
    std::map<std::string, std::string> m_values;
};

// A Google error reply as the Gemini API sends it: {"error": {code, message, status,
// details}} (providers.md §1.6).
inline FakeReply googleError(int httpStatus, std::string status, std::string message,
                             nlohmann::json details = nlohmann::json::array()) {
    return FakeReply::json(httpStatus, {{"error",
                                         {{"code", httpStatus},
                                          {"message", std::move(message)},
                                          {"status", std::move(status)},
                                          {"details", std::move(details)}}}});
}

inline std::string testPng(int width = 64, int height = 48, int seed = 1) {
    return encodeTestImage(makeTestImage(width, height, seed), ".png");
}

// A small real MP4 (OpenCV through FFmpeg); an ftyp-headed stand-in when no encoder works.
inline std::string testMp4() {
    TempDir dir;
    const auto path = dir / "clip.mp4";
    {
        cv::VideoWriter writer(path.string(), cv::VideoWriter::fourcc('m', 'p', '4', 'v'), 8,
                               cv::Size(64, 48));
        if (writer.isOpened()) {
            for (int i = 0; i < 8; ++i) {
                writer.write(makeTestImage(64, 48, i));
            }
        }
    }
    std::string bytes;
    if (std::filesystem::exists(path)) {
        bytes = readBytes(path);
    }
    if (bytes.size() < 64) {
        bytes = std::string("\0\0\0\x18"
                            "ftypisom\0\0\x02\0isomiso2",
                            24) +
                std::string("\0\0\0\x08"
                            "free",
                            8) +
                std::string(4096, '\x42');
    }
    return bytes;
}

// The Gemini API on loopback, speaking generateContent, predictLongRunning, operations
// and file downloads as providers.md §1-2 show them. Requests without the right
// x-goog-api-key header get Google's 400 API_KEY_INVALID reply; a key in the query string
// is recorded as a leak.
class GoogleFakeServer {
public:
    GoogleFakeServer() {
        m_server.on("POST", "/v1beta/models/([^/:]+):generateContent",
                    [this](const RecordedRequest& r) { return generate(r); });
        m_server.on("POST", "/v1beta/models/([^/:]+):predictLongRunning",
                    [this](const RecordedRequest& r) { return startVideo(r); });
        m_server.on("GET", "/v1beta/models/([^/:]+)/operations/([^/]+)",
                    [this](const RecordedRequest& r) { return operation(r); });
        m_server.on("GET", "/v1beta/files/([^/:]+):download",
                    [this](const RecordedRequest& r) { return download(r); });
        m_video = testMp4();
    }

    FakeHttpServer& server() { return m_server; }
    std::string baseUrl() const { return m_server.baseUrl(); }

    // generateContent replies, in order; the last repeats. Default: text, then an image.
    void setImageReplies(std::vector<FakeReply> replies) {
        std::lock_guard lock(m_mutex);
        m_imageReplies = std::move(replies);
        m_imageCalls = 0;
    }
    // A 200 generateContent reply whose parts are `parts` (usage and modelVersion added).
    static nlohmann::json contentReply(nlohmann::json parts, std::string finishReason = "STOP") {
        return {{"candidates", nlohmann::json::array(
                                   {{{"content", {{"role", "model"}, {"parts", std::move(parts)}}},
                                     {"finishReason", std::move(finishReason)},
                                     {"index", 0}}})},
                {"usageMetadata",
                 {{"promptTokenCount", 17},
                  {"candidatesTokenCount", 1306},
                  {"totalTokenCount", 1323},
                  {"candidatesTokensDetails",
                   nlohmann::json::array({{{"modality", "IMAGE"}, {"tokenCount", 1290}}})}}},
                {"modelVersion", "gemini-2.5-flash-image-preview"},
                {"responseId", "deO6aLeTE4fYvdIPuIm_kQQ"}};
    }
    static nlohmann::json imagePart(const std::string& bytes, std::string mime = "image/png") {
        return {{"inlineData", {{"mimeType", std::move(mime)}, {"data", base64(bytes)}}}};
    }

    // Veo: how many polls say "not done" before the operation finishes, and how.
    void setRunningPolls(int polls) {
        std::lock_guard lock(m_mutex);
        m_runningPolls = polls;
    }
    // The finished operation body (without name/done); default: one sample with a uri on
    // this server.
    void setFinalOperation(nlohmann::json body) {
        std::lock_guard lock(m_mutex);
        m_finalOperation = std::move(body);
    }
    // Download replies, in order; the last repeats. Default: the video bytes.
    void setDownloadReplies(std::vector<FakeReply> replies) {
        std::lock_guard lock(m_mutex);
        m_downloadReplies = std::move(replies);
        m_downloadCalls = 0;
    }
    const std::string& video() const { return m_video; }
    std::string videoUri(const std::string& id = "vid-1") const {
        return baseUrl() + "/v1beta/files/" + id + ":download?alt=media";
    }

    std::vector<nlohmann::json> bodies(std::string_view method) const {
        std::vector<nlohmann::json> out;
        for (const RecordedRequest& r : m_server.requests()) {
            if (r.method == "POST" && r.path.ends_with(method)) {
                out.push_back(nlohmann::json::parse(r.body));
            }
        }
        return out;
    }
    std::vector<std::string> keyProblems() const {
        std::lock_guard lock(m_mutex);
        return m_keyProblems;
    }
    int polls() const {
        std::lock_guard lock(m_mutex);
        return m_pollCount;
    }

    static std::string base64(std::string_view bytes) {
        static constexpr char kAlphabet[] =
            "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
        std::string out;
        std::size_t i = 0;
        for (; i + 2 < bytes.size(); i += 3) {
            const unsigned v = (static_cast<unsigned char>(bytes[i]) << 16) |
                               (static_cast<unsigned char>(bytes[i + 1]) << 8) |
                               static_cast<unsigned char>(bytes[i + 2]);
            out += {kAlphabet[v >> 18], kAlphabet[(v >> 12) & 63], kAlphabet[(v >> 6) & 63],
                    kAlphabet[v & 63]};
        }
        if (i + 1 == bytes.size()) {
            const unsigned v = static_cast<unsigned char>(bytes[i]) << 16;
            out += {kAlphabet[v >> 18], kAlphabet[(v >> 12) & 63], '=', '='};
        } else if (i + 2 == bytes.size()) {
            const unsigned v = (static_cast<unsigned char>(bytes[i]) << 16) |
                               (static_cast<unsigned char>(bytes[i + 1]) << 8);
            out += {kAlphabet[v >> 18], kAlphabet[(v >> 12) & 63], kAlphabet[(v >> 6) & 63], '='};
        }
        return out;
    }

private:
    std::optional<FakeReply> checkKey(const RecordedRequest& r) {
        if (r.param("key")) {
            std::lock_guard lock(m_mutex);
            m_keyProblems.push_back("key in the query string of " + r.path);
        }
        if (r.header("x-goog-api-key") != std::string(kApiKey)) {
            {
                std::lock_guard lock(m_mutex);
                m_keyProblems.push_back("missing or wrong x-goog-api-key on " + r.path);
            }
            return googleError(
                400, "INVALID_ARGUMENT", "API key not valid. Please pass a valid API key.",
                nlohmann::json::array({{{"@type", "type.googleapis.com/google.rpc.ErrorInfo"},
                                        {"reason", "API_KEY_INVALID"},
                                        {"domain", "googleapis.com"}}}));
        }
        return std::nullopt;
    }

    FakeReply generate(const RecordedRequest& r) {
        if (auto bad = checkKey(r)) {
            return *bad;
        }
        std::lock_guard lock(m_mutex);
        if (m_imageReplies.empty()) {
            return FakeReply::json(200,
                                   contentReply(nlohmann::json::array(
                                       {{{"text", "Here is your image:"}}, imagePart(testPng())})));
        }
        const std::size_t at = std::min(m_imageCalls++, m_imageReplies.size() - 1);
        return m_imageReplies[at];
    }

    FakeReply startVideo(const RecordedRequest& r) {
        if (auto bad = checkKey(r)) {
            return *bad;
        }
        static const std::regex route("/v1beta/models/([^/:]+):predictLongRunning");
        std::smatch match;
        const std::string path = r.path;
        std::regex_match(path, match, route);
        std::lock_guard lock(m_mutex);
        const std::string name =
            "models/" + match[1].str() + "/operations/op" + std::to_string(++m_operations);
        m_pollsOf[name] = 0;
        return FakeReply::json(200, {{"name", name}});
    }

    FakeReply operation(const RecordedRequest& r) {
        if (auto bad = checkKey(r)) {
            return *bad;
        }
        const std::string name = r.path.substr(std::string("/v1beta/").size());
        std::lock_guard lock(m_mutex);
        ++m_pollCount;
        const auto it = m_pollsOf.find(name);
        if (it == m_pollsOf.end()) {
            return googleError(404, "NOT_FOUND", "Operation not found: " + name);
        }
        if (it->second++ < m_runningPolls) {
            return FakeReply::json(200, {{"name", name},
                                         {"metadata",
                                          {{"@type", "type.googleapis.com/"
                                                     "google.ai.generativelanguage."
                                                     "v1beta.PredictLongRunningMetadata"}}}});
        }
        nlohmann::json body =
            m_finalOperation.is_null()
                ? nlohmann::json{{"response",
                                  {{"@type", "type.googleapis.com/google.ai."
                                             "generativelanguage.v1beta."
                                             "PredictLongRunningResponse"},
                                   {"generateVideoResponse",
                                    {{"generatedSamples",
                                      nlohmann::json::array(
                                          {{{"video", {{"uri", videoUri()}}}}})}}}}}}
                : m_finalOperation;
        body["name"] = name;
        body["done"] = true;
        return FakeReply::json(200, body);
    }

    FakeReply download(const RecordedRequest& r) {
        if (auto bad = checkKey(r)) {
            return *bad;
        }
        std::lock_guard lock(m_mutex);
        if (m_downloadReplies.empty()) {
            return FakeReply::bytes(m_video, "video/mp4");
        }
        const std::size_t at = std::min(m_downloadCalls++, m_downloadReplies.size() - 1);
        return m_downloadReplies[at];
    }

    FakeHttpServer m_server;
    mutable std::mutex m_mutex;
    std::vector<FakeReply> m_imageReplies;
    std::size_t m_imageCalls = 0;
    std::vector<FakeReply> m_downloadReplies;
    std::size_t m_downloadCalls = 0;
    int m_runningPolls = 2;
    int m_operations = 0;
    int m_pollCount = 0;
    std::map<std::string, int> m_pollsOf;
    nlohmann::json m_finalOperation;
    std::string m_video;
    std::vector<std::string> m_keyProblems;
};

} // namespace ripen::test::google

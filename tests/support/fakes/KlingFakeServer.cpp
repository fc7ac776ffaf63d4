#include "support/fakes/KlingFakeServer.h"

#include "providers/ProviderSupport.h"
#include "providers/kling/KlingJwt.h"
#include "support/TempDir.h"
#include "support/TestImages.h"

#include <algorithm>
#include <opencv2/imgproc.hpp>
#include <opencv2/videoio.hpp>

namespace ripen::test {

namespace {

std::string decodeBase64Url(std::string text) {
    std::replace(text.begin(), text.end(), '-', '+');
    std::replace(text.begin(), text.end(), '_', '/');
    auto decoded = providers::decodeBase64(text, 1 << 16);
    return decoded ? *decoded : std::string();
}

std::vector<std::string> splitDots(const std::string& token) {
    std::vector<std::string> parts;
    std::size_t start = 0;
    for (std::size_t dot; (dot = token.find('.', start)) != std::string::npos; start = dot + 1) {
        parts.push_back(token.substr(start, dot - start));
    }
    parts.push_back(token.substr(start));
    return parts;
}

nlohmann::json envelope(nlohmann::json data) {
    return {
        {"code", 0}, {"message", "SUCCEED"}, {"request_id", "req-fake"}, {"data", std::move(data)}};
}

} // namespace

KlingFakeServer::KlingFakeServer() : m_video(testVideo()) {
    m_api.on("POST", "/v1/videos/image2video",
             [this](const RecordedRequest& request) { return create(request); });
    m_api.on("GET", "/v1/videos/image2video/([^/]+)", [this](const RecordedRequest& request) {
        return query(request, request.path.substr(request.path.rfind('/') + 1));
    });
    m_cdn.on("GET", "/cdn/.*\\.mp4", [this](const RecordedRequest&) {
        std::lock_guard lock(m_mutex);
        return FakeReply::bytes(m_video, "video/mp4");
    });
}

void KlingFakeServer::setProcessingPolls(int polls) {
    std::lock_guard lock(m_mutex);
    m_processingPolls = polls;
}

void KlingFakeServer::setFinalStatus(std::string status, std::string message) {
    std::lock_guard lock(m_mutex);
    m_finalStatus = std::move(status);
    m_finalMessage = std::move(message);
}

void KlingFakeServer::setVideo(std::string bytes) {
    std::lock_guard lock(m_mutex);
    m_video = std::move(bytes);
}

void KlingFakeServer::setUnitDeduction(std::string units) {
    std::lock_guard lock(m_mutex);
    m_unitDeduction = std::move(units);
}

std::vector<nlohmann::json> KlingFakeServer::createBodies() const {
    std::lock_guard lock(m_mutex);
    return m_createBodies;
}

std::vector<std::string> KlingFakeServer::authProblems() const {
    std::lock_guard lock(m_mutex);
    return m_authProblems;
}

FakeReply KlingFakeServer::businessError(int status, int code, std::string message) {
    return FakeReply::json(
        status, {{"code", code}, {"message", std::move(message)}, {"request_id", "req-error"}});
}

std::string KlingFakeServer::testVideo() {
    TempDir dir;
    const auto path = dir / "clip.mp4";
    {
        cv::VideoWriter writer(path.string(), cv::CAP_FFMPEG,
                               cv::VideoWriter::fourcc('m', 'p', '4', 'v'), 8, {64, 48});
        if (writer.isOpened()) {
            for (int frame = 0; frame < 8; ++frame) {
                cv::Mat image = makeTestImage(64, 48, frame);
                writer.write(image);
            }
        }
    }
    std::error_code error;
    if (std::filesystem::file_size(path, error) > 0 && !error) {
        return readBytes(path);
    }
    // ISO BMFF header with an mp4 brand: enough for sniffing, not for decoding.
    return std::string("\0\0\0\x18"
                       "ftypisom\0\0\x02\0isommp41",
                       24) +
           std::string(4096, '\0');
}

bool KlingFakeServer::authorised(const RecordedRequest& request) {
    const auto header = request.header("Authorization").value_or("");
    std::string problem;
    const std::string prefix = "Bearer ";
    const auto parts = splitDots(header.rfind(prefix, 0) == 0 ? header.substr(prefix.size()) : "");
    if (parts.size() != 3) {
        problem = "no Bearer JWT";
    } else {
        const auto head = nlohmann::json::parse(decodeBase64Url(parts[0]), nullptr, false);
        const auto claims = nlohmann::json::parse(decodeBase64Url(parts[1]), nullptr, false);
        const auto now = std::chrono::duration_cast<std::chrono::seconds>(
                             std::chrono::system_clock::now().time_since_epoch())
                             .count();
        if (!head.is_object() || head.value("alg", "") != "HS256" ||
            head.value("typ", "") != "JWT") {
            problem = "header is not {alg: HS256, typ: JWT}";
        } else if (!claims.is_object() || claims.value("iss", "") != kAccessKey ||
                   !claims["exp"].is_number_integer() || !claims["nbf"].is_number_integer()) {
            problem = "claims lack iss/exp/nbf";
        } else if (std::abs(claims["exp"].get<std::int64_t>() - (now + 1800)) > 5 ||
                   claims["nbf"].get<std::int64_t>() != claims["exp"].get<std::int64_t>() - 1805) {
            problem = "exp/nbf are not now+1800 / now-5";
        } else {
            // Signed at exp - 1800: rebuilding the token must give the same signature.
            const auto issued = std::chrono::system_clock::time_point(
                std::chrono::seconds(claims["exp"].get<std::int64_t>() - 1800));
            auto expected = providers::kling::makeKlingJwt(kAccessKey, kSecretKey, issued);
            if (!expected || *expected != parts[0] + "." + parts[1] + "." + parts[2]) {
                problem = "signature does not verify with the secret key";
            }
        }
    }
    if (problem.empty()) {
        return true;
    }
    std::lock_guard lock(m_mutex);
    m_authProblems.push_back(problem);
    return false;
}

FakeReply KlingFakeServer::create(const RecordedRequest& request) {
    if (!authorised(request)) {
        return businessError(401, 1002, "Authorization is invalid");
    }
    const auto body = nlohmann::json::parse(request.body, nullptr, false);
    if (!body.is_object() || !body.contains("model_name") || !body["image"].is_string() ||
        body["image"].get<std::string>().empty() ||
        body["image"].get<std::string>().rfind("data:", 0) == 0 ||
        (body.contains("duration") && body["duration"] != "5" && body["duration"] != "10")) {
        return businessError(400, 1201, "Invalid request parameters");
    }
    std::lock_guard lock(m_mutex);
    m_createBodies.push_back(body);
    const std::string taskId = "tk" + std::to_string(++m_tasks);
    m_polls[taskId] = 0;
    return FakeReply::json(
        200, envelope({{"task_id", taskId},
                       {"task_status", "submitted"},
                       {"task_info", {{"external_task_id", body.value("external_task_id", "")}}},
                       {"created_at", 1722769557708},
                       {"updated_at", 1722769557708}}));
}

FakeReply KlingFakeServer::query(const RecordedRequest& request, const std::string& taskId) {
    if (!authorised(request)) {
        return businessError(401, 1002, "Authorization is invalid");
    }
    std::lock_guard lock(m_mutex);
    const auto it = m_polls.find(taskId);
    if (it == m_polls.end()) {
        return businessError(404, 1203, "task not found");
    }
    nlohmann::json data = {
        {"task_id", taskId}, {"created_at", 1722769557708}, {"updated_at", 1722769600000}};
    if (it->second++ < m_processingPolls) {
        data["task_status"] = "processing";
    } else if (m_finalStatus == "succeed") {
        data["task_status"] = "succeed";
        data["final_unit_deduction"] = m_unitDeduction;
        data["task_result"] = {{"videos",
                                {{{"id", "vid-" + taskId},
                                  {"url", m_cdn.baseUrl() + "/cdn/" + taskId + ".mp4"},
                                  {"duration", "5.1"}}}}};
    } else {
        data["task_status"] = m_finalStatus;
        data["task_status_msg"] = m_finalMessage;
    }
    return FakeReply::json(200, envelope(data));
}

} // namespace ripen::test

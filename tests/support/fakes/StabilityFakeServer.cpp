#include "support/fakes/StabilityFakeServer.h"

#include "providers/ProviderSupport.h"
#include "support/TestImages.h"

#include <cstdio>
#include <opencv2/imgcodecs.hpp>

namespace ripen::test {

namespace {

using Json = nlohmann::json;

cv::Mat decodeUnchanged(const std::string& bytes) {
    const std::vector<unsigned char> data(bytes.begin(), bytes.end());
    return cv::imdecode(data, cv::IMREAD_UNCHANGED);
}

std::string generationId(int number) {
    char text[65];
    std::snprintf(text, sizeof text, "%064x", number + 0xa11ce);
    return text;
}

} // namespace

StabilityFakeServer::StabilityFakeServer() {
    for (const std::string operation :
         {"upscale/fast", "upscale/conservative", "edit/inpaint", "edit/erase"}) {
        m_server.on(
            "POST", "/v2beta/stable-image/" + operation,
            [this, operation](const RecordedRequest& request) { return sync(request, operation); });
    }
    m_server.on("POST", "/v2beta/stable-image/upscale/creative",
                [this](const RecordedRequest& request) { return creative(request); });
    m_server.on("GET", "/v2beta/results/([^/]+)", [this](const RecordedRequest& request) {
        return result(request, request.path.substr(request.path.rfind('/') + 1));
    });
}

void StabilityFakeServer::setImageSize(int width, int height) {
    std::lock_guard lock(m_mutex);
    m_width = width;
    m_height = height;
}

void StabilityFakeServer::setFinishReason(std::string reason) {
    std::lock_guard lock(m_mutex);
    m_finishReason = std::move(reason);
}

void StabilityFakeServer::setPendingPolls(int polls) {
    std::lock_guard lock(m_mutex);
    m_pendingPolls = polls;
}

std::vector<std::string> StabilityFakeServer::problems() const {
    std::lock_guard lock(m_mutex);
    return m_problems;
}

cv::Mat StabilityFakeServer::lastMask() const {
    std::lock_guard lock(m_mutex);
    return m_lastMask.clone();
}

FakeReply StabilityFakeServer::error(int status, std::string name, std::string message) {
    return FakeReply::json(status, {{"id", "e0f1a2b3c4d5"},
                                    {"name", std::move(name)},
                                    {"errors", Json::array({std::move(message)})}});
}

FakeReply StabilityFakeServer::problem(std::string text) {
    std::lock_guard lock(m_mutex);
    m_problems.push_back(text);
    return error(400, "bad_request", std::move(text));
}

std::optional<FakeReply> StabilityFakeServer::checkCommon(const RecordedRequest& request,
                                                          bool needsPrompt) {
    if (request.header("Authorization") != std::string("Bearer ") + kApiKey) {
        return error(401, "unauthorized", "missing or invalid authorization header");
    }
    if (request.header("Content-Type").value_or("").rfind("multipart/form-data", 0) != 0) {
        return problem("content-type: must be multipart/form-data");
    }
    const RecordedFile* image = request.file("image");
    if (image == nullptr || decodeUnchanged(image->content).empty()) {
        return problem("image: required");
    }
    if (needsPrompt && request.formFields.count("prompt") == 0) {
        return problem("prompt: required");
    }
    return std::nullopt;
}

FakeReply StabilityFakeServer::image(const RecordedRequest& request) {
    std::lock_guard lock(m_mutex);
    const auto png = encodeTestImage(makeTestImage(m_width, m_height, 3), ".png");
    if (request.header("Accept").value_or("") == "application/json") {
        return FakeReply::json(200, {{"image", providers::encodeBase64(png)},
                                     {"seed", kSeed},
                                     {"finish_reason", m_finishReason}});
    }
    auto reply = FakeReply::bytes(png, "image/png");
    reply.withHeader("finish-reason", m_finishReason);
    reply.withHeader("seed", std::to_string(kSeed));
    return reply;
}

FakeReply StabilityFakeServer::sync(const RecordedRequest& request, const std::string& operation) {
    const bool needsPrompt = operation == "upscale/conservative" || operation == "edit/inpaint";
    if (auto rejected = checkCommon(request, needsPrompt)) {
        return *rejected;
    }
    if (const RecordedFile* mask = request.file("mask")) {
        const cv::Mat decoded = decodeUnchanged(mask->content);
        if (decoded.empty()) {
            return problem("mask: not an image");
        }
        std::lock_guard lock(m_mutex);
        m_lastMask = decoded;
    }
    return image(request);
}

FakeReply StabilityFakeServer::creative(const RecordedRequest& request) {
    if (auto rejected = checkCommon(request, true)) {
        return *rejected;
    }
    std::lock_guard lock(m_mutex);
    const auto id = generationId(++m_generations);
    m_polls[id] = 0;
    return FakeReply::json(200, {{"id", id}});
}

FakeReply StabilityFakeServer::result(const RecordedRequest& request, const std::string& id) {
    if (request.header("Authorization") != std::string("Bearer ") + kApiKey) {
        return error(401, "unauthorized", "missing or invalid authorization header");
    }
    {
        std::lock_guard lock(m_mutex);
        const auto it = m_polls.find(id);
        if (it == m_polls.end()) {
            return error(404, "not_found", "generation " + id + " was not found or has expired");
        }
        if (it->second++ < m_pendingPolls) {
            return FakeReply::json(202, {{"id", id}, {"status", "in-progress"}});
        }
    }
    return image(request);
}

} // namespace ripen::test

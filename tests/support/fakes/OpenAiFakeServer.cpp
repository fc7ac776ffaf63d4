#include "support/fakes/OpenAiFakeServer.h"

#include "providers/ProviderSupport.h"
#include "support/TestImages.h"

#include <opencv2/imgcodecs.hpp>

namespace ripen::test {

namespace {

using Json = nlohmann::json;

cv::Mat decodeUnchanged(const std::string& bytes) {
    const std::vector<unsigned char> data(bytes.begin(), bytes.end());
    return cv::imdecode(data, cv::IMREAD_UNCHANGED);
}

int parseCount(const Json& value) {
    return value.is_number_integer() ? value.get<int>() : 1;
}

} // namespace

OpenAiFakeServer::OpenAiFakeServer() {
    m_server.on("POST", "/v1/images/generations",
                [this](const RecordedRequest& request) { return generations(request); });
    m_server.on("POST", "/v1/images/edits",
                [this](const RecordedRequest& request) { return edits(request); });
}

void OpenAiFakeServer::setImageSize(int width, int height) {
    std::lock_guard lock(m_mutex);
    m_width = width;
    m_height = height;
}

std::vector<std::string> OpenAiFakeServer::problems() const {
    std::lock_guard lock(m_mutex);
    return m_problems;
}

std::vector<nlohmann::json> OpenAiFakeServer::generationBodies() const {
    std::lock_guard lock(m_mutex);
    return m_generationBodies;
}

cv::Mat OpenAiFakeServer::lastMask() const {
    std::lock_guard lock(m_mutex);
    return m_lastMask.clone();
}

FakeReply OpenAiFakeServer::error(int status, std::string type, std::string code,
                                  std::string message) {
    return FakeReply::json(status, {{"error",
                                     {{"message", std::move(message)},
                                      {"type", std::move(type)},
                                      {"param", nullptr},
                                      {"code", std::move(code)}}}});
}

FakeReply OpenAiFakeServer::moderationBlocked() {
    return error(400, "image_generation_user_error", "moderation_blocked",
                 "Your request was rejected as a result of our safety system. Your request may "
                 "contain content that is not allowed by our safety system.");
}

Json OpenAiFakeServer::imagesReply(int count, int width, int height) {
    Json data = Json::array();
    for (int i = 0; i < count; ++i) {
        const auto png = encodeTestImage(makeTestImage(width, height, 7 + i), ".png");
        data.push_back({{"b64_json", providers::encodeBase64(png)}});
    }
    return {{"created", 1713833628},
            {"data", data},
            {"background", "opaque"},
            {"output_format", "png"},
            {"quality", "high"},
            {"size", "1024x1024"},
            {"usage",
             {{"input_tokens", 50},
              {"input_tokens_details", {{"text_tokens", 50}, {"image_tokens", 0}}},
              {"output_tokens", 4160},
              {"total_tokens", 4210}}}};
}

std::optional<FakeReply> OpenAiFakeServer::checkAuth(const RecordedRequest& request) {
    if (request.header("Authorization") == std::string("Bearer ") + kApiKey) {
        return std::nullopt;
    }
    // OpenAI quotes a masked copy of the key it rejected.
    return error(401, "invalid_request_error", "invalid_api_key",
                 std::string("Incorrect API key provided: ") + std::string(kApiKey).substr(0, 9) +
                     "*****mnop. You can find your API key at "
                     "https://platform.openai.com/account/api-keys.");
}

FakeReply OpenAiFakeServer::problem(std::string text) {
    std::lock_guard lock(m_mutex);
    m_problems.push_back(text);
    return error(400, "invalid_request_error", "invalid_value", std::move(text));
}

FakeReply OpenAiFakeServer::success(int count) {
    std::lock_guard lock(m_mutex);
    return FakeReply::json(200, imagesReply(count, m_width, m_height));
}

FakeReply OpenAiFakeServer::generations(const RecordedRequest& request) {
    if (auto denied = checkAuth(request)) {
        return *denied;
    }
    if (request.header("Content-Type").value_or("").rfind("application/json", 0) != 0) {
        return problem("generations: Content-Type is not application/json");
    }
    const auto body = Json::parse(request.body, nullptr, false);
    if (!body.is_object() || !body.value("prompt", Json()).is_string() ||
        !body.value("model", Json()).is_string()) {
        return problem("generations: body lacks model or prompt");
    }
    if (body.contains("response_format")) {
        return problem("generations: response_format is not supported for GPT image models");
    }
    {
        std::lock_guard lock(m_mutex);
        m_generationBodies.push_back(body);
    }
    return success(parseCount(body.value("n", Json())));
}

std::optional<std::string> OpenAiFakeServer::checkEditFiles(const RecordedRequest& request) {
    std::vector<const RecordedFile*> images;
    for (const auto& file : request.files) {
        if (file.name == "image" || file.name == "image[]") {
            images.push_back(&file);
        }
    }
    if (images.empty()) {
        return "edits: no image part";
    }
    const cv::Mat first = decodeUnchanged(images.front()->content);
    if (first.empty()) {
        return "edits: the first image does not decode";
    }
    const RecordedFile* mask = request.file("mask");
    if (mask == nullptr) {
        return std::nullopt;
    }
    const cv::Mat decoded = decodeUnchanged(mask->content);
    if (decoded.empty() || decoded.channels() != 4) {
        return "edits: the mask is not a PNG with an alpha channel";
    }
    if (decoded.size() != first.size()) {
        return "edits: the mask is not the size of the first image";
    }
    std::lock_guard lock(m_mutex);
    m_lastMask = decoded;
    return std::nullopt;
}

FakeReply OpenAiFakeServer::edits(const RecordedRequest& request) {
    if (auto denied = checkAuth(request)) {
        return *denied;
    }
    if (request.header("Content-Type").value_or("").rfind("multipart/form-data", 0) != 0) {
        return problem("edits: Content-Type is not multipart/form-data");
    }
    if (!request.formFields.contains("prompt") || !request.formFields.contains("model")) {
        return problem("edits: prompt or model missing");
    }
    if (auto issue = checkEditFiles(request)) {
        return problem(*issue);
    }
    const auto n = request.formFields.contains("n") ? std::stoi(request.formFields.at("n")) : 1;
    return success(n);
}

} // namespace ripen::test

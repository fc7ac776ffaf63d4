#include "providers/kling/KlingProvider.h"

#include "common/FileIo.h"
#include "imaging/ImageHeader.h"
#include "imaging/MediaFormat.h"
#include "providers/ProviderSupport.h"
#include "providers/kling/KlingJwt.h"
#include "providers/kling/KlingReply.h"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <system_error>

namespace ripen::providers::kling {

namespace {

using Kind = ProviderFailure::Kind;

constexpr const char* kTaskPath = "/v1/videos/image2video";
constexpr int kMinImageSide = 300; // Kling refuses smaller keyframes
constexpr double kMaxAspect = 2.5; // ... and anything wider or taller than 1:2.5

ProviderFailure failure(Kind kind, std::string message, int status = 0) {
    return ProviderFailure{kind, std::move(message), status, std::nullopt, std::nullopt};
}

ProviderOutcome<std::string> keyframeBase64(const std::filesystem::path& path,
                                            std::uint64_t maxBytes) {
    auto bytes = readFileBounded(path, maxBytes);
    if (!bytes) {
        return std::unexpected(
            failure(Kind::Permanent, "keyframe for Kling: " + bytes.error().message));
    }
    auto header = readImageHeader(*bytes);
    if (!header || (header->format != MediaFormat::Png && header->format != MediaFormat::Jpeg)) {
        return std::unexpected(failure(Kind::Permanent, "Kling takes a PNG or JPEG keyframe; " +
                                                            path.string() + " is not one"));
    }
    const double width = header->width;
    const double height = header->height;
    if (header->width < kMinImageSide || header->height < kMinImageSide ||
        width / height > kMaxAspect || height / width > kMaxAspect) {
        return std::unexpected(failure(
            Kind::Permanent, "Kling needs a keyframe of at least 300 px a side and an aspect "
                             "ratio between 1:2.5 and 2.5:1; " +
                                 path.string() + " is " + std::to_string(header->width) + "x" +
                                 std::to_string(header->height)));
    }
    return encodeBase64(*bytes);
}

} // namespace

KlingProvider::KlingProvider() : KlingProvider(Settings{}) {}

KlingProvider::KlingProvider(Settings settings) : m_settings(std::move(settings)) {}

std::vector<std::string> KlingProvider::defaultBaseUrls() const {
    return {"https://api-singapore.klingai.com"};
}

std::string KlingProvider::missingConfiguration(const Credentials& credentials) const {
    const auto access = credentials.get(kAccessKeyVariable);
    const auto secret = credentials.get(kSecretKeyVariable);
    if (access && !access->empty() && secret && !secret->empty()) {
        return {};
    }
    return "set KLING_ACCESS_KEY and KLING_SECRET_KEY or add the Kling keys in Settings";
}

std::chrono::milliseconds KlingProvider::pollInterval(int attempt) const {
    return std::chrono::milliseconds(attempt < 3 ? 5'000 : 15'000);
}

ProviderOutcome<std::string> KlingProvider::authorization(const ProviderContext& context) const {
    const auto access = context.credentials.get(kAccessKeyVariable);
    const auto secret = context.credentials.get(kSecretKeyVariable);
    if (!access || access->empty() || !secret || secret->empty()) {
        return std::unexpected(
            failure(Kind::NotConfigured, missingConfiguration(context.credentials)));
    }
    auto token = makeKlingJwt(*access, *secret, std::chrono::system_clock::now());
    if (!token) {
        return std::unexpected(failure(Kind::NotConfigured, token.error().message));
    }
    return "Bearer " + *token;
}

http::Request KlingProvider::apiRequest(std::string method, std::string url,
                                        std::string bearer) const {
    http::Request request;
    request.method = std::move(method);
    request.url = std::move(url);
    request.headers.push_back({"Authorization", std::move(bearer), true});
    request.headers.push_back({"Accept", "application/json", false});
    request.connectTimeout = m_settings.connectTimeout;
    request.deadline = m_settings.requestDeadline;
    request.maxResponseBytes = 4ULL << 20; // task JSON is small; a bigger reply is hostile
    return request;
}

ProviderOutcome<nlohmann::json>
KlingProvider::buildCreateBody(const ProviderContext& context,
                               const GenerationRequest& request) const {
    if (request.kind != JobKind::ImageToVideo) {
        return std::unexpected(
            failure(Kind::Permanent, "Kling only animates a keyframe into a clip"));
    }
    nlohmann::json body = nlohmann::json::object();
    body["model_name"] = request.model.empty() ? m_settings.defaultModel : request.model;
    const auto url =
        request.options.is_object() ? request.options.find("image_url") : request.options.end();
    if (url != request.options.end() && url->is_string()) {
        body["image"] = url->get<std::string>(); // Kling fetches it itself
    } else if (!request.images.empty()) {
        auto image = keyframeBase64(request.images.front(), m_settings.maxInputImageBytes);
        if (!image) {
            return std::unexpected(image.error());
        }
        body["image"] = std::move(*image); // raw base64, no data: prefix (documented)
        if (request.images.size() > 1) {
            auto tail = keyframeBase64(request.images[1], m_settings.maxInputImageBytes);
            if (!tail) {
                return std::unexpected(tail.error());
            }
            body["image_tail"] = std::move(*tail);
        }
    } else {
        return std::unexpected(failure(Kind::Permanent, "Kling image-to-video needs a keyframe"));
    }
    if (request.durationSeconds != 0 && request.durationSeconds != 5 &&
        request.durationSeconds != 10) {
        return std::unexpected(
            failure(Kind::Permanent, "Kling makes 5 or 10 second clips, not " +
                                         std::to_string(request.durationSeconds)));
    }
    body["duration"] = request.durationSeconds == 10 ? "10" : "5";
    if (!request.prompt.empty()) {
        body["prompt"] = request.prompt;
    }
    if (!request.negativePrompt.empty()) {
        body["negative_prompt"] = request.negativePrompt;
    }
    const auto& options = request.options;
    std::string mode = "std";
    if (options.is_object() && options.contains("mode")) {
        if (!options["mode"].is_string() ||
            (options["mode"] != "std" && options["mode"] != "pro")) {
            return std::unexpected(
                failure(Kind::Permanent, "Kling mode must be \"std\" or \"pro\""));
        }
        mode = options["mode"].get<std::string>();
    }
    body["mode"] = mode;
    if (options.is_object() && options.contains("cfg_scale")) {
        const auto& cfg = options["cfg_scale"];
        if (!cfg.is_number() || cfg.get<double>() < 0.0 || cfg.get<double>() > 1.0) {
            return std::unexpected(failure(Kind::Permanent, "Kling cfg_scale must be within 0..1"));
        }
        body["cfg_scale"] = cfg.get<double>();
    }
    // The job key doubles as Kling's external task id: unique per account, so a resent
    // create is refused instead of charged twice, and the task can be looked up by it.
    if (!context.jobKey.empty() && isSafeKlingId(context.jobKey)) {
        body["external_task_id"] = context.jobKey;
    }
    return body;
}

ProviderOutcome<ProviderResult> KlingProvider::submit(const ProviderContext& context,
                                                      const GenerationRequest& request) {
    auto body = buildCreateBody(context, request);
    if (!body) {
        return std::unexpected(body.error());
    }
    auto bearer = authorization(context);
    if (!bearer) {
        return std::unexpected(bearer.error());
    }
    http::Request post = apiRequest("POST", context.baseUrl + kTaskPath, std::move(*bearer));
    post.headers.push_back({"Content-Type", "application/json", false});
    post.body = body->dump();

    auto response = context.http.perform(post, context.stop);
    if (!response) {
        return std::unexpected(failureFromTransport(response.error(), false));
    }
    auto data = readKlingReply(*response, Kind::Ambiguous);
    if (!data) {
        return std::unexpected(data.error());
    }
    const std::string taskId = klingString(*data, "task_id");
    if (!isSafeKlingId(taskId)) {
        return std::unexpected(failure(Kind::Ambiguous,
                                       "Kling accepted the task but its reply "
                                       "has no usable task_id",
                                       response->status));
    }
    ProviderResult result;
    result.state = ProviderResult::State::Running;
    result.operationId = taskId;
    result.modelVersion = (*body)["model_name"].get<std::string>();
    result.info = {{"task_id", taskId}, {"request_id", klingString(*data, "request_id")}};
    if (body->contains("external_task_id")) {
        result.info["external_task_id"] = (*body)["external_task_id"];
    }
    return result;
}

ProviderOutcome<ProviderResult> KlingProvider::poll(const ProviderContext& context,
                                                    const std::string& operationId,
                                                    const GenerationRequest& request) {
    if (!isSafeKlingId(operationId)) {
        return std::unexpected(failure(Kind::Permanent, "not a Kling task id: " + operationId));
    }
    auto bearer = authorization(context);
    if (!bearer) {
        return std::unexpected(bearer.error());
    }
    const auto get =
        apiRequest("GET", context.baseUrl + kTaskPath + "/" + operationId, std::move(*bearer));
    auto response = context.http.perform(get, context.stop);
    if (!response) {
        return std::unexpected(failureFromTransport(response.error(), true));
    }
    auto data = readKlingReply(*response, Kind::Retryable);
    if (!data) {
        return std::unexpected(data.error());
    }
    auto task = readKlingTask(*data, response->status);
    if (!task) {
        return std::unexpected(task.error());
    }
    if (task->running()) {
        ProviderResult running;
        running.state = ProviderResult::State::Running;
        running.operationId = operationId;
        running.info = {{"task_status", task->status}};
        return running;
    }
    return finish(context, *task, request);
}

ProviderOutcome<ProviderResult> KlingProvider::finish(const ProviderContext& context,
                                                      const KlingTask& task,
                                                      const GenerationRequest& request) const {
    ProviderResult result;
    result.state = ProviderResult::State::Done;
    result.modelVersion = request.model.empty() ? m_settings.defaultModel : request.model;
    result.info = {{"task_id", task.taskId},
                   {"request_id", task.requestId},
                   {"videos", nlohmann::json::array()}};
    for (const KlingVideo& video : task.videos) {
        // The CDN gets no Authorization header: the JWT is for the API host only.
        http::Request download;
        download.url = video.url;
        download.connectTimeout = m_settings.connectTimeout;
        download.deadline = m_settings.downloadDeadline;
        download.maxResponseBytes = m_settings.maxVideoBytes;
        download.downloadDir = context.workDir;
        download.followRedirects = true;
        auto response = context.http.perform(download, context.stop);
        if (!response) {
            return std::unexpected(failureFromTransport(response.error(), true));
        }
        if (response->status < 200 || response->status > 299 || !response->file) {
            if (response->file) {
                std::error_code ignored;
                std::filesystem::remove(*response->file, ignored);
            }
            auto failed = failureFromStatus(*response, "Kling video download failed");
            return std::unexpected(failed);
        }
        auto file = adoptDownloadedFile(*response->file);
        if (!file || file->mimeType.rfind("video/", 0) != 0) {
            std::error_code ignored;
            std::filesystem::remove(*response->file, ignored);
            return std::unexpected(failure(Kind::Permanent, "Kling's download is not a video"));
        }
        result.outputs.push_back(std::move(*file));
        result.info["videos"].push_back({{"id", video.id}, {"duration", video.duration}});
    }
    if (!task.unitDeduction.is_null()) {
        result.usage.raw["final_unit_deduction"] = task.unitDeduction;
        if (task.costMicros) {
            result.usage.costMicros = *task.costMicros;
            result.usage.unit = "credits";
        }
    }
    return result;
}

} // namespace ripen::providers::kling

#include "providers/kling/KlingProvider.h"

#include "common/FileIo.h"
#include "imaging/ImageHeader.h"
#include "imaging/MediaFormat.h"
#include "providers/ProviderSupport.h"
#include "providers/kling/KlingJwt.h"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <system_error>

namespace ripen::providers::kling {

namespace {

using Kind = ProviderFailure::Kind;

constexpr const char* kTaskPath = "/v1/videos/image2video";
constexpr std::size_t kMaxIdLength = 128;
constexpr int kMinImageSide = 300; // Kling refuses smaller keyframes
constexpr double kMaxAspect = 2.5; // ... and anything wider or taller than 1:2.5

ProviderFailure failure(Kind kind, std::string message, int status = 0) {
    return ProviderFailure{kind, std::move(message), status, std::nullopt, std::nullopt};
}

std::string stringField(const nlohmann::json& object, const char* key) {
    if (!object.is_object()) {
        return {};
    }
    const auto it = object.find(key);
    return it != object.end() && it->is_string() ? it->get<std::string>() : std::string();
}

// Kling's business code decides the class, not the HTTP status: a 429 with 1102 means the
// resource pack is empty (retrying cannot help), while 1302/1303 are real rate limits.
Kind kindForCode(std::int64_t code, Kind fallback) {
    if (code == 1300 || code == 1301) {
        return Kind::Blocked;
    }
    if (code == 1302 || code == 1303 || (code >= 5000 && code <= 5999)) {
        return Kind::Retryable;
    }
    return code == 0 ? fallback : Kind::Permanent;
}

std::string codeHint(std::int64_t code) {
    if (code == 1003 || code == 1004) {
        return " (the token's time window was refused: check the system clock)";
    }
    if (code >= 1000 && code <= 1002) {
        return " (check KLING_ACCESS_KEY and KLING_SECRET_KEY)";
    }
    return {};
}

// A reply that is an error, by HTTP status or by a non-zero `code` in its body.
ProviderFailure errorFromReply(const http::Response& response, const nlohmann::json* body) {
    std::int64_t code = 0;
    std::string message;
    if (body != nullptr && body->is_object()) {
        if (const auto it = body->find("code"); it != body->end() && it->is_number_integer()) {
            code = it->get<std::int64_t>();
        }
        message = stringField(*body, "message");
    }
    std::string text = "Kling";
    if (code != 0) {
        text += " error " + std::to_string(code);
    }
    text += message.empty() ? std::string() : ": " + message;
    text += codeHint(code);

    ProviderFailure result;
    if (response.status < 200 || response.status > 299) {
        result = failureFromStatus(response, body != nullptr ? text : std::string());
    } else {
        result = failure(Kind::Permanent, text, response.status);
    }
    result.kind = kindForCode(code, result.kind);
    return result;
}

// The `data` object of a successful reply, or the failure the reply stands for.
// `unreadable` is the class of a 2xx reply that cannot be read: after a create POST the
// task may exist (Ambiguous), after a query it is simply asked again (Retryable).
ProviderOutcome<nlohmann::json> replyData(const http::Response& response, Kind unreadable) {
    auto body = parseJsonReply(response, "Kling reply");
    const bool success = response.status >= 200 && response.status <= 299;
    if (!body) {
        if (!success) {
            return std::unexpected(errorFromReply(response, nullptr));
        }
        return std::unexpected(failure(unreadable, body.error().message, response.status));
    }
    const auto codeIt = body->is_object() ? body->find("code") : body->end();
    const bool codeOk = body->is_object() && codeIt != body->end() && codeIt->is_number_integer() &&
                        codeIt->get<std::int64_t>() == 0;
    if (!success || !codeOk) {
        if (success && (codeIt == body->end() || !codeIt->is_number_integer())) {
            return std::unexpected(
                failure(unreadable, "Kling reply has no numeric \"code\"", response.status));
        }
        return std::unexpected(errorFromReply(response, &*body));
    }
    const auto dataIt = body->find("data");
    if (dataIt == body->end() || !dataIt->is_object()) {
        return std::unexpected(
            failure(unreadable, "Kling reply has no \"data\" object", response.status));
    }
    nlohmann::json data = std::move(*dataIt);
    if (const auto requestId = stringField(*body, "request_id"); !requestId.empty()) {
        data["request_id"] = requestId;
    }
    return data;
}

bool isSafeId(std::string_view id) {
    return !id.empty() && id.size() <= kMaxIdLength &&
           std::all_of(id.begin(), id.end(), [](char c) {
               return std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_' ||
                      c == '.';
           });
}

// "1.5" units -> 1'500'000 micro-units, exactly; nullopt for anything else.
std::optional<std::int64_t> unitsToMicros(const nlohmann::json& value) {
    if (value.is_number_integer()) {
        return value.get<std::int64_t>() * 1'000'000;
    }
    if (!value.is_string()) {
        return std::nullopt;
    }
    const std::string text = value.get<std::string>();
    const auto dot = text.find('.');
    const std::string whole = text.substr(0, dot);
    std::string fraction = dot == std::string::npos ? std::string() : text.substr(dot + 1);
    if (whole.empty() || whole.size() > 12 || fraction.size() > 6) {
        return std::nullopt;
    }
    fraction.resize(6, '0');
    std::int64_t units = 0;
    std::int64_t micros = 0;
    const auto r1 = std::from_chars(whole.data(), whole.data() + whole.size(), units);
    const auto r2 = std::from_chars(fraction.data(), fraction.data() + fraction.size(), micros);
    if (r1.ec != std::errc{} || r1.ptr != whole.data() + whole.size() || r2.ec != std::errc{} ||
        r2.ptr != fraction.data() + fraction.size() || units < 0 || micros < 0) {
        return std::nullopt;
    }
    return units * 1'000'000 + micros;
}

// Kling describes failed tasks in words; its content checks say "risk" or "security".
bool looksLikeSafetyFailure(std::string message) {
    std::transform(message.begin(), message.end(), message.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    for (const char* word : {"risk", "safety", "security", "sensitive", "moderation", "policy"}) {
        if (message.find(word) != std::string::npos) {
            return true;
        }
    }
    return false;
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
    if (!context.jobKey.empty() && isSafeId(context.jobKey)) {
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
    auto data = replyData(*response, Kind::Ambiguous);
    if (!data) {
        return std::unexpected(data.error());
    }
    const std::string taskId = stringField(*data, "task_id");
    if (!isSafeId(taskId)) {
        return std::unexpected(failure(Kind::Ambiguous,
                                       "Kling accepted the task but its reply "
                                       "has no usable task_id",
                                       response->status));
    }
    ProviderResult result;
    result.state = ProviderResult::State::Running;
    result.operationId = taskId;
    result.modelVersion = (*body)["model_name"].get<std::string>();
    result.info = {{"task_id", taskId}, {"request_id", stringField(*data, "request_id")}};
    if (body->contains("external_task_id")) {
        result.info["external_task_id"] = (*body)["external_task_id"];
    }
    return result;
}

ProviderOutcome<ProviderResult> KlingProvider::poll(const ProviderContext& context,
                                                    const std::string& operationId,
                                                    const GenerationRequest& request) {
    if (!isSafeId(operationId)) {
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
    auto data = replyData(*response, Kind::Retryable);
    if (!data) {
        return std::unexpected(data.error());
    }
    const std::string status = stringField(*data, "task_status");
    if (status == "submitted" || status == "processing") {
        ProviderResult running;
        running.state = ProviderResult::State::Running;
        running.operationId = operationId;
        running.info = {{"task_status", status}};
        return running;
    }
    if (status == "failed") {
        std::string reason = stringField(*data, "task_status_msg");
        const Kind kind = looksLikeSafetyFailure(reason) ? Kind::Blocked : Kind::Permanent;
        return std::unexpected(failure(
            kind,
            "Kling task failed: " + (reason.empty() ? std::string("no reason given") : reason),
            response->status));
    }
    if (status != "succeed") {
        return std::unexpected(failure(Kind::Permanent, "Kling task is in an unknown state \"" +
                                                            status.substr(0, 40) + "\""));
    }
    return finish(context, *data, request);
}

ProviderOutcome<ProviderResult> KlingProvider::finish(const ProviderContext& context,
                                                      const nlohmann::json& data,
                                                      const GenerationRequest& request) const {
    const auto resultIt = data.find("task_result");
    const nlohmann::json* videos = nullptr;
    if (resultIt != data.end() && resultIt->is_object()) {
        const auto it = resultIt->find("videos");
        videos = it != resultIt->end() && it->is_array() ? &*it : nullptr;
    }
    if (videos == nullptr || videos->empty()) {
        return std::unexpected(
            failure(Kind::Permanent, "Kling reports success but lists no video"));
    }
    ProviderResult result;
    result.state = ProviderResult::State::Done;
    result.modelVersion = request.model.empty() ? m_settings.defaultModel : request.model;
    result.info = {{"task_id", stringField(data, "task_id")},
                   {"request_id", stringField(data, "request_id")},
                   {"videos", nlohmann::json::array()}};
    for (const auto& video : *videos) {
        const std::string url = stringField(video, "url");
        if (url.rfind("https://", 0) != 0 && url.rfind("http://", 0) != 0) {
            return std::unexpected(failure(Kind::Permanent, "Kling listed a video without a URL"));
        }
        // The CDN gets no Authorization header: the JWT is for the API host only.
        http::Request download;
        download.url = url;
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
        result.info["videos"].push_back(
            {{"id", stringField(video, "id")}, {"duration", stringField(video, "duration")}});
    }
    if (const auto it = data.find("final_unit_deduction"); it != data.end()) {
        result.usage.raw["final_unit_deduction"] = *it;
        if (auto micros = unitsToMicros(*it)) {
            result.usage.costMicros = *micros;
            result.usage.unit = "credits";
        }
    }
    return result;
}

} // namespace ripen::providers::kling

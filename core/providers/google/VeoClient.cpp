#include "providers/google/VeoClient.h"

#include "common/AtomicFileWriter.h"
#include "common/BoundedJson.h"
#include "common/FileIo.h"
#include "providers/ProviderSupport.h"
#include "providers/google/GeminiErrors.h"
#include "providers/google/GoogleJson.h"
#include "providers/google/GoogleRequests.h"
#include "providers/google/GoogleUrls.h"
#include "providers/google/InlineImage.h"
#include "providers/google/VeoOperation.h"

#include <cstdint>
#include <cstdio>
#include <random>
#include <system_error>
#include <utility>
#include <vector>

namespace ripen::providers::google {

namespace {

// Error replies of a download are read back from the file up to this size.
constexpr std::uint64_t kMaxDownloadErrorBytes = 64 * 1024;
constexpr std::uint64_t kMaxOperationReplyBytes = 16ULL << 20;

ProviderFailure badOption(std::string_view key, std::string_view expected) {
    return GeminiErrors::permanent("option \"" + std::string(key) + "\" must be " +
                                   std::string(expected));
}

ProviderFailure retryable(std::string message, int httpStatus = 0) {
    return ProviderFailure{ProviderFailure::Kind::Retryable, std::move(message), httpStatus,
                           std::nullopt, std::nullopt};
}

void removeQuietly(const std::filesystem::path& path) {
    std::error_code ignored;
    std::filesystem::remove(path, ignored);
}

void removeFiles(const std::vector<GeneratedFile>& files) {
    for (const GeneratedFile& file : files) {
        removeQuietly(file.file);
    }
}

bool isRedirect(int status) {
    return status == 301 || status == 302 || status == 303 || status == 307 || status == 308;
}

std::string randomHex() {
    std::random_device device;
    const std::uint64_t value = (static_cast<std::uint64_t>(device()) << 32) | device();
    char text[17];
    std::snprintf(text, sizeof text, "%016llx", static_cast<unsigned long long>(value));
    return text;
}

nlohmann::json imageJson(InlineImage image) {
    return {{"bytesBase64Encoded", std::move(image.base64)}, {"mimeType", image.mimeType}};
}

} // namespace

VeoClient::VeoClient(GoogleSettings settings) : m_settings(std::move(settings)) {}

ProviderOutcome<nlohmann::json> VeoClient::buildBody(const GenerationRequest& request) const {
    if (request.kind != JobKind::ImageToVideo) {
        return std::unexpected(GeminiErrors::permanent("Veo makes videos from a keyframe, not " +
                                                       std::string(toString(request.kind))));
    }
    if (!request.options.is_object()) {
        return std::unexpected(GeminiErrors::permanent("the request options are not an object"));
    }
    if (request.images.empty()) {
        return std::unexpected(
            GeminiErrors::permanent("image-to-video needs a keyframe: choose the first frame"));
    }
    bool useLastFrame = false;
    if (const nlohmann::json* last = member(request.options, "lastFrame")) {
        if (!last->is_boolean()) {
            return std::unexpected(badOption("lastFrame", "true or false"));
        }
        useLastFrame = last->get<bool>();
    }
    const std::size_t expectedImages = useLastFrame ? 2 : 1;
    if (request.images.size() != expectedImages) {
        return std::unexpected(GeminiErrors::permanent(
            useLastFrame ? "a video with a last frame needs exactly two images: first and last"
                         : "Veo takes one keyframe; set the \"lastFrame\" option to use a "
                           "second image as the last frame"));
    }

    nlohmann::json instance = {{"prompt", request.prompt}};
    auto first = InlineImage::load(request.images[0], m_settings.maxInputImageBytes);
    if (!first) {
        return std::unexpected(first.error());
    }
    instance["image"] = imageJson(std::move(*first));
    if (useLastFrame) {
        auto last = InlineImage::load(request.images[1], m_settings.maxInputImageBytes);
        if (!last) {
            return std::unexpected(last.error());
        }
        instance["lastFrame"] = imageJson(std::move(*last));
    }

    nlohmann::json parameters = nlohmann::json::object();
    if (!request.aspectRatio.empty()) {
        parameters["aspectRatio"] = request.aspectRatio;
    }
    if (request.durationSeconds < 0) {
        return std::unexpected(GeminiErrors::permanent("a video cannot last a negative time"));
    }
    if (request.durationSeconds > 0) {
        parameters["durationSeconds"] = request.durationSeconds;
    }
    if (!request.negativePrompt.empty()) {
        parameters["negativePrompt"] = request.negativePrompt;
    }
    if (const nlohmann::json* resolution = member(request.options, "resolution")) {
        if (!resolution->is_string()) {
            return std::unexpected(badOption("resolution", "\"720p\", \"1080p\" or \"4k\""));
        }
        parameters["resolution"] = *resolution;
    } else if (request.imageSize.ends_with('p') || request.imageSize == "4k" ||
               request.imageSize == "4K") {
        parameters["resolution"] = request.imageSize == "4K" ? "4k" : request.imageSize;
    }
    if (const nlohmann::json* people = member(request.options, "personGeneration")) {
        if (!people->is_string()) {
            return std::unexpected(
                badOption("personGeneration", "\"allow_adult\" or \"dont_allow\""));
        }
        parameters["personGeneration"] = *people;
    }
    if (const nlohmann::json* count = member(request.options, "sampleCount")) {
        if (!count->is_number_integer() || count->get<std::int64_t>() < 1 ||
            count->get<std::int64_t>() > 4) {
            return std::unexpected(badOption("sampleCount", "a whole number from 1 to 4"));
        }
        parameters["sampleCount"] = *count;
    }
    if (const nlohmann::json* enhance = member(request.options, "enhancePrompt")) {
        if (!enhance->is_boolean()) {
            return std::unexpected(badOption("enhancePrompt", "true or false"));
        }
        parameters["enhancePrompt"] = *enhance;
    }
    nlohmann::json body = {{"instances", nlohmann::json::array({std::move(instance)})}};
    if (!parameters.empty()) {
        body["parameters"] = std::move(parameters);
    }
    return body;
}

ProviderOutcome<ProviderResult> VeoClient::start(const ProviderContext& context,
                                                 const GenerationRequest& request,
                                                 std::string_view apiKey) const {
    auto url = GoogleUrls::modelMethod(context.baseUrl, request.model, "predictLongRunning");
    if (!url) {
        return std::unexpected(url.error());
    }
    auto body = buildBody(request);
    if (!body) {
        return std::unexpected(body.error());
    }
    if (context.stop.stop_requested()) {
        return std::unexpected(ProviderFailure{ProviderFailure::Kind::Cancelled,
                                               "cancelled before sending", 0, std::nullopt,
                                               std::nullopt});
    }
    http::Request httpRequest = authorizedJsonPost(
        std::move(*url), apiKey, *body, m_settings.submitDeadline, kMaxOperationReplyBytes);
    body->clear(); // the keyframe's base64 is in the request body now; free this copy

    auto response = context.http.perform(httpRequest, context.stop);
    if (!response) {
        ProviderFailure failure = failureFromTransport(response.error(), false);
        failure.message = GeminiErrors::scrub(std::move(failure.message), apiKey);
        return std::unexpected(std::move(failure));
    }
    if (response->status < 200 || response->status > 299) {
        return std::unexpected(GeminiErrors::fromReply(*response, apiKey));
    }
    // The operation may have started: a reply we cannot read leaves nothing to poll, so
    // the job fails with Google's words rather than being sent (and billed) again.
    auto operation = parseBoundedJson(response->body, "Veo predictLongRunning reply",
                                      kDefaultMaxJsonDepth, kMaxOperationReplyBytes);
    if (!operation) {
        return std::unexpected(GeminiErrors::permanent(
            "Veo accepted the request but its reply is not valid JSON (" +
                GeminiErrors::scrub(operation.error().message, apiKey) +
                "); check the Google AI Studio usage page before resubmitting",
            response->status));
    }
    auto read = readVeoOperation(*operation, apiKey);
    if (!read) {
        return std::unexpected(read.error());
    }
    const std::string& name = read->name;
    if (!GoogleUrls::isValidOperationName(name)) {
        return std::unexpected(GeminiErrors::permanent(
            "Veo's reply names no operation to follow (name \"" + name.substr(0, 200) +
                "\"); check the Google AI Studio usage page before resubmitting",
            response->status));
    }
    if (read->done) {
        return finished(context, *read, request, apiKey);
    }
    ProviderResult result;
    result.state = ProviderResult::State::Running;
    result.operationId = name;
    result.modelVersion = request.model;
    result.info["operationName"] = name;
    if (request.seed) {
        result.info["seedIgnored"] = "the Gemini API does not take a seed for Veo";
    }
    return result;
}

ProviderOutcome<ProviderResult> VeoClient::poll(const ProviderContext& context,
                                                const std::string& operationName,
                                                const GenerationRequest& request,
                                                std::string_view apiKey) const {
    auto url = GoogleUrls::operation(context.baseUrl, operationName);
    if (!url) {
        return std::unexpected(url.error());
    }
    http::Request httpRequest;
    httpRequest.method = "GET";
    httpRequest.url = std::move(*url);
    httpRequest.headers = {{"x-goog-api-key", std::string(apiKey), true}};
    httpRequest.deadline = m_settings.pollDeadline;
    httpRequest.maxResponseBytes = kMaxOperationReplyBytes;

    auto response = context.http.perform(httpRequest, context.stop);
    if (!response) {
        ProviderFailure failure = failureFromTransport(response.error(), true);
        failure.message = GeminiErrors::scrub(std::move(failure.message), apiKey);
        return std::unexpected(std::move(failure));
    }
    if (response->status < 200 || response->status > 299) {
        ProviderFailure failure = GeminiErrors::fromReply(*response, apiKey);
        if (response->status == 404) {
            failure.message += " — Google no longer knows operation " + operationName +
                               " (operations expire after about two days)";
        }
        return std::unexpected(std::move(failure));
    }
    auto operation = parseBoundedJson(response->body, "Veo operation", kDefaultMaxJsonDepth,
                                      kMaxOperationReplyBytes);
    if (!operation || !operation->is_object()) {
        // Reading an operation changes nothing on the server: ask again later.
        return std::unexpected(
            retryable("the Veo operation reply could not be read" +
                          (operation ? std::string() : " (" + operation.error().message + ")"),
                      response->status));
    }
    auto read = readVeoOperation(*operation, apiKey);
    if (!read) {
        return std::unexpected(read.error());
    }
    if (!read->done) {
        ProviderResult result;
        result.state = ProviderResult::State::Running;
        result.operationId = operationName;
        result.modelVersion = request.model;
        return result;
    }
    return finished(context, *read, request, apiKey);
}

ProviderOutcome<ProviderResult> VeoClient::finished(const ProviderContext& context,
                                                    const VeoOperation& operation,
                                                    const GenerationRequest& request,
                                                    std::string_view apiKey) const {
    ProviderResult result;
    result.state = ProviderResult::State::Done;
    result.operationId = operation.name;
    result.modelVersion = request.model;
    result.info["operationName"] = result.operationId;
    if (operation.filteredCount > 0 || !operation.filteredReasons.empty()) {
        result.info["raiMediaFilteredCount"] = operation.filteredCount;
        result.info["raiMediaFilteredReasons"] = operation.filteredReasons;
    }
    if (request.seed) {
        result.info["seedIgnored"] = "the Gemini API does not take a seed for Veo";
    }
    result.usage.raw = {{"generatedSamples", operation.samples.size()}};
    if (request.durationSeconds > 0) {
        result.usage.raw["durationSeconds"] = request.durationSeconds;
    }

    for (std::size_t i = 0; i < operation.samples.size(); ++i) {
        const VeoSample& sample = operation.samples[i];
        ProviderOutcome<GeneratedFile> file;
        if (!sample.uri.empty()) {
            if (context.progress != nullptr) {
                context.progress->report(static_cast<std::int64_t>(i),
                                         static_cast<std::int64_t>(operation.samples.size()),
                                         "downloading video");
            }
            file = download(context, sample.uri, apiKey);
        } else {
            file = saveEncoded(context, sample.encodedVideo);
        }
        if (!file) {
            removeFiles(result.outputs);
            return std::unexpected(file.error());
        }
        result.outputs.push_back(std::move(*file));
    }
    return result;
}

ProviderOutcome<GeneratedFile> VeoClient::download(const ProviderContext& context,
                                                   const std::string& uri,
                                                   std::string_view apiKey) const {
    std::string url = uri;
    for (int hop = 0; hop <= m_settings.maxRedirects; ++hop) {
        if (GoogleUrls::origin(url).empty()) {
            return std::unexpected(
                GeminiErrors::permanent("the Veo video address is not an http(s) URL: " +
                                        http::HttpClient::redactUrl(url)));
        }
        http::Request httpRequest;
        httpRequest.method = "GET";
        httpRequest.url = url;
        if (GoogleUrls::keyAllowed(url, context.baseUrl)) {
            httpRequest.headers.push_back({"x-goog-api-key", std::string(apiKey), true});
        }
        httpRequest.followRedirects = false;
        httpRequest.deadline = m_settings.downloadDeadline;
        httpRequest.maxResponseBytes = m_settings.maxVideoBytes;
        httpRequest.downloadDir = context.workDir;

        auto response = context.http.perform(httpRequest, context.stop);
        if (!response) {
            // HttpClient has already removed the partial file; the next poll fetches again.
            ProviderFailure failure = failureFromTransport(response.error(), true);
            failure.message = GeminiErrors::scrub(std::move(failure.message), apiKey);
            return std::unexpected(std::move(failure));
        }
        const int status = response->status;
        if (status >= 200 && status <= 299) {
            if (!response->file) {
                return std::unexpected(
                    GeminiErrors::permanent("the Veo video download produced no file", status));
            }
            auto adopted = adoptDownloadedFile(*response->file);
            if (!adopted) {
                removeQuietly(*response->file);
                return std::unexpected(
                    GeminiErrors::fromError(adopted.error(), "the Veo download is not a video"));
            }
            if (adopted->mimeType.rfind("video/", 0) != 0) {
                removeQuietly(adopted->file);
                return std::unexpected(GeminiErrors::permanent(
                    "the Veo download is " + adopted->mimeType + ", not a video", status));
            }
            return std::move(*adopted);
        }

        std::string body = response->body;
        if (response->file) {
            if (body.empty()) {
                auto text = readFileBounded(*response->file, kMaxDownloadErrorBytes);
                if (text) {
                    body = std::move(*text);
                }
            }
            removeQuietly(*response->file);
        }
        if (isRedirect(status)) {
            const auto location = response->header("Location");
            const std::string next = location ? GoogleUrls::resolve(url, *location) : std::string();
            if (next.empty()) {
                return std::unexpected(GeminiErrors::permanent(
                    "the Veo video download redirects nowhere usable (HTTP " +
                        std::to_string(status) + ")",
                    status));
            }
            url = next;
            continue;
        }
        return std::unexpected(GeminiErrors::fromReply(*response, body, apiKey));
    }
    return std::unexpected(GeminiErrors::permanent("the Veo video download redirected more than " +
                                                   std::to_string(m_settings.maxRedirects) +
                                                   " times"));
}

ProviderOutcome<GeneratedFile> VeoClient::saveEncoded(const ProviderContext& context,
                                                      const std::string& base64) const {
    auto bytes = decodeBase64(base64, m_settings.maxVideoBytes);
    if (!bytes) {
        return std::unexpected(GeminiErrors::permanent("Veo's encoded video is not valid base64: " +
                                                       bytes.error().message));
    }
    const std::filesystem::path target = context.workDir / ("veo-" + randomHex() + ".video");
    auto writer = AtomicFileWriter::create(target);
    if (!writer) {
        return std::unexpected(GeminiErrors::fromError(writer.error(), "saving the Veo video"));
    }
    if (auto written = writer->write(*bytes); !written) {
        return std::unexpected(GeminiErrors::fromError(written.error(), "saving the Veo video"));
    }
    if (auto committed = writer->commit(); !committed) {
        return std::unexpected(GeminiErrors::fromError(committed.error(), "saving the Veo video"));
    }
    auto adopted = adoptDownloadedFile(target);
    if (!adopted || adopted->mimeType.rfind("video/", 0) != 0) {
        removeQuietly(target);
        return std::unexpected(GeminiErrors::permanent("Veo's encoded video is not a video file"));
    }
    return std::move(*adopted);
}

} // namespace ripen::providers::google

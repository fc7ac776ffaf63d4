#include "providers/stability/StabilityProvider.h"

#include "common/FileIo.h"
#include "providers/ProviderSupport.h"
#include "providers/internal/KeyScrub.h"
#include "providers/internal/ScratchFile.h"
#include "providers/internal/UploadImage.h"
#include "providers/stability/StabilityForm.h"
#include "providers/stability/StabilityMask.h"
#include "providers/stability/StabilityReply.h"

#include <algorithm>
#include <optional>
#include <system_error>

namespace ripen {
namespace {

using providers::ScratchFile;

constexpr const char* kResultsPath = "/v2beta/results/";
constexpr std::uint64_t kMaxInputImageBytes = 64ULL << 20;
constexpr std::uint64_t kMaxRipenMaskBytes = 256ULL << 20;
constexpr std::uint64_t kMaxIdReplyBytes = 1ULL << 20;
constexpr int kPollAttemptsPerDoubling = 3;

std::unexpected<ProviderFailure> invalidRequest(std::string message) {
    return std::unexpected(providers::failureOf(ProviderFailure::Kind::Permanent, std::move(message)));
}

bool isSuccess(int status) {
    return status >= 200 && status < 300;
}

void removeBodyFile(const http::Response& response) {
    if (response.file) {
        std::error_code ignored;
        std::filesystem::remove(*response.file, ignored);
    }
}

void reportProgress(const ProviderContext& context, std::int64_t done, std::string_view text) {
    if (context.progress != nullptr) {
        context.progress->report(done, 1, text);
    }
}

ProviderOutcome<http::MultipartPart> imagePart(const GenerationRequest& request) {
    if (request.images.size() != 1) {
        return invalidRequest("Stability takes exactly one input image, not " +
                              std::to_string(request.images.size()));
    }
    auto image = providers::inspectUploadImage(request.images.front(), kMaxInputImageBytes);
    if (!image) {
        return invalidRequest("Stability input image: " + image.error().message);
    }
    return providers::uploadPart(*image, "image", "image");
}

// Without a mask Stability derives one from the image's alpha channel, as its docs say.
ProviderOutcome<std::optional<ScratchFile>> prepareMask(const GenerationRequest& request,
                                                        const providers::StabilityEndpoint& to,
                                                        const std::filesystem::path& workDir) {
    if (!to.takesMask || !request.mask) {
        return std::optional<ScratchFile>();
    }
    auto bytes = readFileBounded(*request.mask, kMaxRipenMaskBytes);
    if (!bytes) {
        return invalidRequest("reading the mask: " + bytes.error().message);
    }
    auto png = providers::makeStabilityMask(*bytes);
    if (!png) {
        return invalidRequest(png.error().message);
    }
    auto scratch = ScratchFile::create(workDir, "stability-mask", "png", *png);
    if (!scratch) {
        return invalidRequest("writing the Stability mask: " + scratch.error().message);
    }
    return std::optional<ScratchFile>(std::move(*scratch));
}

http::MultipartPart maskPart(const ScratchFile& mask) {
    http::MultipartPart part;
    part.name = "mask";
    part.file = mask.path();
    part.fileName = "mask.png";
    part.contentType = "image/png";
    return part;
}

ProviderFailure transportFailure(const http::Failure& failed, bool idempotent,
                                 const std::string& apiKey) {
    auto converted = providers::failureFromTransport(failed, idempotent);
    converted.message = providers::scrubKeys(std::move(converted.message), apiKey);
    return converted;
}

ProviderResult running(const std::string& id, const std::string& endpoint) {
    ProviderResult result;
    result.state = ProviderResult::State::Running;
    result.operationId = id;
    result.usage.unit = "credits";
    result.info["endpoint"] = endpoint;
    result.info["generation_id"] = id;
    return result;
}

} // namespace

StabilityProvider::StabilityProvider(StabilitySettings settings) : m_settings(settings) {}

std::string StabilityProvider::id() const {
    return "stability";
}

std::string StabilityProvider::displayName() const {
    return "Stability AI";
}

bool StabilityProvider::supports(JobKind kind) const {
    return kind == JobKind::Upscale || kind == JobKind::Inpaint || kind == JobKind::Erase;
}

std::vector<std::string> StabilityProvider::defaultBaseUrls() const {
    return {"https://api.stability.ai"};
}

std::string StabilityProvider::baseUrlVariable() const {
    return "RIPEN_STABILITY_BASE_URL";
}

std::string StabilityProvider::missingConfiguration(const Credentials& credentials) const {
    return providers::missingApiKey(credentials, kKeyVariable, "a Stability AI");
}

http::Request StabilityProvider::baseRequest(const ProviderContext& context, std::string method,
                                             const std::string& path,
                                             const std::string& apiKey) const {
    http::Request request;
    request.method = std::move(method);
    request.url = context.baseUrl + path;
    request.headers.push_back({"Authorization", "Bearer " + apiKey, true});
    request.headers.push_back({"Accept", "image/*", false});
    request.connectTimeout = m_settings.connectTimeout;
    request.deadline = m_settings.requestDeadline;
    request.lowSpeedBytes = m_settings.lowSpeedBytes;
    request.lowSpeedWindow = m_settings.lowSpeedWindow;
    request.maxResponseBytes = m_settings.maxImageBytes;
    request.downloadDir = context.workDir;
    return request;
}

ProviderOutcome<ProviderResult> StabilityProvider::submit(const ProviderContext& context,
                                                          const GenerationRequest& request) {
    if (auto missing = missingConfiguration(context.credentials); !missing.empty()) {
        return std::unexpected(providers::failureOf(ProviderFailure::Kind::NotConfigured, missing));
    }
    auto endpoint = providers::stabilityEndpoint(request);
    if (!endpoint) {
        return invalidRequest(endpoint.error().message);
    }
    auto fields = providers::stabilityTextFields(request, *endpoint);
    if (!fields) {
        return invalidRequest(fields.error().message);
    }
    auto image = imagePart(request);
    if (!image) {
        return std::unexpected(image.error());
    }
    auto mask = prepareMask(request, *endpoint, context.workDir);
    if (!mask) {
        return std::unexpected(mask.error());
    }
    if (context.stop.stop_requested()) {
        return std::unexpected(providers::failureOf(ProviderFailure::Kind::Cancelled, "cancelled"));
    }
    const auto apiKey = *context.credentials.get(kKeyVariable);
    auto http = baseRequest(context, "POST", endpoint->path, apiKey);
    if (endpoint->async) {
        // The creative upscale answers {"id": ...} at once, whatever Accept says.
        http.headers.back().value = "application/json";
        http.downloadDir.reset();
        http.maxResponseBytes = kMaxIdReplyBytes;
    }
    http.multipart = std::move(*fields);
    http.multipart.push_back(std::move(*image));
    if (*mask) {
        http.multipart.push_back(maskPart(**mask));
    }
    reportProgress(context, 0, "waiting for Stability AI");
    auto response = context.http.perform(http, context.stop);
    if (!response) {
        return std::unexpected(transportFailure(response.error(), false, apiKey));
    }
    return finishSubmission(context, *response, endpoint->async, endpoint->name, apiKey);
}

ProviderOutcome<ProviderResult>
StabilityProvider::finishSubmission(const ProviderContext& context, const http::Response& response,
                                    bool async, const std::string& endpoint,
                                    const std::string& apiKey) const {
    if (!isSuccess(response.status)) {
        return std::unexpected(providers::stabilityErrorFailure(response, apiKey));
    }
    if (async) {
        auto id = providers::readStabilityGenerationId(response, apiKey);
        if (!id) {
            return std::unexpected(id.error());
        }
        return running(*id, endpoint);
    }
    auto result = providers::readStabilityImageReply(response, context.workDir, apiKey);
    if (result) {
        result->info["endpoint"] = endpoint;
        reportProgress(context, 1, "Stability AI replied");
    }
    return result;
}

ProviderOutcome<ProviderResult> StabilityProvider::poll(const ProviderContext& context,
                                                        const std::string& operationId,
                                                        const GenerationRequest& request) {
    (void)request;
    if (!providers::isSafeGenerationId(operationId)) {
        return invalidRequest("the stored Stability generation id is not valid");
    }
    if (auto missing = missingConfiguration(context.credentials); !missing.empty()) {
        return std::unexpected(providers::failureOf(ProviderFailure::Kind::NotConfigured, missing));
    }
    const auto apiKey = *context.credentials.get(kKeyVariable);
    auto http = baseRequest(context, "GET", kResultsPath + operationId, apiKey);
    http.deadline = m_settings.pollDeadline;
    auto response = context.http.perform(http, context.stop);
    if (!response) {
        return std::unexpected(transportFailure(response.error(), true, apiKey));
    }
    if (response->status == 202) {
        removeBodyFile(*response);
        return running(operationId, "results");
    }
    if (!isSuccess(response->status)) {
        auto failed = providers::stabilityErrorFailure(*response, apiKey);
        if (response->status == 404) {
            failed.message += " (Stability keeps results for 24 hours)";
        }
        return std::unexpected(std::move(failed));
    }
    auto result = providers::readStabilityImageReply(*response, context.workDir, apiKey);
    if (result) {
        result->info["generation_id"] = operationId;
    }
    return result;
}

std::chrono::milliseconds StabilityProvider::pollInterval(int attempt) const {
    const int doublings = std::clamp(attempt / kPollAttemptsPerDoubling, 0, 8);
    return std::min(m_settings.maxPollInterval, m_settings.minPollInterval * (1 << doublings));
}

} // namespace ripen

#include "providers/openai/OpenAiImagesProvider.h"

#include "common/FileIo.h"
#include "providers/ProviderSupport.h"
#include "providers/internal/KeyScrub.h"
#include "providers/internal/ScratchFile.h"
#include "providers/internal/UploadImage.h"
#include "providers/openai/OpenAiEditMask.h"
#include "providers/openai/OpenAiImagesReply.h"
#include "providers/openai/OpenAiImagesRequest.h"

#include <algorithm>
#include <optional>

namespace ripen {
namespace {

using providers::ScratchFile;
using providers::UploadImage;

constexpr const char* kGenerationsPath = "/v1/images/generations";
constexpr const char* kEditsPath = "/v1/images/edits";
// GPT image models: up to 16 input images of under 50 MB each; the mask under 4 MB.
constexpr std::size_t kMaxEditImages = 16;
constexpr std::uint64_t kMaxInputImageBytes = 50ULL << 20;
constexpr std::uint64_t kMaxMaskBytes = 4ULL << 20;
// A Ripen mask file read for conversion (a grey PNG of an 8K image is a few MB).
constexpr std::uint64_t kMaxRipenMaskBytes = 256ULL << 20;

std::unexpected<ProviderFailure> invalidRequest(std::string message) {
    return std::unexpected(providers::failureOf(ProviderFailure::Kind::Permanent, std::move(message)));
}

void reportProgress(const ProviderContext& context, std::int64_t done, std::string_view text) {
    if (context.progress != nullptr) {
        context.progress->report(done, 1, text);
    }
}

ProviderOutcome<std::vector<UploadImage>> inspectInputs(const GenerationRequest& request) {
    if (request.images.empty()) {
        return invalidRequest("OpenAI image edits need at least one input image");
    }
    if (request.images.size() > kMaxEditImages) {
        return invalidRequest("OpenAI image edits take at most 16 input images, not " +
                              std::to_string(request.images.size()));
    }
    std::vector<UploadImage> images;
    for (const auto& path : request.images) {
        auto image = providers::inspectUploadImage(path, kMaxInputImageBytes);
        if (!image) {
            return invalidRequest("OpenAI input image: " + image.error().message);
        }
        images.push_back(std::move(*image));
    }
    return images;
}

// The converted mask, written beside the job's other files for the upload and removed
// when the returned ScratchFile goes.
ProviderOutcome<std::optional<ScratchFile>> prepareMask(const GenerationRequest& request,
                                                        const UploadImage& firstImage,
                                                        const std::filesystem::path& workDir) {
    if (!request.mask) {
        if (request.kind == JobKind::Inpaint) {
            return invalidRequest("an OpenAI inpaint needs a mask");
        }
        return std::optional<ScratchFile>();
    }
    auto maskBytes = readFileBounded(*request.mask, kMaxRipenMaskBytes);
    if (!maskBytes) {
        return invalidRequest("reading the mask: " + maskBytes.error().message);
    }
    const cv::Size size(static_cast<int>(firstImage.header.width),
                        static_cast<int>(firstImage.header.height));
    auto png = providers::makeOpenAiEditMask(*maskBytes, size);
    if (!png) {
        return invalidRequest(png.error().message);
    }
    if (png->size() >= kMaxMaskBytes) {
        return invalidRequest("the converted mask is " + std::to_string(png->size()) +
                              " bytes; OpenAI accepts masks under 4 MB");
    }
    auto scratch = ScratchFile::create(workDir, "openai-mask", "png", *png);
    if (!scratch) {
        return invalidRequest("writing the OpenAI mask: " + scratch.error().message);
    }
    return std::optional<ScratchFile>(std::move(*scratch));
}

void addTextParts(const nlohmann::json& params, std::vector<http::MultipartPart>& parts) {
    for (const auto& [name, value] : params.items()) {
        http::MultipartPart part;
        part.name = name;
        part.value = providers::multipartValue(value);
        parts.push_back(std::move(part));
    }
}

// One image goes as "image"; several as repeated "image[]", as OpenAI's SDK sends them.
void addImageParts(const std::vector<UploadImage>& images,
                   std::vector<http::MultipartPart>& parts) {
    const std::string field = images.size() == 1 ? "image" : "image[]";
    for (std::size_t i = 0; i < images.size(); ++i) {
        parts.push_back(providers::uploadPart(images[i], field, "image-" + std::to_string(i)));
    }
}

} // namespace

OpenAiImagesProvider::OpenAiImagesProvider(OpenAiImagesSettings settings) : m_settings(settings) {}

std::string OpenAiImagesProvider::id() const {
    return "openai";
}

std::string OpenAiImagesProvider::displayName() const {
    return "OpenAI Images";
}

bool OpenAiImagesProvider::supports(JobKind kind) const {
    return kind == JobKind::TextToImage || kind == JobKind::EditImage || kind == JobKind::Inpaint;
}

std::vector<std::string> OpenAiImagesProvider::defaultBaseUrls() const {
    return {"https://api.openai.com"};
}

std::string OpenAiImagesProvider::baseUrlVariable() const {
    return "RIPEN_OPENAI_BASE_URL";
}

std::string OpenAiImagesProvider::missingConfiguration(const Credentials& credentials) const {
    return providers::missingApiKey(credentials, kKeyVariable, "an OpenAI");
}

ProviderOutcome<ProviderResult> OpenAiImagesProvider::submit(const ProviderContext& context,
                                                             const GenerationRequest& request) {
    if (!supports(request.kind)) {
        return invalidRequest("OpenAI Images cannot run a " + std::string(toString(request.kind)) +
                              " job");
    }
    if (auto missing = missingConfiguration(context.credentials); !missing.empty()) {
        return std::unexpected(providers::failureOf(ProviderFailure::Kind::NotConfigured, missing));
    }
    if (context.stop.stop_requested()) {
        return std::unexpected(providers::failureOf(ProviderFailure::Kind::Cancelled, "cancelled"));
    }
    const auto apiKey = *context.credentials.get(kKeyVariable);
    return request.kind == JobKind::TextToImage ? generate(context, request, apiKey)
                                                : edit(context, request, apiKey);
}

http::Request OpenAiImagesProvider::baseRequest(const ProviderContext& context,
                                                const std::string& path,
                                                const std::string& apiKey) const {
    http::Request request;
    request.method = "POST";
    request.url = context.baseUrl + path;
    request.headers.push_back({"Authorization", "Bearer " + apiKey, true});
    request.headers.push_back({"Accept", "application/json", false});
    request.connectTimeout = m_settings.connectTimeout;
    request.deadline = m_settings.requestDeadline;
    request.lowSpeedBytes = m_settings.lowSpeedBytes;
    request.lowSpeedWindow = m_settings.lowSpeedWindow;
    request.maxResponseBytes = m_settings.maxResponseBytes;
    return request;
}

ProviderOutcome<ProviderResult> OpenAiImagesProvider::generate(const ProviderContext& context,
                                                               const GenerationRequest& request,
                                                               const std::string& apiKey) const {
    auto params = providers::openAiImageParameters(request, false);
    if (!params) {
        return invalidRequest(params.error().message);
    }
    auto http = baseRequest(context, kGenerationsPath, apiKey);
    http.headers.push_back({"Content-Type", "application/json", false});
    http.body = params->dump();
    return send(context, http, apiKey);
}

ProviderOutcome<ProviderResult> OpenAiImagesProvider::edit(const ProviderContext& context,
                                                           const GenerationRequest& request,
                                                           const std::string& apiKey) const {
    auto params = providers::openAiImageParameters(request, true);
    if (!params) {
        return invalidRequest(params.error().message);
    }
    auto images = inspectInputs(request);
    if (!images) {
        return std::unexpected(images.error());
    }
    auto mask = prepareMask(request, images->front(), context.workDir);
    if (!mask) {
        return std::unexpected(mask.error());
    }
    auto http = baseRequest(context, kEditsPath, apiKey);
    addTextParts(*params, http.multipart);
    addImageParts(*images, http.multipart);
    if (*mask) {
        http::MultipartPart part;
        part.name = "mask";
        part.file = (*mask)->path();
        part.fileName = "mask.png";
        part.contentType = "image/png";
        http.multipart.push_back(std::move(part));
    }
    return send(context, http, apiKey);
}

ProviderOutcome<ProviderResult> OpenAiImagesProvider::send(const ProviderContext& context,
                                                           const http::Request& request,
                                                           const std::string& apiKey) const {
    reportProgress(context, 0, "waiting for OpenAI");
    auto response = context.http.perform(request, context.stop);
    if (!response) {
        auto failed = providers::failureFromTransport(response.error(), false);
        failed.message = providers::scrubKeys(std::move(failed.message), apiKey);
        return std::unexpected(std::move(failed));
    }
    auto result = providers::readOpenAiImagesReply(*response, context.workDir, apiKey);
    if (result) {
        reportProgress(context, 1, "OpenAI replied");
    }
    return result;
}

} // namespace ripen

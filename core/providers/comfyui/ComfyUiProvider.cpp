#include "providers/comfyui/ComfyUiProvider.h"

#include "common/FileIo.h"
#include "providers/ProviderSupport.h"
#include "providers/comfyui/ComfyReply.h"
#include "providers/localsd/SdRequestSupport.h"

#include <algorithm>
#include <cstdio>
#include <system_error>

#ifndef RIPEN_SOURCE_DIR
#define RIPEN_SOURCE_DIR "."
#endif

namespace ripen::providers::comfyui {

namespace {

using Kind = ProviderFailure::Kind;
using localsd::permanentFailure;

constexpr std::size_t kMaxNameLength = 1024;

// RFC 3986 query value: everything but unreserved characters is %-encoded, so hostile
// names such as "../../x" or "a&type=input" reach the server as the literal text they were.
std::string percentEncode(std::string_view text) {
    std::string out;
    out.reserve(text.size() * 3);
    for (const char c : text) {
        const auto byte = static_cast<unsigned char>(c);
        const bool unreserved = (byte >= 'a' && byte <= 'z') || (byte >= 'A' && byte <= 'Z') ||
                                (byte >= '0' && byte <= '9') || c == '-' || c == '.' || c == '_' ||
                                c == '~';
        if (unreserved) {
            out += c;
        } else {
            char buffer[4];
            std::snprintf(buffer, sizeof buffer, "%%%02X", byte);
            out += buffer;
        }
    }
    return out;
}

bool isImageOrVideo(const std::string& mimeType) {
    return mimeType.rfind("image/", 0) == 0 || mimeType.rfind("video/", 0) == 0;
}

} // namespace

ComfyUiProvider::ComfyUiProvider() : ComfyUiProvider(Settings{}) {}

ComfyUiProvider::ComfyUiProvider(Settings settings) : m_settings(std::move(settings)) {
    m_templatesDir = m_settings.templatesDir.empty()
                         ? std::filesystem::path(RIPEN_SOURCE_DIR) / "resources" / "comfyui"
                         : m_settings.templatesDir;
}

bool ComfyUiProvider::supports(JobKind kind) const {
    return kind == JobKind::TextToImage || kind == JobKind::Inpaint || kind == JobKind::Upscale;
}

std::vector<std::string> ComfyUiProvider::defaultBaseUrls() const {
    return {"http://127.0.0.1:8188"};
}

std::string ComfyUiProvider::missingConfiguration(const Credentials& credentials) const {
    (void)credentials; // a local server needs no key
    std::error_code error;
    if (!std::filesystem::is_directory(m_templatesDir, error)) {
        return "the ComfyUI workflow templates were not found in " + m_templatesDir.string();
    }
    return {};
}

std::chrono::milliseconds ComfyUiProvider::pollInterval(int attempt) const {
    // Local and fast: check often at first, then every 3 s.
    return std::chrono::milliseconds(std::min(3'000, 500 * (attempt + 1)));
}

http::Request ComfyUiProvider::apiRequest(std::string method, std::string url,
                                          const ProviderContext& context) const {
    http::Request request;
    request.method = std::move(method);
    request.url = std::move(url);
    request.connectTimeout = m_settings.connectTimeout;
    request.deadline = m_settings.requestDeadline;
    request.maxResponseBytes = 16ULL << 20; // history with many outputs stays far below
    if (auto token = context.credentials.get("COMFYUI_TOKEN"); token && !token->empty()) {
        request.headers.push_back({"Authorization", "Bearer " + *token, true});
    } else {
        const auto user = context.credentials.get("COMFYUI_USER");
        const auto password = context.credentials.get("COMFYUI_PASSWORD");
        if (user && !user->empty() && password) {
            request.headers.push_back(
                {"Authorization", "Basic " + encodeBase64(*user + ":" + *password), true});
        }
    }
    return request;
}

ProviderOutcome<ComfyWorkflowTemplate>
ComfyUiProvider::loadTemplate(const GenerationRequest& request) const {
    auto name = localsd::stringOption(request.options, "template", "");
    if (!name) {
        return std::unexpected(permanentFailure(name.error().message));
    }
    if (name->empty()) {
        *name = request.kind == JobKind::Inpaint   ? "inpaint"
                : request.kind == JobKind::Upscale ? "upscale"
                                                   : "txt2img";
    }
    if (!isSafeComfyName(*name)) {
        return std::unexpected(
            permanentFailure("ComfyUI template names use letters, digits, '_' and '-' only"));
    }
    auto workflow = ComfyWorkflowTemplate::load(m_templatesDir / (*name + ".json"));
    if (!workflow) {
        const Kind kind =
            workflow.error().code == ErrorCode::NotFound ? Kind::NotConfigured : Kind::Permanent;
        return std::unexpected(
            failureOf(kind, "ComfyUI template \"" + *name + "\": " + workflow.error().message));
    }
    return std::move(*workflow);
}

std::string ComfyUiProvider::modelVersionFor(const GenerationRequest& request) const {
    if (request.kind == JobKind::Upscale) {
        auto model = localsd::stringOption(request.options, "upscale_model", "");
        return model && !model->empty() ? *model : m_settings.defaultUpscaleModel;
    }
    auto checkpoint = localsd::stringOption(request.options, "checkpoint", "");
    if (checkpoint && !checkpoint->empty()) {
        return *checkpoint;
    }
    return request.model.empty() ? m_settings.defaultCheckpoint : request.model;
}

ProviderOutcome<ComfyUiProvider::Upload>
ComfyUiProvider::upload(const ProviderContext& context, const std::filesystem::path& file,
                        const std::string& fileName, const std::string& contentType) const {
    http::Request post = apiRequest("POST", context.baseUrl + "/upload/image", context);
    post.multipart.push_back({"image", "", file, fileName, contentType});
    post.multipart.push_back({"type", "input", std::nullopt, "", ""});
    // Names carry the job key, so a resent upload replaces its own file and nothing else.
    post.multipart.push_back({"overwrite", "true", std::nullopt, "", ""});
    auto response = context.http.perform(post, context.stop);
    if (!response) {
        // Uploading the same named file again is harmless: treat it as idempotent.
        return std::unexpected(failureFromTransport(response.error(), true));
    }
    if (response->status < 200 || response->status > 299) {
        return std::unexpected(failureFromStatus(*response, "ComfyUI refused the image upload"));
    }
    auto body = parseJsonReply(*response, "ComfyUI upload reply");
    if (!body) {
        return std::unexpected(permanentFailure(body.error().message));
    }
    const std::string name = comfyString(*body, "name");
    const auto subfolderIt = body->is_object() ? body->find("subfolder") : body->end();
    if (name.empty() || name.size() > kMaxNameLength ||
        (subfolderIt != body->end() && !subfolderIt->is_string())) {
        return std::unexpected(permanentFailure("ComfyUI upload reply has no usable \"name\""));
    }
    const std::string subfolder = comfyString(*body, "subfolder");
    Upload result;
    result.reference = subfolder.empty() ? name : subfolder + "/" + name;
    result.serverReply = {{"name", name}, {"subfolder", subfolder}};
    return result;
}

ProviderOutcome<nlohmann::json>
ComfyUiProvider::templateValues(const ProviderContext& context, const GenerationRequest& request,
                                const ComfyWorkflowTemplate& workflow, nlohmann::json& info) const {
    const auto& options = request.options;
    auto size = localsd::requestedDimensions(request, m_settings.defaultSide);
    auto steps = localsd::integerOption(options, "steps", 20);
    auto cfg = localsd::numberOption(options, "cfg", 7.0);
    auto sampler = localsd::stringOption(options, "sampler", "euler");
    auto scheduler = localsd::stringOption(options, "scheduler", "normal");
    auto denoise = localsd::numberOption(options, "denoise", 1.0);
    auto grow = localsd::integerOption(options, "grow_mask_by", 6);
    auto modelScale = localsd::numberOption(options, "upscale_model_scale", 4.0);
    for (const Error* error :
         {size ? nullptr : &size.error(), steps ? nullptr : &steps.error(),
          cfg ? nullptr : &cfg.error(), sampler ? nullptr : &sampler.error(),
          scheduler ? nullptr : &scheduler.error(), denoise ? nullptr : &denoise.error(),
          grow ? nullptr : &grow.error(), modelScale ? nullptr : &modelScale.error()}) {
        if (error != nullptr) {
            return std::unexpected(permanentFailure("ComfyUI: " + error->message));
        }
    }
    const std::int64_t seed = localsd::seedFor(request, context.jobKey);
    const double factor = request.upscaleFactor > 0 ? request.upscaleFactor : *modelScale;
    nlohmann::json values = {
        {"prompt", request.prompt},
        {"negative_prompt", request.negativePrompt},
        {"seed", seed},
        {"width", size->width},
        {"height", size->height},
        {"checkpoint", modelVersionFor(request)},
        {"upscale_model", modelVersionFor(request)},
        {"steps", *steps},
        {"cfg", *cfg},
        {"sampler", *sampler},
        {"scheduler", *scheduler},
        {"denoise", *denoise},
        {"grow_mask_by", *grow},
        {"rescale", *modelScale > 0 ? factor / *modelScale : 1.0},
        {"filename_prefix", "ripen"},
    };
    if (const auto extra = options.find("values"); extra != options.end() && extra->is_object()) {
        for (const auto& [key, value] : extra->items()) {
            if (!values.contains(key)) {
                values[key] = value;
            }
        }
    }
    info["seed"] = seed;

    const std::string stem = "ripen_" + (isSafeComfyName(context.jobKey) ? context.jobKey : "job");
    if (workflow.uses("image")) {
        if (request.images.empty()) {
            return std::unexpected(permanentFailure("ComfyUI template \"" + workflow.name() +
                                                    "\" needs an input image"));
        }
        auto image = localsd::readInputImage(request.images.front());
        if (!image) {
            return std::unexpected(permanentFailure(image.error().message));
        }
        auto uploaded = upload(context, request.images.front(), stem + "_image." + image->extension,
                               image->mimeType);
        if (!uploaded) {
            return std::unexpected(uploaded.error());
        }
        values["image"] = uploaded->reference;
        info["uploads"].push_back(uploaded->serverReply);
        if (workflow.uses("mask")) {
            if (!request.mask) {
                return std::unexpected(
                    permanentFailure("ComfyUI template \"" + workflow.name() + "\" needs a mask"));
            }
            auto mask = localsd::greyMaskPng(*request.mask, image->size);
            if (!mask) {
                return std::unexpected(permanentFailure(mask.error().message));
            }
            const auto maskFile = context.workDir / (stem + "_mask_upload.png");
            if (auto written = writeFileAtomically(maskFile, *mask); !written) {
                return std::unexpected(permanentFailure(written.error().message));
            }
            auto maskUpload = upload(context, maskFile, stem + "_mask.png", "image/png");
            std::error_code ignored;
            std::filesystem::remove(maskFile, ignored);
            if (!maskUpload) {
                return std::unexpected(maskUpload.error());
            }
            values["mask"] = maskUpload->reference;
            info["uploads"].push_back(maskUpload->serverReply);
        }
    }
    return values;
}

ProviderOutcome<ProviderResult> ComfyUiProvider::submit(const ProviderContext& context,
                                                        const GenerationRequest& request) {
    if (!supports(request.kind)) {
        return std::unexpected(permanentFailure("ComfyUI templates cover text-to-image, "
                                                "inpaint and upscale only"));
    }
    auto workflow = loadTemplate(request);
    if (!workflow) {
        return std::unexpected(workflow.error());
    }
    nlohmann::json info = {{"template", workflow->name()}, {"uploads", nlohmann::json::array()}};
    auto values = templateValues(context, request, *workflow, info);
    if (!values) {
        return std::unexpected(values.error());
    }
    auto graph = workflow->fill(*values);
    if (!graph) {
        return std::unexpected(permanentFailure(graph.error().message));
    }
    http::Request post = apiRequest("POST", context.baseUrl + "/prompt", context);
    post.headers.push_back({"Content-Type", "application/json", false});
    post.body = nlohmann::json{{"prompt", std::move(*graph)}, {"client_id", context.jobKey}}.dump();
    auto response = context.http.perform(post, context.stop);
    if (!response) {
        return std::unexpected(failureFromTransport(response.error(), false));
    }
    auto queued = readComfyPromptReply(*response);
    if (!queued) {
        return std::unexpected(queued.error());
    }
    const std::string& promptId = queued->promptId;
    ProviderResult result;
    result.state = ProviderResult::State::Running;
    result.operationId = promptId;
    result.modelVersion = modelVersionFor(request);
    info["prompt_id"] = promptId;
    if (!queued->number.is_null()) {
        info["number"] = queued->number;
    }
    result.info = std::move(info);
    return result;
}

ProviderOutcome<std::optional<nlohmann::json>>
ComfyUiProvider::historyEntry(const ProviderContext& context, const std::string& promptId) const {
    const auto get = apiRequest("GET", context.baseUrl + "/history/" + promptId, context);
    auto response = context.http.perform(get, context.stop);
    if (!response) {
        return std::unexpected(failureFromTransport(response.error(), true));
    }
    return readComfyHistory(*response, promptId);
}

ProviderOutcome<std::optional<int>>
ComfyUiProvider::queuePosition(const ProviderContext& context, const std::string& promptId) const {
    const auto get = apiRequest("GET", context.baseUrl + "/queue", context);
    auto response = context.http.perform(get, context.stop);
    if (!response) {
        return std::unexpected(failureFromTransport(response.error(), true));
    }
    return readComfyQueue(*response, promptId);
}

ProviderOutcome<ProviderResult> ComfyUiProvider::poll(const ProviderContext& context,
                                                      const std::string& operationId,
                                                      const GenerationRequest& request) {
    if (!isSafeComfyName(operationId)) {
        return std::unexpected(permanentFailure("not a ComfyUI prompt id: " + operationId));
    }
    auto entry = historyEntry(context, operationId);
    if (!entry) {
        return std::unexpected(entry.error());
    }
    if (!*entry) {
        auto position = queuePosition(context, operationId);
        if (!position) {
            return std::unexpected(position.error());
        }
        if (!*position) {
            // It may have finished between the two questions: ask history once more.
            entry = historyEntry(context, operationId);
            if (!entry) {
                return std::unexpected(entry.error());
            }
            if (!*entry) {
                return std::unexpected(permanentFailure(
                    "ComfyUI no longer knows prompt " + operationId +
                    " (neither queued nor in its history: was the server restarted?)"));
            }
        } else {
            ProviderResult running;
            running.state = ProviderResult::State::Running;
            running.operationId = operationId;
            running.info = {{"queue_position", **position}};
            return running;
        }
    }
    return collectOutputs(context, operationId, **entry, request);
}

ProviderOutcome<ProviderResult>
ComfyUiProvider::collectOutputs(const ProviderContext& context, const std::string& promptId,
                                const nlohmann::json& entry,
                                const GenerationRequest& request) const {
    auto images = readComfyOutputs(entry, promptId, m_settings.maxOutputs);
    if (!images) {
        return std::unexpected(images.error());
    }
    ProviderResult result;
    result.state = ProviderResult::State::Done;
    result.modelVersion = modelVersionFor(request);
    result.info = {{"prompt_id", promptId}, {"server_files", nlohmann::json::array()}};
    const std::int64_t seed = localsd::seedFor(request, context.jobKey);
    for (const auto& image : *images) {
        http::Request get =
            apiRequest("GET",
                       context.baseUrl + "/view?filename=" + percentEncode(image.filename) +
                           "&subfolder=" + percentEncode(image.subfolder) +
                           "&type=" + percentEncode(image.type),
                       context);
        get.deadline = m_settings.downloadDeadline;
        get.maxResponseBytes = m_settings.maxOutputBytes;
        get.downloadDir = context.workDir;
        auto response = context.http.perform(get, context.stop);
        if (!response) {
            return std::unexpected(failureFromTransport(response.error(), true));
        }
        if (response->status < 200 || response->status > 299 || !response->file) {
            if (response->file) {
                std::error_code ignored;
                std::filesystem::remove(*response->file, ignored);
            }
            return std::unexpected(failureFromStatus(*response, "ComfyUI /view failed"));
        }
        auto file = adoptDownloadedFile(*response->file);
        if (!file || !isImageOrVideo(file->mimeType)) {
            std::error_code ignored;
            std::filesystem::remove(*response->file, ignored);
            return std::unexpected(
                permanentFailure("ComfyUI returned a file that is not an image: " +
                                 (file ? file->mimeType : file.error().message)));
        }
        file->seed = seed;
        result.outputs.push_back(std::move(*file));
        result.info["server_files"].push_back({{"filename", image.filename},
                                               {"subfolder", image.subfolder},
                                               {"type", image.type},
                                               {"node", image.node}});
    }
    return result;
}

} // namespace ripen::providers::comfyui

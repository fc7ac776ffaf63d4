#include "providers/automatic1111/Automatic1111Provider.h"

#include "common/BoundedJson.h"
#include "providers/ProviderSupport.h"
#include "providers/localsd/SdRequestSupport.h"

#include <algorithm>

namespace ripen::providers::automatic1111 {

namespace {

using Kind = ProviderFailure::Kind;
using localsd::permanentFailure;

constexpr std::size_t kMaxImages = 64;
constexpr std::size_t kMaxDecodedImageBytes = 512ULL << 20;

std::string stringField(const nlohmann::json& object, const char* key) {
    if (!object.is_object()) {
        return {};
    }
    const auto it = object.find(key);
    return it != object.end() && it->is_string() ? it->get<std::string>() : std::string();
}

// FastAPI's 422: {"detail": [{"loc": ["body", "steps"], "msg": "...", "type": "..."}]};
// A1111's own errors: {"error": "HTTPException", "detail": "Sampler not found", ...}.
std::string describeError(const nlohmann::json& body) {
    if (!body.is_object()) {
        return {};
    }
    std::string text;
    const auto detail = body.find("detail");
    if (detail != body.end() && detail->is_array()) {
        for (const auto& item : *detail) {
            std::string location;
            if (const auto loc = item.is_object() ? item.find("loc") : item.end();
                item.is_object() && loc != item.end() && loc->is_array()) {
                for (const auto& part : *loc) {
                    location += (location.empty() ? "" : ".") +
                                (part.is_string() ? part.get<std::string>() : part.dump());
                }
            }
            text += (text.empty() ? "" : "; ") + location + (location.empty() ? "" : ": ") +
                    stringField(item, "msg");
        }
        return localsd::clipServerText(text);
    }
    text = stringField(body, "error");
    if (detail != body.end() && detail->is_string() && !detail->get<std::string>().empty()) {
        text += (text.empty() ? "" : ": ") + detail->get<std::string>();
    } else if (const auto errors = stringField(body, "errors"); !errors.empty()) {
        text += (text.empty() ? "" : ": ") + errors;
    }
    return localsd::clipServerText(text);
}

// A1111 tolerates a data: prefix on input images, and some forks add one to outputs.
std::string_view withoutDataPrefix(std::string_view text) {
    if (text.rfind("data:", 0) == 0) {
        const auto comma = text.find(',');
        if (comma != std::string_view::npos) {
            return text.substr(comma + 1);
        }
    }
    return text;
}

// `info` is a JSON document inside a string; some forks send the object itself.
nlohmann::json parseInfo(const nlohmann::json& reply) {
    const auto it = reply.find("info");
    if (it == reply.end()) {
        return nlohmann::json::object();
    }
    if (it->is_object()) {
        return *it;
    }
    if (!it->is_string()) {
        return nlohmann::json::object();
    }
    auto parsed = parseBoundedJson(it->get<std::string>(), "A1111 info");
    return parsed && parsed->is_object() ? std::move(*parsed) : nlohmann::json::object();
}

std::optional<std::int64_t> integerField(const nlohmann::json& object, const char* key) {
    const auto it = object.find(key);
    if (it != object.end() && it->is_number_integer()) {
        return it->get<std::int64_t>();
    }
    return std::nullopt;
}

// The provenance worth keeping from `info`; the rest (all prompts, styles) is noise.
nlohmann::json provenanceFrom(const nlohmann::json& info) {
    nlohmann::json kept = nlohmann::json::object();
    for (const char* key :
         {"seed", "all_seeds", "subseed", "sd_model_name", "sd_model_hash", "sd_vae_name",
          "sampler_name", "scheduler", "steps", "cfg_scale", "width", "height",
          "denoising_strength", "version", "infotexts", "job_timestamp"}) {
        if (const auto it = info.find(key); it != info.end() && !it->is_null()) {
            kept[key] = *it;
        }
    }
    return kept;
}

std::string modelVersionFrom(const nlohmann::json& info) {
    const std::string name = stringField(info, "sd_model_name");
    const std::string hash = stringField(info, "sd_model_hash");
    if (name.empty()) {
        return hash;
    }
    return hash.empty() ? name : name + " [" + hash + "]";
}

ProviderOutcome<GeneratedFile> saveImage(const ProviderContext& context,
                                         const nlohmann::json& encoded) {
    if (!encoded.is_string()) {
        return std::unexpected(permanentFailure("A1111 reply lists an image that is not a string"));
    }
    auto bytes = decodeBase64(withoutDataPrefix(encoded.get_ref<const std::string&>()),
                              kMaxDecodedImageBytes);
    if (!bytes) {
        return std::unexpected(
            permanentFailure("A1111 image is not valid base64: " + bytes.error().message));
    }
    auto file = saveGeneratedImage(context.workDir, *bytes);
    if (!file) {
        const Kind kind =
            file.error().code == ErrorCode::DiskFull || file.error().code == ErrorCode::Io
                ? Kind::Retryable
                : Kind::Permanent;
        return std::unexpected(ProviderFailure{kind, "A1111 image: " + file.error().message, 0,
                                               std::nullopt, std::nullopt});
    }
    return std::move(*file);
}

} // namespace

Automatic1111Provider::Automatic1111Provider() : Automatic1111Provider(Settings{}) {}

Automatic1111Provider::Automatic1111Provider(Settings settings) : m_settings(std::move(settings)) {}

bool Automatic1111Provider::supports(JobKind kind) const {
    return kind == JobKind::TextToImage || kind == JobKind::Inpaint || kind == JobKind::Upscale;
}

std::vector<std::string> Automatic1111Provider::defaultBaseUrls() const {
    return {"http://127.0.0.1:7860"};
}

std::string Automatic1111Provider::missingConfiguration(const Credentials& credentials) const {
    // Basic auth is optional, but half of it is a mistake worth naming.
    const bool user = credentials.get(kUserVariable).has_value();
    const bool password = credentials.get(kPasswordVariable).has_value();
    if (user != password) {
        return "set both AUTOMATIC1111_USER and AUTOMATIC1111_PASSWORD (or neither)";
    }
    return {};
}

ProviderOutcome<nlohmann::json>
Automatic1111Provider::txt2imgBody(const ProviderContext& context,
                                   const GenerationRequest& request) const {
    const auto& options = request.options;
    auto size = localsd::requestedDimensions(request, m_settings.defaultSide);
    auto steps = localsd::integerOption(options, "steps", m_settings.defaultSteps);
    auto cfg = localsd::numberOption(options, "cfg_scale", m_settings.defaultCfgScale);
    auto sampler = localsd::stringOption(options, "sampler", m_settings.defaultSampler);
    auto scheduler = localsd::stringOption(options, "scheduler", "");
    auto checkpoint = localsd::stringOption(options, "checkpoint", request.model);
    for (const Error* error :
         {size ? nullptr : &size.error(), steps ? nullptr : &steps.error(),
          cfg ? nullptr : &cfg.error(), sampler ? nullptr : &sampler.error(),
          scheduler ? nullptr : &scheduler.error(), checkpoint ? nullptr : &checkpoint.error()}) {
        if (error != nullptr) {
            return std::unexpected(permanentFailure("A1111: " + error->message));
        }
    }
    nlohmann::json body = {
        {"prompt", request.prompt},
        {"negative_prompt", request.negativePrompt},
        {"seed", localsd::seedFor(request, context.jobKey)},
        {"steps", *steps},
        {"cfg_scale", *cfg},
        {"sampler_name", *sampler},
        {"width", size->width},
        {"height", size->height},
        {"batch_size", 1},
        {"n_iter", 1},
        {"send_images", true},
        {"save_images", false},
    };
    if (!scheduler->empty()) {
        body["scheduler"] = *scheduler;
    }
    if (!checkpoint->empty()) {
        // Switches the model for this call only and puts the server's choice back after.
        body["override_settings"] = {{"sd_model_checkpoint", *checkpoint}};
        body["override_settings_restore_afterwards"] = true;
    }
    return body;
}

ProviderOutcome<nlohmann::json>
Automatic1111Provider::img2imgBody(const ProviderContext& context,
                                   const GenerationRequest& request) const {
    if (request.images.empty() || !request.mask) {
        return std::unexpected(permanentFailure("A1111 inpaint needs an image and a mask"));
    }
    auto image = localsd::readInputImage(request.images.front());
    if (!image) {
        return std::unexpected(permanentFailure(image.error().message));
    }
    const auto& options = request.options;
    // Inpaint at the picture's own size unless told otherwise, so nothing is resampled.
    GenerationRequest sized = request;
    if (!options.contains("width")) {
        sized.options["width"] = image->size.width;
        sized.options["height"] = image->size.height;
    }
    auto body = txt2imgBody(context, sized);
    if (!body) {
        return body;
    }
    auto mask = localsd::greyMaskPng(*request.mask, image->size);
    if (!mask) {
        return std::unexpected(permanentFailure(mask.error().message));
    }
    auto denoise = localsd::numberOption(options, "denoising_strength", 0.75);
    auto fill = localsd::integerOption(options, "inpainting_fill", 1); // 1 = keep original
    auto onlyMasked = localsd::boolOption(options, "only_masked", true);
    auto padding = localsd::integerOption(options, "padding", 32);
    auto blur = localsd::integerOption(options, "mask_blur", 4);
    for (const Error* error :
         {denoise ? nullptr : &denoise.error(), fill ? nullptr : &fill.error(),
          onlyMasked ? nullptr : &onlyMasked.error(), padding ? nullptr : &padding.error(),
          blur ? nullptr : &blur.error()}) {
        if (error != nullptr) {
            return std::unexpected(permanentFailure("A1111: " + error->message));
        }
    }
    if (*fill < 0 || *fill > 3) {
        return std::unexpected(permanentFailure("A1111 inpainting_fill is 0 (fill), 1 (original), "
                                                "2 (latent noise) or 3 (latent nothing)"));
    }
    auto& json = *body;
    json["init_images"] = nlohmann::json::array({encodeBase64(image->bytes)});
    json["mask"] = encodeBase64(*mask);
    json["inpainting_mask_invert"] = 0; // white = inpaint, as Ripen's masks already are
    json["inpainting_fill"] = *fill;
    json["inpaint_full_res"] = *onlyMasked;
    json["inpaint_full_res_padding"] = *padding;
    json["mask_blur"] = *blur;
    json["denoising_strength"] = *denoise;
    json["resize_mode"] = 0;
    return body;
}

ProviderOutcome<nlohmann::json>
Automatic1111Provider::extrasBody(const GenerationRequest& request) const {
    if (request.images.empty()) {
        return std::unexpected(permanentFailure("A1111 upscale needs an image"));
    }
    auto image = localsd::readInputImage(request.images.front());
    if (!image) {
        return std::unexpected(permanentFailure(image.error().message));
    }
    auto upscaler = localsd::stringOption(request.options, "upscaler", m_settings.defaultUpscaler);
    if (!upscaler) {
        return std::unexpected(permanentFailure("A1111: " + upscaler.error().message));
    }
    const int factor = request.upscaleFactor > 0 ? request.upscaleFactor : 2;
    if (factor > 8) {
        return std::unexpected(permanentFailure("A1111 upscales by at most 8x in one step"));
    }
    return nlohmann::json{
        {"image", encodeBase64(image->bytes)},
        {"resize_mode", 0}, // scale by upscaling_resize
        {"upscaling_resize", factor},
        {"upscaler_1", *upscaler},
        {"upscaler_2", "None"},
        {"extras_upscaler_2_visibility", 0},
        {"gfpgan_visibility", 0},
        {"codeformer_visibility", 0},
        {"show_extras_results", true},
    };
}

ProviderOutcome<nlohmann::json> Automatic1111Provider::post(const ProviderContext& context,
                                                            const std::string& path,
                                                            const nlohmann::json& body) const {
    http::Request request;
    request.method = "POST";
    request.url = context.baseUrl + path;
    request.headers.push_back({"Content-Type", "application/json", false});
    request.headers.push_back({"Accept", "application/json", false});
    const auto user = context.credentials.get(kUserVariable);
    const auto password = context.credentials.get(kPasswordVariable);
    if (user && password) {
        request.headers.push_back(
            {"Authorization", "Basic " + encodeBase64(*user + ":" + *password), true});
    }
    request.body = body.dump();
    request.connectTimeout = m_settings.connectTimeout;
    request.deadline = m_settings.requestDeadline;
    request.lowSpeedBytes = 0;
    request.maxResponseBytes = m_settings.maxReplyBytes;

    auto response = context.http.perform(request, context.stop);
    if (!response) {
        return std::unexpected(failureFromTransport(response.error(), false));
    }
    auto reply = parseBoundedJson(response->body, "A1111 reply", kDefaultMaxJsonDepth,
                                  m_settings.maxReplyBytes);
    if (response->status < 200 || response->status > 299) {
        std::string message = reply ? describeError(*reply) : std::string();
        if (response->status == 401) {
            message = "A1111 wants a login: set AUTOMATIC1111_USER and AUTOMATIC1111_PASSWORD "
                      "to match its --api-auth";
        }
        return std::unexpected(
            failureFromStatus(*response, message.empty() ? message : "A1111: " + message));
    }
    if (!reply || !reply->is_object()) {
        return std::unexpected(permanentFailure(
            reply ? std::string("A1111 reply is not a JSON object") : reply.error().message));
    }
    return std::move(*reply);
}

ProviderOutcome<ProviderResult>
Automatic1111Provider::generatedImages(const ProviderContext& context,
                                       const nlohmann::json& reply) const {
    const auto images = reply.find("images");
    if (images == reply.end() || !images->is_array() || images->empty()) {
        return std::unexpected(permanentFailure("A1111 returned no image"));
    }
    const nlohmann::json info = parseInfo(reply);
    std::vector<std::int64_t> seeds;
    if (const auto all = info.find("all_seeds"); all != info.end() && all->is_array()) {
        for (const auto& seed : *all) {
            seeds.push_back(seed.is_number_integer() ? seed.get<std::int64_t>() : -1);
        }
    }
    // Extensions (ControlNet maps, grids) append extra images after the generated ones.
    std::size_t count = std::min(images->size(), kMaxImages);
    if (!seeds.empty()) {
        count = std::min(count, seeds.size());
    }
    ProviderResult result;
    result.state = ProviderResult::State::Done;
    result.modelVersion = modelVersionFrom(info);
    result.info = provenanceFrom(info);
    const auto firstSeed = integerField(info, "seed");
    for (std::size_t i = 0; i < count; ++i) {
        auto file = saveImage(context, (*images)[i]);
        if (!file) {
            return std::unexpected(file.error());
        }
        if (i < seeds.size() && seeds[i] >= 0) {
            file->seed = seeds[i];
        } else if (i == 0 && firstSeed) {
            file->seed = firstSeed;
        }
        result.outputs.push_back(std::move(*file));
    }
    return result;
}

ProviderOutcome<ProviderResult>
Automatic1111Provider::upscaledImage(const ProviderContext& context, const nlohmann::json& reply,
                                     const std::string& upscaler) const {
    const auto image = reply.find("image");
    if (image == reply.end() || !image->is_string() ||
        image->get_ref<const std::string&>().empty()) {
        return std::unexpected(permanentFailure("A1111 returned no upscaled image"));
    }
    auto file = saveImage(context, *image);
    if (!file) {
        return std::unexpected(file.error());
    }
    ProviderResult result;
    result.state = ProviderResult::State::Done;
    result.modelVersion = upscaler;
    result.outputs.push_back(std::move(*file));
    result.info = {{"upscaler", upscaler}};
    if (const auto html = stringField(reply, "html_info"); !html.empty()) {
        result.info["html_info"] = localsd::clipServerText(html);
    }
    return result;
}

ProviderOutcome<ProviderResult> Automatic1111Provider::submit(const ProviderContext& context,
                                                              const GenerationRequest& request) {
    switch (request.kind) {
    case JobKind::TextToImage: {
        auto body = txt2imgBody(context, request);
        if (!body) {
            return std::unexpected(body.error());
        }
        auto reply = post(context, "/sdapi/v1/txt2img", *body);
        return reply ? generatedImages(context, *reply)
                     : ProviderOutcome<ProviderResult>(std::unexpected(reply.error()));
    }
    case JobKind::Inpaint: {
        auto body = img2imgBody(context, request);
        if (!body) {
            return std::unexpected(body.error());
        }
        auto reply = post(context, "/sdapi/v1/img2img", *body);
        return reply ? generatedImages(context, *reply)
                     : ProviderOutcome<ProviderResult>(std::unexpected(reply.error()));
    }
    case JobKind::Upscale: {
        auto body = extrasBody(request);
        if (!body) {
            return std::unexpected(body.error());
        }
        auto reply = post(context, "/sdapi/v1/extra-single-image", *body);
        return reply ? upscaledImage(context, *reply, (*body)["upscaler_1"].get<std::string>())
                     : ProviderOutcome<ProviderResult>(std::unexpected(reply.error()));
    }
    default:
        return std::unexpected(
            permanentFailure("AUTOMATIC1111 does text-to-image, inpaint and upscale only"));
    }
}

} // namespace ripen::providers::automatic1111

#include "providers/automatic1111/Automatic1111Provider.h"

#include "providers/ProviderSupport.h"
#include "providers/automatic1111/A1111Reply.h"
#include "providers/localsd/SdRequestSupport.h"

#include <algorithm>

namespace ripen::providers::automatic1111 {

using localsd::permanentFailure;

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
    return readA1111Reply(*response, m_settings.maxReplyBytes);
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
        return reply ? readA1111Images(*reply, context.workDir)
                     : ProviderOutcome<ProviderResult>(std::unexpected(reply.error()));
    }
    case JobKind::Inpaint: {
        auto body = img2imgBody(context, request);
        if (!body) {
            return std::unexpected(body.error());
        }
        auto reply = post(context, "/sdapi/v1/img2img", *body);
        return reply ? readA1111Images(*reply, context.workDir)
                     : ProviderOutcome<ProviderResult>(std::unexpected(reply.error()));
    }
    case JobKind::Upscale: {
        auto body = extrasBody(request);
        if (!body) {
            return std::unexpected(body.error());
        }
        auto reply = post(context, "/sdapi/v1/extra-single-image", *body);
        return reply ? readA1111Upscale(*reply, context.workDir,
                                        (*body)["upscaler_1"].get<std::string>())
                     : ProviderOutcome<ProviderResult>(std::unexpected(reply.error()));
    }
    default:
        return std::unexpected(
            permanentFailure("AUTOMATIC1111 does text-to-image, inpaint and upscale only"));
    }
}

} // namespace ripen::providers::automatic1111

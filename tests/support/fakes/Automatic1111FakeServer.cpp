#include "support/fakes/Automatic1111FakeServer.h"

#include "providers/ProviderSupport.h"
#include "support/TestImages.h"

#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>

namespace ripen::test {

namespace {

// FastAPI's validation error shape.
FakeReply unprocessable(const std::string& field, const std::string& message) {
    return FakeReply::json(
        422, {{"detail", {{{"loc", {"body", field}}, {"msg", message}, {"type", "type_error"}}}}});
}

// The first field of `body` whose type does not match, or empty.
std::string badField(const nlohmann::json& body) {
    const std::pair<const char*, const char*> expected[] = {{"prompt", "string"},
                                                            {"negative_prompt", "string"},
                                                            {"seed", "integer"},
                                                            {"steps", "integer"},
                                                            {"cfg_scale", "number"},
                                                            {"width", "integer"},
                                                            {"height", "integer"},
                                                            {"sampler_name", "string"},
                                                            {"batch_size", "integer"},
                                                            {"n_iter", "integer"},
                                                            {"denoising_strength", "number"},
                                                            {"inpainting_fill", "integer"},
                                                            {"inpaint_full_res", "boolean"},
                                                            {"inpaint_full_res_padding", "integer"},
                                                            {"mask_blur", "integer"},
                                                            {"mask", "string"},
                                                            {"init_images", "array"},
                                                            {"override_settings", "object"}};
    for (const auto& [name, type] : expected) {
        if (!body.contains(name)) {
            continue;
        }
        const auto& value = body[name];
        const std::string want = type;
        const bool ok =
            (want == "string" && value.is_string()) ||
            (want == "integer" && value.is_number_integer()) ||
            (want == "number" && value.is_number()) || (want == "boolean" && value.is_boolean()) ||
            (want == "array" && value.is_array()) || (want == "object" && value.is_object());
        if (!ok) {
            return name;
        }
    }
    return {};
}

bool decodesToImage(const nlohmann::json& value) {
    if (!value.is_string()) {
        return false;
    }
    auto bytes = providers::decodeBase64(value.get<std::string>(), 64 << 20);
    if (!bytes) {
        return false;
    }
    const std::vector<unsigned char> data(bytes->begin(), bytes->end());
    return !cv::imdecode(data, cv::IMREAD_UNCHANGED).empty();
}

} // namespace

Automatic1111FakeServer::Automatic1111FakeServer()
    : m_image(encodeTestImage(makeTestImage(64, 64, 3), ".png")) {
    m_server.on("POST", "/sdapi/v1/txt2img",
                [this](const RecordedRequest& r) { return generate(r, false); });
    m_server.on("POST", "/sdapi/v1/img2img",
                [this](const RecordedRequest& r) { return generate(r, true); });
    m_server.on("POST", "/sdapi/v1/extra-single-image",
                [this](const RecordedRequest& r) { return extras(r); });
}

void Automatic1111FakeServer::requireBasicAuth(std::string user, std::string password) {
    std::lock_guard lock(m_mutex);
    m_expectedAuthorization = "Basic " + providers::encodeBase64(user + ":" + password);
}

void Automatic1111FakeServer::setImage(std::string bytes) {
    std::lock_guard lock(m_mutex);
    m_image = std::move(bytes);
}

std::vector<nlohmann::json> Automatic1111FakeServer::bodies() const {
    std::lock_guard lock(m_mutex);
    return m_bodies;
}

std::optional<FakeReply> Automatic1111FakeServer::refuseAuth(const RecordedRequest& request) const {
    std::lock_guard lock(m_mutex);
    if (m_expectedAuthorization.empty() ||
        request.header("Authorization").value_or("") == m_expectedAuthorization) {
        return std::nullopt;
    }
    FakeReply reply = FakeReply::json(401, {{"detail", "Incorrect username or password"}});
    reply.withHeader("WWW-Authenticate", "Basic");
    return reply;
}

FakeReply Automatic1111FakeServer::generate(const RecordedRequest& request, bool img2img) {
    if (auto refused = refuseAuth(request)) {
        return *refused;
    }
    const auto body = nlohmann::json::parse(request.body, nullptr, false);
    if (!body.is_object()) {
        return unprocessable("body", "value is not a valid dict");
    }
    if (const auto field = badField(body); !field.empty()) {
        return unprocessable(field, "wrong type");
    }
    if (img2img) {
        if (!body.contains("init_images") || body["init_images"].size() != 1 ||
            !decodesToImage(body["init_images"][0])) {
            return FakeReply::json(404, {{"error", "HTTPException"},
                                         {"detail", "Init image not found"},
                                         {"body", ""},
                                         {"errors", ""}});
        }
        if (body.contains("mask") && !decodesToImage(body["mask"])) {
            return FakeReply::json(500, {{"error", "HTTPException"},
                                         {"detail", "Invalid encoded image"},
                                         {"body", ""},
                                         {"errors", ""}});
        }
    }
    std::lock_guard lock(m_mutex);
    m_bodies.push_back(body);
    const std::int64_t seed =
        body.value("seed", std::int64_t{-1}) < 0 ? 1234567 : body["seed"].get<std::int64_t>();
    const nlohmann::json info = {
        {"prompt", body.value("prompt", "")},
        {"all_prompts", {body.value("prompt", "")}},
        {"seed", seed},
        {"all_seeds", {seed}},
        {"sd_model_name", kModelName},
        {"sd_model_hash", kModelHash},
        {"sampler_name", body.value("sampler_name", "Euler a")},
        {"steps", body.value("steps", 20)},
        {"infotexts", {body.value("prompt", "") + "\nSteps: 20, Seed: " + std::to_string(seed)}},
        {"version", "v1.10.1"}};
    nlohmann::json parameters = body;
    parameters.erase("init_images");
    parameters.erase("mask");
    return FakeReply::json(200, {{"images", {providers::encodeBase64(m_image)}},
                                 {"parameters", parameters},
                                 {"info", info.dump()}});
}

FakeReply Automatic1111FakeServer::extras(const RecordedRequest& request) {
    if (auto refused = refuseAuth(request)) {
        return *refused;
    }
    const auto body = nlohmann::json::parse(request.body, nullptr, false);
    if (!body.is_object() || !body.contains("image") || !body["image"].is_string()) {
        return unprocessable("image", "field required");
    }
    if (!body.contains("upscaling_resize") || !body["upscaling_resize"].is_number() ||
        !body.contains("upscaler_1") || !body["upscaler_1"].is_string()) {
        return unprocessable("upscaling_resize", "wrong type");
    }
    auto bytes = providers::decodeBase64(body["image"].get<std::string>(), 64 << 20);
    std::vector<unsigned char> data;
    if (bytes) {
        data.assign(bytes->begin(), bytes->end());
    }
    cv::Mat image = data.empty() ? cv::Mat() : cv::imdecode(data, cv::IMREAD_COLOR);
    if (image.empty()) {
        return FakeReply::json(500,
                               {{"error", "HTTPException"}, {"detail", "Invalid encoded image"}});
    }
    const double factor = body["upscaling_resize"].get<double>();
    cv::Mat upscaled;
    cv::resize(image, upscaled, {}, factor, factor, cv::INTER_CUBIC);
    {
        std::lock_guard lock(m_mutex);
        m_bodies.push_back(body);
    }
    return FakeReply::json(200,
                           {{"image", providers::encodeBase64(encodeTestImage(upscaled, ".png"))},
                            {"html_info", "<p>Postprocess upscale by: 2</p>"}});
}

} // namespace ripen::test

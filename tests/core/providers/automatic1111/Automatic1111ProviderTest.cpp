#include "providers/automatic1111/Automatic1111Provider.h"

#include "providers/ProviderSupport.h"
#include "support/TestCredentials.h"
#include "support/TempDir.h"
#include "support/TestImages.h"
#include "support/fakes/Automatic1111FakeServer.h"

#include <catch2/catch.hpp>
#include <map>
#include <opencv2/imgcodecs.hpp>

using namespace ripen;
using namespace ripen::test;
using providers::automatic1111::Automatic1111Provider;
using Kind = ProviderFailure::Kind;
using namespace std::chrono_literals;

namespace {

struct Fixture {
    Automatic1111FakeServer fake;
    http::HttpClient http;
    test::TestCredentials credentials;
    TempDir work;
    GenerationRequest request;

    Fixture() {
        request.kind = JobKind::TextToImage;
        request.provider = "automatic1111";
        request.prompt = "a lighthouse at dusk";
        request.negativePrompt = "blurry";
        request.imageSize = "768x512";
    }

    ProviderContext context() {
        return ProviderContext{
            http, fake.baseUrl(), credentials, work.path(), "3d2c1b0a-9e8f-4a7b-8c6d-5e4f3a2b1c0d",
            {},   nullptr};
    }
};

Automatic1111Provider::Settings quickSettings() {
    Automatic1111Provider::Settings settings;
    settings.requestDeadline = 1500ms;
    return settings;
}

ProviderFailure failureOf(Fixture& f, Automatic1111Provider& provider) {
    auto result = provider.submit(f.context(), f.request);
    REQUIRE_FALSE(result.has_value());
    INFO(result.error().message);
    CHECK(result.error().message.find("CANARY") == std::string::npos);
    return result.error();
}

cv::Mat decodeBase64Image(const nlohmann::json& text) {
    auto bytes = providers::decodeBase64(text.get<std::string>(), 64 << 20);
    REQUIRE(bytes.has_value());
    const std::vector<unsigned char> data(bytes->begin(), bytes->end());
    return cv::imdecode(data, cv::IMREAD_UNCHANGED);
}

} // namespace

TEST_CASE("A1111 txt2img sends the documented fields and reads info", "[automatic1111]") {
    Fixture f;
    f.request.options = {{"steps", 30},
                         {"cfg_scale", 5.5},
                         {"sampler", "DPM++ 2M"},
                         {"checkpoint", "sd_xl_base_1.0.safetensors"}};
    Automatic1111Provider provider(quickSettings());
    CHECK(provider.id() == "automatic1111");
    CHECK(provider.baseUrlVariable() == "RIPEN_A1111_BASE_URL");
    CHECK(provider.defaultBaseUrls() == std::vector<std::string>{"http://127.0.0.1:7860"});
    CHECK(provider.missingConfiguration(f.credentials).empty());
    CHECK_FALSE(provider.supports(JobKind::ImageToVideo));

    auto result = provider.submit(f.context(), f.request);
    REQUIRE(result.has_value());
    CHECK(result->state == ProviderResult::State::Done);
    REQUIRE(result->outputs.size() == 1);
    CHECK(result->outputs[0].mimeType == "image/png");
    CHECK(result->outputs[0].file.parent_path() == f.work.path());
    CHECK(result->modelVersion == std::string(Automatic1111FakeServer::kModelName) + " [" +
                                      Automatic1111FakeServer::kModelHash + "]");
    CHECK(result->info["infotexts"].is_array());
    CHECK_FALSE(result->usage.costMicros.has_value());

    const auto body = f.fake.bodies().at(0);
    CHECK(body["prompt"] == "a lighthouse at dusk");
    CHECK(body["negative_prompt"] == "blurry");
    CHECK(body["steps"] == 30);
    CHECK(body["cfg_scale"] == 5.5);
    CHECK(body["sampler_name"] == "DPM++ 2M");
    CHECK(body["width"] == 768);
    CHECK(body["height"] == 512);
    CHECK(body["override_settings"]["sd_model_checkpoint"] == "sd_xl_base_1.0.safetensors");
    CHECK(body["seed"].is_number_integer());
    CHECK(result->outputs[0].seed == body["seed"].get<std::int64_t>()); // as all_seeds says
    const auto sent = f.fake.server().requestsTo("/sdapi/v1/txt2img");
    REQUIRE(sent.size() == 1);
    CHECK_FALSE(sent[0].header("Authorization").has_value());
}

TEST_CASE("A1111 inpaint sends image, white-is-inpaint mask and only-masked settings",
          "[automatic1111]") {
    Fixture f;
    f.request.kind = JobKind::Inpaint;
    f.request.images = {f.work / "in.png"};
    writeTestImage(f.request.images[0], makeTestImage(96, 72, 2));
    cv::Mat mask(72, 96, CV_8UC1, cv::Scalar(0));
    mask(cv::Rect(8, 8, 16, 16)).setTo(255);
    f.request.mask = f.work / "mask.png";
    writeTestImage(*f.request.mask, mask);
    f.request.options = {{"denoising_strength", 0.6}, {"mask_blur", 8}};
    Automatic1111Provider provider(quickSettings());

    auto result = provider.submit(f.context(), f.request);
    REQUIRE(result.has_value());
    const auto body = f.fake.bodies().at(0);
    REQUIRE(body["init_images"].size() == 1);
    CHECK(decodeBase64Image(body["init_images"][0]).cols == 96);
    const cv::Mat sentMask = decodeBase64Image(body["mask"]);
    REQUIRE(sentMask.channels() == 1);
    CHECK(sentMask.at<unsigned char>(10, 10) == 255);
    CHECK(sentMask.at<unsigned char>(60, 80) == 0);
    CHECK(body["inpainting_mask_invert"] == 0);
    CHECK(body["inpainting_fill"] == 1);
    CHECK(body["inpaint_full_res"] == true);
    CHECK(body["mask_blur"] == 8);
    CHECK(body["denoising_strength"] == 0.6);
    CHECK(body["width"] == 96);
    CHECK(body["height"] == 72);
}

TEST_CASE("A1111 upscale goes through extras", "[automatic1111]") {
    Fixture f;
    f.request.kind = JobKind::Upscale;
    f.request.upscaleFactor = 2;
    f.request.images = {f.work / "small.png"};
    writeTestImage(f.request.images[0], makeTestImage(40, 30, 3));
    Automatic1111Provider provider(quickSettings());
    auto result = provider.submit(f.context(), f.request);
    REQUIRE(result.has_value());
    REQUIRE(result->outputs.size() == 1);
    const auto image = cv::imread(result->outputs[0].file.string());
    CHECK(image.cols == 80);
    CHECK(image.rows == 60);
    CHECK(result->modelVersion == "R-ESRGAN 4x+");
    const auto body = f.fake.bodies().at(0);
    CHECK(body["upscaling_resize"] == 2);
    CHECK(body["upscaler_1"] == "R-ESRGAN 4x+");
}

TEST_CASE("A1111 basic auth comes from the credentials and stays secret", "[automatic1111]") {
    Fixture f;
    f.fake.requireBasicAuth("artist", "CANARY-password");
    Automatic1111Provider provider(quickSettings());

    CHECK(failureOf(f, provider).kind == Kind::Permanent); // 401 without credentials
    f.credentials.values = {{"AUTOMATIC1111_USER", "artist"}};
    CHECK_FALSE(provider.missingConfiguration(f.credentials).empty());
    f.credentials.values["AUTOMATIC1111_PASSWORD"] = "CANARY-password";
    CHECK(provider.submit(f.context(), f.request).has_value());
    f.credentials.values["AUTOMATIC1111_PASSWORD"] = "CANARY-wrong";
    const auto failure = failureOf(f, provider);
    CHECK(failure.httpStatus == 401);
    CHECK(failure.message.find("AUTOMATIC1111_USER") != std::string::npos);
}

TEST_CASE("A1111 error replies and faults", "[automatic1111]") {
    Fixture f;
    Automatic1111Provider provider(quickSettings());
    const std::string path = "/sdapi/v1/txt2img";

    SECTION("422 validation detail is permanent and quoted") {
        f.request.options = {{"steps", 20}};
        f.fake.server().reply("POST", path,
                              FakeReply::json(422, {{"detail",
                                                     {{{"loc", {"body", "steps"}},
                                                       {"msg", "value is not a valid integer"},
                                                       {"type", "type_error.integer"}}}}}));
        const auto failure = failureOf(f, provider);
        CHECK(failure.kind == Kind::Permanent);
        CHECK(failure.message.find("body.steps: value is not a valid integer") !=
              std::string::npos);
    }
    SECTION("400 Sampler not found is permanent") {
        f.fake.server().reply("POST", path,
                              FakeReply::json(400, {{"error", "HTTPException"},
                                                    {"detail", "Sampler not found"},
                                                    {"body", ""},
                                                    {"errors", ""}}));
        const auto failure = failureOf(f, provider);
        CHECK(failure.kind == Kind::Permanent);
        CHECK(failure.message.find("Sampler not found") != std::string::npos);
    }
    SECTION("500 with error/detail is retryable and quoted") {
        f.fake.server().reply("POST", path,
                              FakeReply::json(500, {{"error", "OutOfMemoryError"},
                                                    {"detail", ""},
                                                    {"body", ""},
                                                    {"errors", "CUDA out of memory"}}));
        const auto failure = failureOf(f, provider);
        CHECK(failure.kind == Kind::Retryable);
        CHECK(failure.message.find("CUDA out of memory") != std::string::npos);
    }
    SECTION("a wrong option type never reaches the server") {
        f.request.options = {{"steps", "many"}};
        CHECK(failureOf(f, provider).kind == Kind::Permanent);
        CHECK(f.fake.server().totalCount() == 0);
    }
    SECTION("malformed JSON is permanent") {
        f.fake.server().reply("POST", path, FakeReply::malformedJson());
        CHECK(failureOf(f, provider).kind == Kind::Permanent);
    }
    SECTION("no images is permanent") {
        f.fake.server().reply(
            "POST", path,
            FakeReply::json(200, {{"images", nlohmann::json::array()}, {"info", "{}"}}));
        CHECK(failureOf(f, provider).kind == Kind::Permanent);
    }
    SECTION("null, broken base64 and non-images are permanent") {
        for (const nlohmann::json& images :
             {nlohmann::json::array({nullptr}), nlohmann::json::array({"@@@not base64@@@"}),
              nlohmann::json::array({providers::encodeBase64("<html>")})}) {
            f.fake.server().reply("POST", path,
                                  FakeReply::json(200, {{"images", images}, {"info", "not json"}}));
            CHECK(failureOf(f, provider).kind == Kind::Permanent);
        }
        CHECK(std::filesystem::is_empty(f.work.path()));
    }
    SECTION("a reset mid-body is ambiguous, and resending is allowed (no charge)") {
        f.fake.server().reply("POST", path, FakeReply::cutBody(R"({"images": ["iVBOR)", 10000));
        CHECK(failureOf(f, provider).kind == Kind::Ambiguous);
        CHECK(provider.dedupesResubmission());
    }
    SECTION("a stall past the deadline is cut") {
        f.fake.server().reply("POST", path, FakeReply::stall(10s));
        const auto started = std::chrono::steady_clock::now();
        CHECK(failureOf(f, provider).kind == Kind::Ambiguous);
        CHECK(std::chrono::steady_clock::now() - started < 6s);
    }
    SECTION("an oversized reply is aborted") {
        Automatic1111Provider::Settings settings = quickSettings();
        settings.maxReplyBytes = 1 << 20;
        Automatic1111Provider small(settings);
        f.fake.server().reply("POST", path, FakeReply::chunked(8 << 20));
        auto result = small.submit(f.context(), f.request);
        REQUIRE_FALSE(result.has_value());
    }
}

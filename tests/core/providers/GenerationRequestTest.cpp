#include "providers/GenerationRequest.h"

#include <catch2/catch.hpp>

using namespace ripen;

TEST_CASE("Job kinds have stable names", "[request]") {
    for (JobKind kind : {JobKind::TextToImage, JobKind::EditImage, JobKind::Inpaint,
                         JobKind::Erase, JobKind::Upscale, JobKind::ImageToVideo}) {
        CHECK(jobKindFromString(toString(kind)) == kind);
    }
    CHECK(toString(JobKind::TextToImage) == "text-to-image");
    CHECK(toString(JobKind::ImageToVideo) == "image-to-video");
    CHECK_FALSE(jobKindFromString("Text-To-Image").has_value());
    CHECK_FALSE(jobKindFromString("").has_value());
}

TEST_CASE("GenerationRequest JSON round trip", "[request]") {
    GenerationRequest request;
    request.kind = JobKind::Inpaint;
    request.provider = "openai";
    request.model = "gpt-image-1";
    request.prompt = "replace the sky, keep \"the\" tree — ünïcode";
    request.negativePrompt = "blur";
    request.aspectRatio = "16:9";
    request.imageSize = "1024x1536";
    request.seed = -9'000'000'000'000LL;
    request.images = {"/lib/blobs/ab/abc.png", "/lib/blobs/cd/cde.jpg"};
    request.mask = "/tmp/mask.png";
    request.durationSeconds = 8;
    request.upscaleMode = "creative";
    request.upscaleFactor = 4;
    request.options = {{"quality", "high"}, {"steps", 30}, {"nested", {{"a", {1, 2}}}}};

    const nlohmann::json json = request.toJson();
    auto back = GenerationRequest::fromJson(nlohmann::json::parse(json.dump()));
    REQUIRE(back.has_value());
    CHECK(back->kind == request.kind);
    CHECK(back->provider == request.provider);
    CHECK(back->model == request.model);
    CHECK(back->prompt == request.prompt);
    CHECK(back->negativePrompt == request.negativePrompt);
    CHECK(back->aspectRatio == request.aspectRatio);
    CHECK(back->imageSize == request.imageSize);
    CHECK(back->seed == request.seed);
    CHECK(back->images == request.images);
    CHECK(back->mask == request.mask);
    CHECK(back->durationSeconds == 8);
    CHECK(back->upscaleMode == "creative");
    CHECK(back->upscaleFactor == 4);
    CHECK(back->options == request.options);
    CHECK(back->toJson() == json);

    SECTION("optional fields may be absent or null") {
        auto minimal = GenerationRequest::fromJson(
            {{"kind", "text-to-image"}, {"provider", "google"}, {"seed", nullptr}, {"mask", nullptr}});
        REQUIRE(minimal.has_value());
        CHECK_FALSE(minimal->seed.has_value());
        CHECK_FALSE(minimal->mask.has_value());
        CHECK(minimal->images.empty());
        CHECK(minimal->options.is_object());
        CHECK(minimal->options.empty());
    }
}

TEST_CASE("GenerationRequest validation errors name the field", "[request]") {
    const nlohmann::json valid = {{"kind", "upscale"}, {"provider", "stability"}};
    REQUIRE(GenerationRequest::fromJson(valid).has_value());

    struct Case {
        const char* field;
        nlohmann::json value;
        const char* expectedName;
    };
    const Case cases[] = {
        {"kind", "paint", "kind"},
        {"kind", 3, "kind"},
        {"provider", "", "provider"},
        {"provider", 7, "provider"},
        {"prompt", nlohmann::json::array(), "prompt"},
        {"seed", "42", "seed"},
        {"seed", 1.5, "seed"},
        {"seed", 18446744073709551615ULL, "seed"},
        {"images", "/a.png", "images"},
        {"images", nlohmann::json::array({"/a.png", 5}), "images[1]"},
        {"images", nlohmann::json::array({"relative.png"}), "images[0]"},
        {"mask", "", "mask"},
        {"durationSeconds", -1, "durationSeconds"},
        {"durationSeconds", "8", "durationSeconds"},
        {"upscaleFactor", 1000, "upscaleFactor"},
        {"options", nlohmann::json::array(), "options"},
    };
    for (const auto& c : cases) {
        nlohmann::json json = valid;
        json[c.field] = c.value;
        INFO(json.dump());
        auto parsed = GenerationRequest::fromJson(json);
        REQUIRE_FALSE(parsed.has_value());
        CHECK(parsed.error().code == ErrorCode::InvalidArgument);
        CHECK(parsed.error().message.find(std::string("\"") + c.expectedName + "\"") !=
              std::string::npos);
    }
    CHECK_FALSE(GenerationRequest::fromJson(nlohmann::json::array()).has_value());
    auto noKind = GenerationRequest::fromJson({{"provider", "google"}});
    REQUIRE_FALSE(noKind.has_value());
    CHECK(noKind.error().message.find("\"kind\"") != std::string::npos);
}

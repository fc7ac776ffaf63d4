// Gemini image generation (Nano Banana) against the loopback Gemini API: request shape,
// reply parsing and the fault modes of providers.md §1 and RELIABILITY.md (P1, P3, I5).

#include "GoogleFakeServer.h"
#include "imaging/ImageHeader.h"
#include "providers/google/GoogleProvider.h"
#include "providers/http/HttpClient.h"
#include "support/TempDir.h"
#include "support/TestImages.h"

#include <catch2/catch.hpp>
#include <filesystem>

using namespace ripen;
using namespace ripen::test;
using namespace ripen::test::google;
using ripen::providers::google::GoogleProvider;
using ripen::providers::google::GoogleSettings;
using Kind = ProviderFailure::Kind;

namespace {

struct Fixture {
    GoogleFakeServer fake;
    http::HttpClient http;
    MapCredentials credentials;
    TempDir work;
    GoogleProvider provider;

    ProviderContext context() {
        return ProviderContext{http, fake.baseUrl(), credentials, work.path(), "job-1",
                               {},   nullptr};
    }
    ProviderOutcome<ProviderResult> submit(const GenerationRequest& request) {
        return provider.submit(context(), request);
    }
    std::size_t filesInWorkDir() const {
        std::size_t n = 0;
        for (const auto& entry : std::filesystem::recursive_directory_iterator(work.path())) {
            n += entry.is_regular_file() ? 1 : 0;
        }
        return n;
    }
};

GenerationRequest imageRequest(std::string model = "gemini-2.5-flash-image") {
    GenerationRequest request;
    request.kind = JobKind::TextToImage;
    request.provider = "google";
    request.model = std::move(model);
    request.prompt = "a ripe mango on a marble table, studio light";
    return request;
}

std::filesystem::path writeInput(const TempDir& dir, const std::string& name, int seed) {
    const auto path = dir / name;
    writeTestImage(path, makeTestImage(80, 60, seed));
    return path;
}

} // namespace

TEST_CASE("Gemini text-to-image sends the documented request and reads the image after a text part",
          "[google][gemini]") {
    Fixture f;
    const std::string png = testPng(96, 64, 7);
    f.fake.setImageReplies({FakeReply::json(
        200,
        GoogleFakeServer::contentReply(nlohmann::json::array(
            {{{"text", "Here is the mango you asked for."}}, GoogleFakeServer::imagePart(png)})))});

    GenerationRequest request = imageRequest("gemini-3-pro-image-preview");
    request.aspectRatio = "16:9";
    request.imageSize = "2k";
    request.negativePrompt = "text, watermark";
    request.seed = 1234;
    const auto result = f.submit(request);
    REQUIRE(result);
    CHECK(result->state == ProviderResult::State::Done);
    REQUIRE(result->outputs.size() == 1);
    CHECK(readBytes(result->outputs[0].file) == png);
    CHECK(result->outputs[0].mimeType == "image/png");
    CHECK(result->outputs[0].seed == 1234);
    CHECK(result->modelVersion == "gemini-2.5-flash-image-preview");
    CHECK(result->usage.raw["candidatesTokenCount"] == 1306);
    CHECK(result->usage.raw["candidatesTokensDetails"][0]["tokenCount"] == 1290);
    CHECK(result->info["text"] == "Here is the mango you asked for.");
    CHECK(result->info["responseId"] == "deO6aLeTE4fYvdIPuIm_kQQ");

    const auto sent = f.fake.server().lastRequest().value();
    CHECK(sent.path == "/v1beta/models/gemini-3-pro-image-preview:generateContent");
    CHECK(sent.header("x-goog-api-key") == std::string(kApiKey));
    CHECK(sent.header("Content-Type").value_or("").starts_with("application/json"));
    CHECK_FALSE(sent.param("key"));
    const auto body = nlohmann::json::parse(sent.body);
    const auto& parts = body["contents"][0]["parts"];
    REQUIRE(parts.size() == 1);
    CHECK(parts[0]["text"] == request.prompt + "\n\nAvoid: text, watermark");
    const auto& config = body["generationConfig"];
    CHECK(config["responseModalities"] == nlohmann::json({"TEXT", "IMAGE"}));
    CHECK(config["imageConfig"]["aspectRatio"] == "16:9");
    CHECK(config["imageConfig"]["imageSize"] == "2K");
    CHECK(config["seed"] == 1234);
    CHECK(f.fake.keyProblems().empty());
}

TEST_CASE("Gemini imageSize is sent only to models that take it", "[google][gemini]") {
    GoogleProvider provider;
    const providers::google::GeminiImageClient client(GoogleSettings::defaults());

    GenerationRequest flash = imageRequest("gemini-2.5-flash-image");
    flash.imageSize = "1K";
    auto body = client.buildBody(flash);
    REQUIRE(body);
    CHECK_FALSE(body->at("generationConfig").contains("imageConfig"));

    flash.imageSize = "4K";
    body = client.buildBody(flash);
    REQUIRE_FALSE(body);
    CHECK(body.error().kind == Kind::Permanent);
    CHECK(body.error().message.find("1K") != std::string::npos);

    GenerationRequest pro = imageRequest("gemini-3-pro-image");
    pro.imageSize = "4K";
    body = client.buildBody(pro);
    REQUIRE(body);
    CHECK(body->at("generationConfig")["imageConfig"]["imageSize"] == "4K");

    pro.imageSize = "8K";
    CHECK_FALSE(client.buildBody(pro));
    pro.imageSize.clear();
    pro.aspectRatio = "wide";
    CHECK_FALSE(client.buildBody(pro));

    // A model Ripen has never heard of gets imageSize: Google answers a free 400 if wrong.
    GenerationRequest future = imageRequest("gemini-9-ultra-image");
    future.imageSize = "2K";
    body = client.buildBody(future);
    REQUIRE(body);
    CHECK(body->at("generationConfig")["imageConfig"]["imageSize"] == "2K");
}

TEST_CASE("Gemini edits send every reference image inline, in order, up to the model's limit",
          "[google][gemini]") {
    Fixture f;
    TempDir inputs;
    GenerationRequest request = imageRequest("gemini-2.5-flash-image");
    request.kind = JobKind::EditImage;
    request.prompt = "put the mango from image 2 on the table of image 1";
    request.images = {writeInput(inputs, "table.png", 1), writeInput(inputs, "mango.jpg", 2),
                      writeInput(inputs, "light.webp", 3)};

    const auto result = f.submit(request);
    REQUIRE(result);
    const auto body = nlohmann::json::parse(f.fake.server().lastRequest()->body);
    const auto& parts = body["contents"][0]["parts"];
    REQUIRE(parts.size() == 4);
    CHECK(parts[0]["text"] == request.prompt);
    CHECK(parts[1]["inlineData"]["mimeType"] == "image/png");
    CHECK(parts[2]["inlineData"]["mimeType"] == "image/jpeg");
    CHECK(parts[3]["inlineData"]["mimeType"] == "image/webp");
    CHECK(parts[1]["inlineData"]["data"] == GoogleFakeServer::base64(readBytes(request.images[0])));

    SECTION("one image over the 2.5 Flash limit of 3 is refused before sending") {
        f.fake.server().clearRecords();
        request.images.push_back(writeInput(inputs, "extra.png", 4));
        const auto refused = f.submit(request);
        REQUIRE_FALSE(refused);
        CHECK(refused.error().kind == Kind::Permanent);
        CHECK(refused.error().message.find("at most 3") != std::string::npos);
        CHECK(f.fake.server().totalCount() == 0);

        // The request's own limit wins over the table...
        request.options["maxReferenceImages"] = 4;
        CHECK(f.submit(request));
        request.options["maxReferenceImages"] = 2;
        CHECK_FALSE(f.submit(request));
        request.options["maxReferenceImages"] = "many";
        CHECK_FALSE(f.submit(request));
    }
    SECTION("a limit handed to the constructor replaces the built-in table") {
        GoogleSettings settings = GoogleSettings::defaults();
        settings.models = {{"gemini-2.5-flash-image", 2, false}};
        GoogleProvider strict(settings);
        const auto refused = strict.submit(f.context(), request);
        REQUIRE_FALSE(refused);
        CHECK(refused.error().message.find("at most 2") != std::string::npos);
        CHECK(GoogleSettings::defaults().maxReferenceImagesFor("gemini-3-pro-image-preview") == 14);
    }
    SECTION("an edit without an image or with an unreadable one is refused") {
        f.fake.server().clearRecords();
        GenerationRequest empty = request;
        empty.images.clear();
        CHECK(f.submit(empty).error().kind == Kind::Permanent);
        GenerationRequest missing = request;
        missing.images = {inputs / "nope.png"};
        const auto failure = f.submit(missing);
        REQUIRE_FALSE(failure);
        CHECK(failure.error().message.find("nope.png") != std::string::npos);
        GenerationRequest notImage = request;
        writeBytes(inputs / "notes.png", "just some text, not an image at all");
        notImage.images = {inputs / "notes.png"};
        CHECK(f.submit(notImage).error().kind == Kind::Permanent);
        CHECK(f.fake.server().totalCount() == 0);
    }
}

TEST_CASE("Gemini thought parts are skipped and every candidate image is kept",
          "[google][gemini]") {
    Fixture f;
    const std::string draft = testPng(32, 32, 1);
    const std::string final1 = testPng(64, 64, 2);
    nlohmann::json reply = GoogleFakeServer::contentReply(nlohmann::json::array(
        {{{"text", "Let me think about the composition."}, {"thought", true}},
         [&] {
             auto part = GoogleFakeServer::imagePart(draft);
             part["thought"] = true;
             return part;
         }(),
         {{"inline_data", {{"mime_type", "image/png"}, {"data", GoogleFakeServer::base64(final1)}}},
          {"thoughtSignature", "c2lnbmF0dXJl"}}}));
    f.fake.setImageReplies({FakeReply::json(200, reply)});
    const auto result = f.submit(imageRequest());
    REQUIRE(result);
    REQUIRE(result->outputs.size() == 1);
    CHECK(readBytes(result->outputs[0].file) == final1);
    CHECK_FALSE(result->info.contains("text"));
}

TEST_CASE("Gemini 429 with RetryInfo is Retryable after Google's delay",
          "[google][gemini][faults]") {
    Fixture f;
    f.fake.setImageReplies({googleError(
        429, "RESOURCE_EXHAUSTED",
        "You exceeded your current quota, please check your plan and billing details.",
        nlohmann::json::array(
            {{{"@type", "type.googleapis.com/google.rpc.QuotaFailure"},
              {"violations",
               nlohmann::json::array(
                   {{{"quotaMetric", "generativelanguage.googleapis.com/generate_content_requests"},
                     {"quotaId", "GenerateRequestsPerMinutePerProjectPerModel"}}})}},
             {{"@type", "type.googleapis.com/google.rpc.RetryInfo"}, {"retryDelay", "7s"}}}))});
    const auto result = f.submit(imageRequest());
    REQUIRE_FALSE(result);
    CHECK(result.error().kind == Kind::Retryable);
    CHECK(result.error().httpStatus == 429);
    REQUIRE(result.error().retryAfter);
    CHECK(result.error().retryAfter->count() == 7000);
    CHECK(result.error().message.find("exceeded your current quota") != std::string::npos);

    SECTION("503 with a fractional retryDelay") {
        f.fake.setImageReplies({googleError(
            503, "UNAVAILABLE", "The model is overloaded. Please try again later.",
            nlohmann::json::array({{{"@type", "type.googleapis.com/google.rpc.RetryInfo"},
                                    {"retryDelay", "1.5s"}}}))});
        const auto overloaded = f.submit(imageRequest());
        REQUIRE_FALSE(overloaded);
        CHECK(overloaded.error().kind == Kind::Retryable);
        REQUIRE(overloaded.error().retryAfter);
        CHECK(overloaded.error().retryAfter->count() == 1500);
    }
    SECTION("a per-day quota fails at once") {
        f.fake.setImageReplies({googleError(
            429, "RESOURCE_EXHAUSTED", "You exceeded your current quota.",
            nlohmann::json::array(
                {{{"@type", "type.googleapis.com/google.rpc.QuotaFailure"},
                  {"violations",
                   nlohmann::json::array(
                       {{{"quotaId", "GenerateRequestsPerDayPerProjectPerModel-FreeTier"}}})}},
                 {{"@type", "type.googleapis.com/google.rpc.RetryInfo"},
                  {"retryDelay", "38s"}}}))});
        const auto daily = f.submit(imageRequest());
        REQUIRE_FALSE(daily);
        CHECK(daily.error().kind == Kind::Permanent);
        CHECK(daily.error().message.find("daily quota") != std::string::npos);
    }
    SECTION("only the message says when") {
        f.fake.setImageReplies({googleError(429, "RESOURCE_EXHAUSTED",
                                            "Quota exceeded. Please retry in 38.922534355s.")});
        const auto fromMessage = f.submit(imageRequest());
        REQUIRE_FALSE(fromMessage);
        REQUIRE(fromMessage.error().retryAfter);
        CHECK(fromMessage.error().retryAfter->count() >= 38922);
        CHECK(fromMessage.error().retryAfter->count() <= 38923);
    }
}

TEST_CASE("Gemini 400 INVALID_ARGUMENT is Permanent with Google's message",
          "[google][gemini][faults]") {
    Fixture f;
    f.fake.setImageReplies(
        {googleError(400, "INVALID_ARGUMENT",
                     "Unable to process input image. Please retry or report in "
                     "https://developers.generativeai.google/guide/troubleshooting")});
    const auto result = f.submit(imageRequest());
    REQUIRE_FALSE(result);
    CHECK(result.error().kind == Kind::Permanent);
    CHECK(result.error().httpStatus == 400);
    CHECK(result.error().message.find("Unable to process input image.") != std::string::npos);
    CHECK(result.error().message.find("INVALID_ARGUMENT") != std::string::npos);
    CHECK_FALSE(result.error().retryAfter);
    CHECK(f.filesInWorkDir() == 0);
}

TEST_CASE("A wrong key gets Google's words and the key never appears in a message",
          "[google][gemini][faults]") {
    Fixture f;
    const std::string wrongKey = "AIzaWRONGwrongWRONGwrongWRONGwrong0000000";
    const MapCredentials wrong = MapCredentials::with("GEMINI_API_KEY", wrongKey);
    const ProviderContext context{f.http, f.fake.baseUrl(), wrong, f.work.path(), "job",
                                  {},     nullptr};
    f.fake.setImageReplies(
        {googleError(400, "INVALID_ARGUMENT", "API key not valid: " + wrongKey,
                     nlohmann::json::array({{{"@type", "type.googleapis.com/google.rpc.ErrorInfo"},
                                             {"reason", "API_KEY_INVALID"}}}))});
    const auto result = f.provider.submit(context, imageRequest());
    REQUIRE_FALSE(result);
    CHECK(result.error().kind == Kind::Permanent);
    CHECK(result.error().message.find("API key not valid") != std::string::npos);
    CHECK(result.error().message.find("API_KEY_INVALID") != std::string::npos);
    CHECK(result.error().message.find(wrongKey) == std::string::npos);
    CHECK(result.error().message.find("AIza") == std::string::npos);
}

TEST_CASE("Gemini safety blocks are Blocked with Google's reason", "[google][gemini][faults]") {
    Fixture f;
    SECTION("a blocked prompt: 200 with promptFeedback.blockReason and no candidates") {
        f.fake.setImageReplies({FakeReply::json(
            200,
            {{"promptFeedback",
              {{"blockReason", "PROHIBITED_CONTENT"}, {"safetyRatings", nlohmann::json::array()}}},
             {"usageMetadata", {{"promptTokenCount", 12}, {"totalTokenCount", 12}}},
             {"modelVersion", "gemini-2.5-flash-image"}})});
        const auto result = f.submit(imageRequest());
        REQUIRE_FALSE(result);
        CHECK(result.error().kind == Kind::Blocked);
        CHECK(result.error().message.find("PROHIBITED_CONTENT") != std::string::npos);
    }
    SECTION("a candidate stopped with IMAGE_SAFETY and no image") {
        f.fake.setImageReplies({FakeReply::json(
            200, GoogleFakeServer::contentReply(
                     nlohmann::json::array({{{"text", "I can't create that image."}}}),
                     "IMAGE_SAFETY"))});
        const auto result = f.submit(imageRequest());
        REQUIRE_FALSE(result);
        CHECK(result.error().kind == Kind::Blocked);
        CHECK(result.error().message.find("IMAGE_SAFETY") != std::string::npos);
        CHECK(result.error().message.find("I can't create that image.") != std::string::npos);
    }
    SECTION("a candidate without content at all, finishReason SAFETY") {
        f.fake.setImageReplies({FakeReply::json(
            200, {{"candidates",
                   nlohmann::json::array({{{"finishReason", "SAFETY"}, {"index", 0}}})}})});
        const auto result = f.submit(imageRequest());
        REQUIRE_FALSE(result);
        CHECK(result.error().kind == Kind::Blocked);
    }
    SECTION("NO_IMAGE and a text-only STOP are Permanent, not Blocked") {
        f.fake.setImageReplies({FakeReply::json(
            200,
            GoogleFakeServer::contentReply(
                nlohmann::json::array({{{"text", "Which mango do you mean?"}}}), "NO_IMAGE"))});
        auto result = f.submit(imageRequest());
        REQUIRE_FALSE(result);
        CHECK(result.error().kind == Kind::Permanent);
        CHECK(result.error().message.find("NO_IMAGE") != std::string::npos);
        CHECK(result.error().message.find("Which mango do you mean?") != std::string::npos);

        f.fake.setImageReplies({FakeReply::json(
            200, GoogleFakeServer::contentReply(nlohmann::json::array({{{"text", "Sure!"}}})))});
        result = f.submit(imageRequest());
        REQUIRE_FALSE(result);
        CHECK(result.error().kind == Kind::Permanent);
        CHECK(result.error().message.find("STOP") != std::string::npos);
    }
    CHECK(f.filesInWorkDir() == 0);
}

TEST_CASE("Gemini replies that cannot be read fail without leaving files",
          "[google][gemini][faults]") {
    Fixture f;
    const std::string png = testPng(200, 120, 3);
    const std::string encoded = GoogleFakeServer::base64(png);

    SECTION("malformed JSON") {
        f.fake.setImageReplies({FakeReply::malformedJson()});
        const auto result = f.submit(imageRequest());
        REQUIRE_FALSE(result);
        CHECK(result.error().kind == Kind::Permanent);
        CHECK(result.error().message.find("not valid JSON") != std::string::npos);
    }
    SECTION("base64 cut to a length no base64 can have") {
        std::string cut = encoded.substr(0, encoded.size() / 2);
        cut.resize(cut.size() - cut.size() % 4 + 1);
        f.fake.setImageReplies({FakeReply::json(
            200, GoogleFakeServer::contentReply(nlohmann::json::array(
                     {{{"inlineData", {{"mimeType", "image/png"}, {"data", cut}}}}})))});
        const auto result = f.submit(imageRequest());
        REQUIRE_FALSE(result);
        CHECK(result.error().kind == Kind::Permanent);
        CHECK(result.error().message.find("base64") != std::string::npos);
    }
    SECTION("base64 cut cleanly, which decodes to half a PNG") {
        const std::string cut = encoded.substr(0, (encoded.size() / 2) & ~std::size_t{3});
        f.fake.setImageReplies({FakeReply::json(
            200, GoogleFakeServer::contentReply(nlohmann::json::array(
                     {{{"inlineData", {{"mimeType", "image/png"}, {"data", cut}}}}})))});
        const auto result = f.submit(imageRequest());
        REQUIRE_FALSE(result);
        CHECK(result.error().kind == Kind::Permanent);
        CHECK(result.error().message.find("truncated") != std::string::npos);
    }
    SECTION("a good image followed by a truncated one keeps neither") {
        const std::string cut = encoded.substr(0, (encoded.size() / 2) & ~std::size_t{3});
        f.fake.setImageReplies({FakeReply::json(
            200, GoogleFakeServer::contentReply(nlohmann::json::array(
                     {GoogleFakeServer::imagePart(png),
                      {{"inlineData", {{"mimeType", "image/png"}, {"data", cut}}}}})))});
        CHECK_FALSE(f.submit(imageRequest()));
    }
    CHECK(f.filesInWorkDir() == 0);
}

TEST_CASE("A Gemini reply cut mid-body is Ambiguous and not resent", "[google][gemini][faults]") {
    Fixture f;
    const std::string full = GoogleFakeServer::contentReply(
                                 nlohmann::json::array({GoogleFakeServer::imagePart(testPng())}))
                                 .dump();
    f.fake.setImageReplies({FakeReply::cutBody(full.substr(0, full.size() / 3), full.size())});
    const auto result = f.submit(imageRequest());
    REQUIRE_FALSE(result);
    CHECK(result.error().kind == Kind::Ambiguous);
    CHECK(f.fake.server().count("/v1beta/models/gemini-2.5-flash-image:generateContent") == 1);
    CHECK(result.error().message.find(kApiKey) == std::string::npos);
    CHECK(f.filesInWorkDir() == 0);
}

TEST_CASE("Google provider configuration", "[google]") {
    GoogleProvider provider;
    CHECK(provider.id() == "google");
    CHECK(provider.displayName() == "Google Gemini API");
    CHECK(provider.supports(JobKind::TextToImage));
    CHECK(provider.supports(JobKind::EditImage));
    CHECK(provider.supports(JobKind::ImageToVideo));
    CHECK(provider.supports(JobKind::Inpaint)); // as instruction edits (GeminiInpaint)
    CHECK(provider.supports(JobKind::Erase));
    CHECK_FALSE(provider.supports(JobKind::Upscale));
    CHECK(provider.baseUrlVariable() == "RIPEN_GEMINI_BASE_URL");
    CHECK(provider.defaultBaseUrls() ==
          std::vector<std::string>{"https://generativelanguage.googleapis.com"});
    CHECK_FALSE(provider.dedupesResubmission());

    CHECK(provider.missingConfiguration(MapCredentials()).empty());
    CHECK(provider.missingConfiguration(MapCredentials::with("GOOGLE_API_KEY", kApiKey)).empty());
    const std::string missing = provider.missingConfiguration(MapCredentials::none());
    CHECK(missing.find("GEMINI_API_KEY") != std::string::npos);

    // No key: NotConfigured, and nothing is sent.
    GoogleFakeServer fake;
    http::HttpClient http;
    TempDir work;
    const MapCredentials none = MapCredentials::none();
    const ProviderContext context{http, fake.baseUrl(), none, work.path(), "job", {}, nullptr};
    GenerationRequest request = imageRequest();
    const auto result = provider.submit(context, request);
    REQUIRE_FALSE(result);
    CHECK(result.error().kind == ProviderFailure::Kind::NotConfigured);
    CHECK(fake.server().totalCount() == 0);

    // GOOGLE_API_KEY alone is enough, and is sent as the header.
    const MapCredentials google = MapCredentials::with("GOOGLE_API_KEY", kApiKey);
    const ProviderContext withGoogleKey{http, fake.baseUrl(), google, work.path(), "job",
                                        {},   nullptr};
    CHECK(provider.submit(withGoogleKey, request));

    request.kind = JobKind::Upscale;
    CHECK(provider.submit(withGoogleKey, request).error().kind == ProviderFailure::Kind::Permanent);
    request.kind = JobKind::TextToImage;
    request.model = "../../v1/evil?x=";
    CHECK(provider.submit(withGoogleKey, request).error().kind == ProviderFailure::Kind::Permanent);

    CHECK(provider.pollInterval(0).count() == 10'000);
    CHECK(provider.pollInterval(5).count() == 10'000);
    CHECK(provider.pollInterval(6).count() == 15'000);
    CHECK(provider.pollInterval(1000).count() == 60'000);
}

TEST_CASE("A cancelled Gemini job sends nothing", "[google][gemini]") {
    Fixture f;
    std::stop_source stop;
    stop.request_stop();
    const ProviderContext context{f.http, f.fake.baseUrl(), f.credentials, f.work.path(),
                                  "job",  stop.get_token(), nullptr};
    const auto result = f.provider.submit(context, imageRequest());
    REQUIRE_FALSE(result);
    CHECK(result.error().kind == Kind::Cancelled);
    CHECK(f.fake.server().totalCount() == 0);
}

#include "providers/openai/OpenAiImagesProvider.h"

#include "providers/ProviderSupport.h"
#include "providers/http/HttpClient.h"
#include "support/TestCredentials.h"
#include "support/TempDir.h"
#include "support/TestImages.h"
#include "support/fakes/OpenAiFakeServer.h"

#include <catch2/catch.hpp>
#include <map>
#include <opencv2/imgproc.hpp>
#include <thread>

using namespace ripen;
using ripen::test::FakeReply;
using ripen::test::OpenAiFakeServer;
using Kind = ProviderFailure::Kind;
using namespace std::chrono_literals;

namespace {

OpenAiImagesSettings shortSettings() {
    OpenAiImagesSettings settings;
    settings.connectTimeout = 2s;
    settings.requestDeadline = 1500ms;
    settings.lowSpeedWindow = 2s;
    settings.maxResponseBytes = 8ULL << 20;
    return settings;
}

std::size_t filesIn(const std::filesystem::path& dir) {
    return static_cast<std::size_t>(std::distance(std::filesystem::directory_iterator(dir),
                                                  std::filesystem::directory_iterator()));
}

// One provider call against the fake server, with everything the queue would hand in.
struct Harness {
    OpenAiFakeServer fake;
    test::TempDir temp;
    std::filesystem::path workDir = temp / "work";
    http::HttpClient client;
    test::TestCredentials credentials{"OPENAI_API_KEY", OpenAiFakeServer::kApiKey};
    OpenAiImagesProvider provider{shortSettings()};
    std::stop_source stop;
    // Every failure message seen, to prove no key leaks into any of them (S2).
    std::vector<std::string> messages;

    Harness() { std::filesystem::create_directories(workDir); }

    ProviderContext context(const Credentials& keys) {
        return ProviderContext{client,  fake.baseUrl(),   keys,   workDir,
                               "job-1", stop.get_token(), nullptr};
    }

    ProviderOutcome<ProviderResult> submit(const GenerationRequest& request) {
        auto outcome = provider.submit(context(credentials), request);
        if (!outcome) {
            messages.push_back(outcome.error().message);
        }
        return outcome;
    }

    std::filesystem::path writeImage(const std::string& name, int width, int height) {
        const auto path = temp / name;
        test::writeTestImage(path, test::makeTestImage(width, height, 5));
        return path;
    }

    ~Harness() {
        for (const auto& message : messages) {
            CHECK(message.find("CANARY") == std::string::npos);
            CHECK(message.find(OpenAiFakeServer::kApiKey) == std::string::npos);
        }
    }
};

GenerationRequest textToImage() {
    GenerationRequest request;
    request.kind = JobKind::TextToImage;
    request.provider = "openai";
    request.model = "gpt-image-1";
    request.prompt = "a ripe peach on a linen cloth, studio light";
    return request;
}

Kind failureKind(const ProviderOutcome<ProviderResult>& outcome) {
    REQUIRE_FALSE(outcome.has_value());
    return outcome.error().kind;
}

} // namespace

TEST_CASE("OpenAI provider describes itself", "[openai]") {
    OpenAiImagesProvider provider;
    CHECK(provider.id() == "openai");
    CHECK(provider.supports(JobKind::TextToImage));
    CHECK(provider.supports(JobKind::EditImage));
    CHECK(provider.supports(JobKind::Inpaint));
    CHECK_FALSE(provider.supports(JobKind::Upscale));
    CHECK_FALSE(provider.supports(JobKind::ImageToVideo));
    CHECK(provider.defaultBaseUrls() == std::vector<std::string>{"https://api.openai.com"});
    CHECK(provider.baseUrlVariable() == "RIPEN_OPENAI_BASE_URL");
    CHECK_FALSE(provider.dedupesResubmission());
    CHECK(provider.missingConfiguration(test::TestCredentials()).find("OPENAI_API_KEY") !=
          std::string::npos);
    CHECK(provider.missingConfiguration(test::TestCredentials("OPENAI_API_KEY", "sk-x")).empty());
}

TEST_CASE("OpenAI generation sends the documented JSON and saves the images", "[openai]") {
    Harness h;
    auto request = textToImage();
    request.aspectRatio = "3:2";
    request.options = {
        {"quality", "high"}, {"background", "opaque"}, {"output_format", "png"}, {"n", 2}};
    auto outcome = h.submit(request);
    REQUIRE(outcome.has_value());
    CHECK(outcome->state == ProviderResult::State::Done);
    REQUIRE(outcome->outputs.size() == 2);
    for (const auto& output : outcome->outputs) {
        CHECK(output.mimeType == "image/png");
        CHECK(output.file.parent_path() == h.workDir);
        CHECK(std::filesystem::file_size(output.file) > 0);
    }
    CHECK(outcome->usage.raw.at("output_tokens") == 4160);
    CHECK_FALSE(outcome->usage.costMicros.has_value());
    CHECK(outcome->info.at("quality") == "high");

    REQUIRE(h.fake.problems().empty());
    const auto sent = h.fake.server().lastRequest();
    REQUIRE(sent);
    CHECK(sent->method == "POST");
    CHECK(sent->path == "/v1/images/generations");
    CHECK(sent->header("Authorization") == std::string("Bearer ") + OpenAiFakeServer::kApiKey);
    CHECK(sent->params.empty());
    const auto body = h.fake.generationBodies().at(0);
    CHECK(body.at("model") == "gpt-image-1");
    CHECK(body.at("prompt") == request.prompt);
    CHECK(body.at("size") == "1536x1024");
    CHECK(body.at("n") == 2);
    CHECK(body.at("quality") == "high");
    CHECK(body.at("background") == "opaque");
    CHECK_FALSE(body.contains("response_format"));
}

TEST_CASE("OpenAI inpaint converts Ripen's mask to transparent-means-edit", "[openai]") {
    Harness h;
    const auto image = h.writeImage("photo.png", 64, 48);
    const auto imageBytes = test::readBytes(image);
    // Half the size of the image: the provider must scale it to the image's size.
    cv::Mat mask(24, 32, CV_8UC1, cv::Scalar(0));
    cv::rectangle(mask, cv::Rect(0, 0, 16, 24), cv::Scalar(255), cv::FILLED);
    const auto maskPath = h.temp / "mask.png";
    test::writeTestImage(maskPath, mask);

    auto request = textToImage();
    request.kind = JobKind::Inpaint;
    request.images = {image};
    request.mask = maskPath;
    request.options = {{"quality", "medium"}, {"input_fidelity", "high"}};
    auto outcome = h.submit(request);
    REQUIRE(outcome.has_value());
    REQUIRE(outcome->outputs.size() == 1);
    REQUIRE(h.fake.problems().empty());

    const auto sent = h.fake.server().lastRequest();
    REQUIRE(sent);
    CHECK(sent->path == "/v1/images/edits");
    CHECK(sent->header("Content-Type").value_or("").rfind("multipart/form-data", 0) == 0);
    CHECK(sent->formFields.at("prompt") == request.prompt);
    CHECK(sent->formFields.at("model") == "gpt-image-1");
    CHECK(sent->formFields.at("quality") == "medium");
    CHECK(sent->formFields.at("input_fidelity") == "high");
    const auto* part = sent->file("image");
    REQUIRE(part != nullptr);
    CHECK(part->content == imageBytes);
    CHECK(part->contentType == "image/png");
    CHECK(part->fileName.find(h.temp.path().string()) == std::string::npos);
    const auto* maskPart = sent->file("mask");
    REQUIRE(maskPart != nullptr);
    CHECK(maskPart->contentType == "image/png");

    const cv::Mat sentMask = h.fake.lastMask();
    REQUIRE(sentMask.size() == cv::Size(64, 48));
    REQUIRE(sentMask.channels() == 4);
    CHECK(sentMask.at<cv::Vec4b>(10, 5)[3] == 0);    // white in Ripen's mask: edit
    CHECK(sentMask.at<cv::Vec4b>(10, 60)[3] == 255); // black: keep
    // The converted mask was a scratch file: only the output is left in the work folder.
    CHECK(filesIn(h.workDir) == 1);
}

TEST_CASE("OpenAI edit with several images sends image[] parts", "[openai]") {
    Harness h;
    auto request = textToImage();
    request.kind = JobKind::EditImage;
    request.images = {h.writeImage("a.png", 40, 40), h.writeImage("b.jpg", 30, 20)};
    auto outcome = h.submit(request);
    REQUIRE(outcome.has_value());
    const auto sent = h.fake.server().lastRequest();
    REQUIRE(sent);
    std::vector<std::string> contentTypes;
    for (const auto& file : sent->files) {
        CHECK(file.name == "image[]");
        contentTypes.push_back(file.contentType);
    }
    CHECK(contentTypes == std::vector<std::string>{"image/png", "image/jpeg"});
    CHECK(sent->file("mask") == nullptr);
}

TEST_CASE("OpenAI refuses bad requests before sending anything", "[openai]") {
    Harness h;
    SECTION("inpaint without a mask") {
        auto request = textToImage();
        request.kind = JobKind::Inpaint;
        request.images = {h.writeImage("a.png", 40, 40)};
        CHECK(failureKind(h.submit(request)) == Kind::Permanent);
    }
    SECTION("edit without an image") {
        auto request = textToImage();
        request.kind = JobKind::EditImage;
        CHECK(failureKind(h.submit(request)) == Kind::Permanent);
    }
    SECTION("an input that is not an image") {
        auto request = textToImage();
        request.kind = JobKind::EditImage;
        test::writeBytes(h.temp / "notes.png", "just text, not a PNG at all............");
        request.images = {h.temp / "notes.png"};
        CHECK(failureKind(h.submit(request)) == Kind::Permanent);
    }
    SECTION("no model, an unknown aspect ratio, a bad option type") {
        auto request = textToImage();
        request.model.clear();
        CHECK(failureKind(h.submit(request)) == Kind::Permanent);
        request = textToImage();
        request.aspectRatio = "21:9";
        CHECK(failureKind(h.submit(request)) == Kind::Permanent);
        request = textToImage();
        request.options = {{"n", "two"}};
        CHECK(failureKind(h.submit(request)) == Kind::Permanent);
    }
    SECTION("no key") {
        test::TestCredentials none;
        auto outcome = h.provider.submit(h.context(none), textToImage());
        CHECK(failureKind(outcome) == Kind::NotConfigured);
    }
    CHECK(h.fake.server().totalCount() == 0);
}

TEST_CASE("OpenAI safety rejection is Blocked with OpenAI's words", "[openai]") {
    Harness h;
    h.fake.server().reply("POST", "/v1/images/generations", OpenAiFakeServer::moderationBlocked());
    auto outcome = h.submit(textToImage());
    CHECK(failureKind(outcome) == Kind::Blocked);
    CHECK(outcome.error().message.find("safety system") != std::string::npos);
    CHECK(outcome.error().httpStatus == 400);
}

TEST_CASE("OpenAI rate limits and server errors are Retryable", "[openai]") {
    Harness h;
    SECTION("429 with Retry-After") {
        h.fake.server().reply(
            "POST", "/v1/images/generations",
            FakeReply::rateLimited("7", {{"error",
                                          {{"message", "Rate limit reached for images per min"},
                                           {"type", "requests"},
                                           {"code", "rate_limit_exceeded"}}}}));
        auto outcome = h.submit(textToImage());
        CHECK(failureKind(outcome) == Kind::Retryable);
        CHECK(outcome.error().httpStatus == 429);
        CHECK(outcome.error().retryAfter == std::chrono::milliseconds(7000));
        CHECK(outcome.error().message.find("Rate limit") != std::string::npos);
    }
    SECTION("500 and 503") {
        for (int status : {500, 503}) {
            h.fake.server().reply(
                "POST", "/v1/images/generations",
                OpenAiFakeServer::error(status, "server_error", "", "The server had an error"));
            auto outcome = h.submit(textToImage());
            CHECK(failureKind(outcome) == Kind::Retryable);
            CHECK(outcome.error().httpStatus == status);
        }
    }
    CHECK(filesIn(h.workDir) == 0);
}

TEST_CASE("OpenAI broken replies fail without leaving files", "[openai]") {
    Harness h;
    const std::string path = "/v1/images/generations";
    SECTION("malformed JSON") {
        h.fake.server().reply("POST", path, FakeReply::malformedJson());
        CHECK(failureKind(h.submit(textToImage())) == Kind::Permanent);
    }
    SECTION("empty data") {
        h.fake.server().reply("POST", path, FakeReply::json(200, {{"created", 1}, {"data", {}}}));
        CHECK(failureKind(h.submit(textToImage())) == Kind::Permanent);
    }
    SECTION("data of the wrong type, nulls, missing b64_json") {
        for (const auto& body :
             {nlohmann::json{{"data", "nope"}}, nlohmann::json{{"data", {nullptr}}},
              nlohmann::json{{"data", {{{"b64_json", nullptr}}}}},
              nlohmann::json{{"data", {{{"url", "https://x/y.png"}}}}},
              nlohmann::json::array({1, 2})}) {
            h.fake.server().reply("POST", path, FakeReply::json(200, body));
            CHECK(failureKind(h.submit(textToImage())) == Kind::Permanent);
        }
    }
    SECTION("base64 that is not an image, after a good one") {
        auto body = OpenAiFakeServer::imagesReply(1, 16, 16);
        body["data"].push_back({{"b64_json", "aGVsbG8gd29ybGQ="}});
        h.fake.server().reply("POST", path, FakeReply::json(200, body));
        CHECK(failureKind(h.submit(textToImage())) == Kind::Permanent);
    }
    SECTION("truncated base64") {
        auto body = OpenAiFakeServer::imagesReply(1, 16, 16);
        auto text = body["data"][0]["b64_json"].get<std::string>();
        body["data"][0]["b64_json"] = text.substr(0, text.size() / 2 + 1);
        h.fake.server().reply("POST", path, FakeReply::json(200, body));
        CHECK(failureKind(h.submit(textToImage())) == Kind::Permanent);
    }
    SECTION("HTML instead of JSON") {
        h.fake.server().reply("POST", path,
                              FakeReply::text(200, "<html>gateway</html>", "text/html"));
        CHECK(failureKind(h.submit(textToImage())) == Kind::Permanent);
    }
    SECTION("200 carrying an error object") {
        auto blocked = OpenAiFakeServer::moderationBlocked();
        blocked.status = 200;
        h.fake.server().reply("POST", path, blocked);
        CHECK(failureKind(h.submit(textToImage())) == Kind::Blocked);
    }
    CHECK(filesIn(h.workDir) == 0);
}

TEST_CASE("OpenAI transfers cut, stalled or oversized are never Done", "[openai]") {
    Harness h;
    const std::string path = "/v1/images/generations";
    SECTION("reset mid-body: the POST may have run, so Ambiguous") {
        const auto full = OpenAiFakeServer::imagesReply(1, 32, 32).dump();
        h.fake.server().reply("POST", path, FakeReply::cutBody(full.substr(0, 100), full.size()));
        CHECK(failureKind(h.submit(textToImage())) == Kind::Ambiguous);
    }
    SECTION("stall past the deadline") {
        h.fake.server().reply("POST", path, FakeReply::stall(10s));
        const auto start = std::chrono::steady_clock::now();
        CHECK(failureKind(h.submit(textToImage())) == Kind::Ambiguous);
        CHECK(std::chrono::steady_clock::now() - start < 6s);
    }
    SECTION("oversized body") {
        h.fake.server().reply("POST", path, FakeReply::chunked(32ULL << 20));
        auto outcome = h.submit(textToImage());
        REQUIRE_FALSE(outcome.has_value());
        CHECK(outcome.error().kind != Kind::Retryable);
    }
    SECTION("cancelled while waiting") {
        h.fake.server().reply("POST", path, FakeReply::stall(10s));
        std::jthread canceller([&] {
            std::this_thread::sleep_for(200ms);
            h.stop.request_stop();
        });
        CHECK(failureKind(h.submit(textToImage())) == Kind::Cancelled);
    }
    CHECK(filesIn(h.workDir) == 0);
}

TEST_CASE("OpenAI never lets the key into a message", "[openai][S2]") {
    Harness h;
    test::TestCredentials wrong("OPENAI_API_KEY", "sk-CANARY0wrong0key0zzzzzzzzzzzz");
    auto outcome = h.provider.submit(h.context(wrong), textToImage());
    REQUIRE_FALSE(outcome.has_value());
    CHECK(outcome.error().kind == Kind::Permanent);
    CHECK(outcome.error().httpStatus == 401);
    h.messages.push_back(outcome.error().message);
    CHECK(outcome.error().message.find("sk-") == std::string::npos);
    const auto sent = h.fake.server().lastRequest();
    REQUIRE(sent);
    CHECK(sent->path.find("CANARY") == std::string::npos);
    CHECK(sent->params.empty());
}

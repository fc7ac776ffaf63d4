#include "providers/stability/StabilityProvider.h"

#include "providers/ProviderSupport.h"
#include "providers/http/HttpClient.h"
#include "support/TestCredentials.h"
#include "support/TempDir.h"
#include "support/TestImages.h"
#include "support/fakes/StabilityFakeServer.h"

#include <catch2/catch.hpp>
#include <map>
#include <opencv2/imgproc.hpp>
#include <thread>

using namespace ripen;
using ripen::test::FakeReply;
using ripen::test::StabilityFakeServer;
using Kind = ProviderFailure::Kind;
using State = ProviderResult::State;
using namespace std::chrono_literals;

namespace {

StabilitySettings shortSettings() {
    StabilitySettings settings;
    settings.connectTimeout = 2s;
    settings.requestDeadline = 1500ms;
    settings.pollDeadline = 1500ms;
    settings.lowSpeedWindow = 2s;
    settings.maxImageBytes = 8ULL << 20;
    settings.minPollInterval = 10ms;
    settings.maxPollInterval = 40ms;
    return settings;
}

std::size_t filesIn(const std::filesystem::path& dir) {
    return static_cast<std::size_t>(std::distance(std::filesystem::directory_iterator(dir),
                                                  std::filesystem::directory_iterator()));
}

struct Harness {
    StabilityFakeServer fake;
    test::TempDir temp;
    std::filesystem::path workDir = temp / "work";
    http::HttpClient client;
    test::TestCredentials credentials{"STABILITY_API_KEY", StabilityFakeServer::kApiKey};
    StabilityProvider provider{shortSettings()};
    std::stop_source stop;
    std::vector<std::string> messages;

    Harness() { std::filesystem::create_directories(workDir); }

    ProviderContext context(const Credentials& keys) {
        return ProviderContext{client,  fake.baseUrl(),   keys,   workDir,
                               "job-1", stop.get_token(), nullptr};
    }

    ProviderOutcome<ProviderResult> remember(ProviderOutcome<ProviderResult> outcome) {
        if (!outcome) {
            messages.push_back(outcome.error().message);
        }
        return outcome;
    }

    ProviderOutcome<ProviderResult> submit(const GenerationRequest& request) {
        return remember(provider.submit(context(credentials), request));
    }

    ProviderOutcome<ProviderResult> poll(const std::string& id, const GenerationRequest& request) {
        return remember(provider.poll(context(credentials), id, request));
    }

    std::filesystem::path writeImage(const std::string& name, int width, int height) {
        const auto path = temp / name;
        test::writeTestImage(path, test::makeTestImage(width, height, 9));
        return path;
    }

    GenerationRequest upscale(std::string mode) {
        GenerationRequest request;
        request.kind = JobKind::Upscale;
        request.provider = "stability";
        request.upscaleMode = std::move(mode);
        request.images = {writeImage("source.png", 48, 32)};
        return request;
    }

    ~Harness() {
        for (const auto& message : messages) {
            CHECK(message.find("CANARY") == std::string::npos);
        }
    }
};

Kind failureKind(const ProviderOutcome<ProviderResult>& outcome) {
    REQUIRE_FALSE(outcome.has_value());
    return outcome.error().kind;
}

void checkAuthAndForm(const test::RecordedRequest& sent, const std::string& path) {
    CHECK(sent.method == "POST");
    CHECK(sent.path == path);
    CHECK(sent.header("Authorization") == std::string("Bearer ") + StabilityFakeServer::kApiKey);
    CHECK(sent.header("Content-Type").value_or("").rfind("multipart/form-data", 0) == 0);
    CHECK(sent.params.empty());
}

} // namespace

TEST_CASE("Stability provider describes itself", "[stability]") {
    StabilityProvider provider;
    CHECK(provider.id() == "stability");
    CHECK(provider.supports(JobKind::Upscale));
    CHECK(provider.supports(JobKind::Inpaint));
    CHECK(provider.supports(JobKind::Erase));
    CHECK_FALSE(provider.supports(JobKind::TextToImage));
    CHECK(provider.defaultBaseUrls() == std::vector<std::string>{"https://api.stability.ai"});
    CHECK(provider.baseUrlVariable() == "RIPEN_STABILITY_BASE_URL");
    CHECK_FALSE(provider.dedupesResubmission());
    CHECK(provider.missingConfiguration(test::TestCredentials()).find("STABILITY_API_KEY") !=
          std::string::npos);
    // Stability asks for at most one poll every 10 s.
    CHECK(provider.pollInterval(0) >= 10s);
    CHECK(provider.pollInterval(100) <= 30s);
}

TEST_CASE("Stability fast upscale returns raw bytes with seed and finish reason", "[stability]") {
    Harness h;
    auto request = h.upscale("fast");
    request.options = {{"output_format", "png"}};
    const auto sourceBytes = test::readBytes(request.images[0]);
    auto outcome = h.submit(request);
    REQUIRE(outcome.has_value());
    CHECK(outcome->state == State::Done);
    REQUIRE(outcome->outputs.size() == 1);
    const auto& output = outcome->outputs[0];
    CHECK(output.mimeType == "image/png");
    CHECK(output.file.parent_path() == h.workDir);
    CHECK(output.seed == StabilityFakeServer::kSeed);
    CHECK(outcome->info.at("finish_reason") == "SUCCESS");
    CHECK(outcome->usage.unit == "credits");
    CHECK_FALSE(outcome->usage.costMicros.has_value());

    REQUIRE(h.fake.problems().empty());
    const auto sent = h.fake.server().lastRequest();
    REQUIRE(sent);
    checkAuthAndForm(*sent, "/v2beta/stable-image/upscale/fast");
    CHECK(sent->header("Accept") == "image/*");
    CHECK(sent->formFields.at("output_format") == "png");
    CHECK_FALSE(sent->formFields.contains("prompt"));
    const auto* image = sent->file("image");
    REQUIRE(image != nullptr);
    CHECK(image->content == sourceBytes);
    CHECK(image->contentType == "image/png");
    CHECK(filesIn(h.workDir) == 1);
}

TEST_CASE("Stability conservative upscale sends prompt, seed and creativity", "[stability]") {
    Harness h;
    auto request = h.upscale("conservative");
    request.prompt = "a ripe peach, macro photograph";
    request.negativePrompt = "blur";
    request.seed = 42;
    request.options = {{"creativity", 0.3}};
    auto outcome = h.submit(request);
    REQUIRE(outcome.has_value());
    const auto sent = h.fake.server().lastRequest();
    REQUIRE(sent);
    checkAuthAndForm(*sent, "/v2beta/stable-image/upscale/conservative");
    CHECK(sent->formFields.at("prompt") == request.prompt);
    CHECK(sent->formFields.at("negative_prompt") == "blur");
    CHECK(sent->formFields.at("seed") == "42");
    CHECK(std::stod(sent->formFields.at("creativity")) == Approx(0.3));
}

TEST_CASE("Stability creative upscale is submitted, polled and fetched", "[stability]") {
    Harness h;
    h.fake.setPendingPolls(2);
    auto request = h.upscale("creative");
    request.prompt = "a ripe peach";
    request.options = {{"style_preset", "photographic"}};
    auto submitted = h.submit(request);
    REQUIRE(submitted.has_value());
    CHECK(submitted->state == State::Running);
    const auto id = submitted->operationId;
    CHECK(id.size() == 64);
    CHECK(submitted->outputs.empty());
    const auto sent = h.fake.server().lastRequest();
    REQUIRE(sent);
    checkAuthAndForm(*sent, "/v2beta/stable-image/upscale/creative");
    CHECK(sent->formFields.at("style_preset") == "photographic");

    for (int i = 0; i < 2; ++i) {
        auto pending = h.poll(id, request);
        REQUIRE(pending.has_value());
        CHECK(pending->state == State::Running);
        CHECK(pending->operationId == id);
    }
    auto done = h.poll(id, request);
    REQUIRE(done.has_value());
    CHECK(done->state == State::Done);
    REQUIRE(done->outputs.size() == 1);
    CHECK(done->outputs[0].seed == StabilityFakeServer::kSeed);
    const auto polls = h.fake.server().requestsTo("/v2beta/results/" + id);
    REQUIRE(polls.size() == 3);
    for (const auto& poll : polls) {
        CHECK(poll.method == "GET");
        CHECK(poll.header("Authorization") ==
              std::string("Bearer ") + StabilityFakeServer::kApiKey);
        CHECK(poll.header("Accept") == "image/*");
    }
    CHECK(filesIn(h.workDir) == 1);

    SECTION("an expired id is a Permanent failure") {
        auto expired = h.poll(std::string(64, 'f'), request);
        CHECK(failureKind(expired) == Kind::Permanent);
        CHECK(expired.error().httpStatus == 404);
        CHECK(expired.error().message.find("24 hours") != std::string::npos);
    }
    SECTION("a hostile stored id never reaches the URL") {
        CHECK(failureKind(h.poll("../../v1/user/account", request)) == Kind::Permanent);
        CHECK(h.fake.server().totalCount() == 4);
    }
}

TEST_CASE("Stability inpaint and erase send Ripen's mask as grey white-means-change",
          "[stability]") {
    Harness h;
    const auto image = h.writeImage("photo.png", 64, 64);
    cv::Mat mask(64, 64, CV_8UC3, cv::Scalar(0, 0, 0));
    cv::rectangle(mask, cv::Rect(0, 0, 32, 64), cv::Scalar(255, 255, 255), cv::FILLED);
    const auto maskPath = h.temp / "mask.png";
    test::writeTestImage(maskPath, mask);

    GenerationRequest request;
    request.provider = "stability";
    request.images = {image};
    request.mask = maskPath;
    request.seed = 7;
    request.options = {{"grow_mask", 5}};
    SECTION("inpaint") {
        request.kind = JobKind::Inpaint;
        request.prompt = "a wooden bowl";
        request.negativePrompt = "text";
        REQUIRE(h.submit(request).has_value());
        const auto sent = h.fake.server().lastRequest();
        REQUIRE(sent);
        checkAuthAndForm(*sent, "/v2beta/stable-image/edit/inpaint");
        CHECK(sent->formFields.at("prompt") == "a wooden bowl");
        CHECK(sent->formFields.at("negative_prompt") == "text");
        CHECK(sent->formFields.at("grow_mask") == "5");
        CHECK(sent->formFields.at("seed") == "7");
    }
    SECTION("erase takes no prompt") {
        request.kind = JobKind::Erase;
        request.prompt = "ignored";
        REQUIRE(h.submit(request).has_value());
        const auto sent = h.fake.server().lastRequest();
        REQUIRE(sent);
        checkAuthAndForm(*sent, "/v2beta/stable-image/edit/erase");
        CHECK_FALSE(sent->formFields.contains("prompt"));
    }
    REQUIRE(h.fake.problems().empty());
    const cv::Mat sentMask = h.fake.lastMask();
    REQUIRE(sentMask.channels() == 1);
    CHECK(sentMask.at<unsigned char>(10, 5) == 255);
    CHECK(sentMask.at<unsigned char>(10, 60) == 0);
    // The converted mask was a scratch file: only the output is left.
    CHECK(filesIn(h.workDir) == 1);
}

TEST_CASE("Stability JSON replies (Accept: application/json) are read too", "[stability]") {
    Harness h;
    const auto png = test::encodeTestImage(test::makeTestImage(32, 32, 1), ".png");
    h.fake.server().reply("POST", "/v2beta/stable-image/upscale/fast",
                          FakeReply::json(200, {{"image", providers::encodeBase64(png)},
                                                {"seed", 99},
                                                {"finish_reason", "SUCCESS"}}));
    auto outcome = h.submit(h.upscale("fast"));
    REQUIRE(outcome.has_value());
    REQUIRE(outcome->outputs.size() == 1);
    CHECK(outcome->outputs[0].seed == 99);
    CHECK(filesIn(h.workDir) == 1);
}

TEST_CASE("Stability safety outcomes are Blocked", "[stability]") {
    Harness h;
    SECTION("finish-reason CONTENT_FILTERED on raw bytes") {
        h.fake.setFinishReason("CONTENT_FILTERED");
        CHECK(failureKind(h.submit(h.upscale("fast"))) == Kind::Blocked);
    }
    SECTION("finish_reason CONTENT_FILTERED in JSON") {
        const auto png = test::encodeTestImage(test::makeTestImage(16, 16, 1), ".png");
        h.fake.server().reply("POST", "/v2beta/stable-image/upscale/fast",
                              FakeReply::json(200, {{"image", providers::encodeBase64(png)},
                                                    {"finish_reason", "CONTENT_FILTERED"}}));
        CHECK(failureKind(h.submit(h.upscale("fast"))) == Kind::Blocked);
    }
    SECTION("403 content_moderation") {
        h.fake.server().reply(
            "POST", "/v2beta/stable-image/upscale/fast",
            StabilityFakeServer::error(403, "content_moderation",
                                       "Your request was flagged by our content moderation "
                                       "system, as a result your request was denied."));
        auto outcome = h.submit(h.upscale("fast"));
        CHECK(failureKind(outcome) == Kind::Blocked);
        CHECK(outcome.error().httpStatus == 403);
        CHECK(outcome.error().message.find("content moderation") != std::string::npos);
    }
    CHECK(filesIn(h.workDir) == 0);
}

TEST_CASE("Stability rate limits and server errors are Retryable", "[stability]") {
    Harness h;
    const std::string path = "/v2beta/stable-image/upscale/fast";
    SECTION("429 with Retry-After") {
        auto reply = StabilityFakeServer::error(429, "rate_limit_exceeded",
                                                "You have exceeded the rate limit");
        reply.withHeader("Retry-After", "11");
        h.fake.server().reply("POST", path, reply);
        auto outcome = h.submit(h.upscale("fast"));
        CHECK(failureKind(outcome) == Kind::Retryable);
        CHECK(outcome.error().retryAfter == std::chrono::milliseconds(11'000));
        CHECK(outcome.error().message.find("rate limit") != std::string::npos);
    }
    SECTION("500 and 503") {
        for (int status : {500, 503}) {
            h.fake.server().reply("POST", path,
                                  StabilityFakeServer::error(status, "internal_error", "oops"));
            auto outcome = h.submit(h.upscale("fast"));
            CHECK(failureKind(outcome) == Kind::Retryable);
            CHECK(outcome.error().httpStatus == status);
        }
    }
    SECTION("a poll that meets a 503 can simply be repeated") {
        h.fake.server().reply("GET", "/v2beta/results/.*",
                              StabilityFakeServer::error(503, "unavailable", "try later"));
        auto request = h.upscale("creative");
        CHECK(failureKind(h.poll(std::string(64, 'a'), request)) == Kind::Retryable);
    }
    CHECK(filesIn(h.workDir) == 0);
}

TEST_CASE("Stability bad requests fail before sending anything", "[stability]") {
    Harness h;
    SECTION("conservative and creative need a prompt") {
        CHECK(failureKind(h.submit(h.upscale("conservative"))) == Kind::Permanent);
        CHECK(failureKind(h.submit(h.upscale("creative"))) == Kind::Permanent);
    }
    SECTION("unknown mode, out-of-range seed, bad output format") {
        CHECK(failureKind(h.submit(h.upscale("magic"))) == Kind::Permanent);
        auto request = h.upscale("conservative");
        request.prompt = "x";
        request.seed = 4'294'967'295;
        CHECK(failureKind(h.submit(request)) == Kind::Permanent);
        request = h.upscale("fast");
        request.options = {{"output_format", "gif"}};
        CHECK(failureKind(h.submit(request)) == Kind::Permanent);
    }
    SECTION("no image, or text posing as one") {
        auto request = h.upscale("fast");
        request.images.clear();
        CHECK(failureKind(h.submit(request)) == Kind::Permanent);
        test::writeBytes(h.temp / "fake.png", "not an image, just some words here......");
        request.images = {h.temp / "fake.png"};
        CHECK(failureKind(h.submit(request)) == Kind::Permanent);
    }
    SECTION("no key") {
        test::TestCredentials none;
        auto outcome = h.provider.submit(h.context(none), h.upscale("fast"));
        CHECK(failureKind(outcome) == Kind::NotConfigured);
    }
    CHECK(h.fake.server().totalCount() == 0);
}

TEST_CASE("Stability broken replies and transfers are never Done", "[stability]") {
    Harness h;
    const std::string path = "/v2beta/stable-image/upscale/fast";
    SECTION("reset mid-body on a POST is Ambiguous") {
        const auto png = test::encodeTestImage(test::makeTestImage(64, 64, 2), ".png");
        auto cut = FakeReply::cutBody(png.substr(0, png.size() / 2), png.size());
        cut.contentType = "image/png";
        h.fake.server().reply("POST", path, cut);
        CHECK(failureKind(h.submit(h.upscale("fast"))) == Kind::Ambiguous);
    }
    SECTION("reset mid-body on a poll is Retryable") {
        const auto png = test::encodeTestImage(test::makeTestImage(64, 64, 2), ".png");
        auto cut = FakeReply::cutBody(png.substr(0, png.size() / 2), png.size());
        cut.contentType = "image/png";
        h.fake.server().reply("GET", "/v2beta/results/.*", cut);
        CHECK(failureKind(h.poll(std::string(64, 'b'), h.upscale("creative"))) == Kind::Retryable);
    }
    SECTION("malformed JSON") {
        h.fake.server().reply("POST", path, FakeReply::malformedJson());
        CHECK(failureKind(h.submit(h.upscale("fast"))) == Kind::Permanent);
        auto request = h.upscale("creative");
        request.prompt = "x";
        h.fake.server().reply("POST", "/v2beta/stable-image/upscale/creative",
                              FakeReply::malformedJson());
        CHECK(failureKind(h.submit(request)) == Kind::Permanent);
    }
    SECTION("async reply without a usable id") {
        auto request = h.upscale("creative");
        request.prompt = "x";
        for (const auto& body : {nlohmann::json{{"id", nullptr}}, nlohmann::json{{"id", "a/b"}},
                                 nlohmann::json::object()}) {
            h.fake.server().reply("POST", "/v2beta/stable-image/upscale/creative",
                                  FakeReply::json(200, body));
            CHECK(failureKind(h.submit(request)) == Kind::Permanent);
        }
    }
    SECTION("wrong MIME or bytes that are no image") {
        h.fake.server().reply("POST", path, FakeReply::text(200, "<html>hi</html>", "text/html"));
        CHECK(failureKind(h.submit(h.upscale("fast"))) == Kind::Permanent);
        h.fake.server().reply("POST", path, FakeReply::bytes("GIF89a-not-really", "image/png"));
        CHECK(failureKind(h.submit(h.upscale("fast"))) == Kind::Permanent);
        h.fake.server().reply("POST", path,
                              FakeReply::json(200, {{"image", "aGVsbG8="}, {"seed", "x"}}));
        CHECK(failureKind(h.submit(h.upscale("fast"))) == Kind::Permanent);
    }
    SECTION("stall past the deadline") {
        h.fake.server().reply("POST", path, FakeReply::stall(10s));
        const auto start = std::chrono::steady_clock::now();
        CHECK(failureKind(h.submit(h.upscale("fast"))) == Kind::Ambiguous);
        CHECK(std::chrono::steady_clock::now() - start < 6s);
    }
    SECTION("oversized body") {
        h.fake.server().reply("POST", path, FakeReply::chunked(32ULL << 20, "image/png"));
        auto outcome = h.submit(h.upscale("fast"));
        REQUIRE_FALSE(outcome.has_value());
        CHECK(outcome.error().kind != Kind::Retryable);
    }
    SECTION("cancelled while waiting") {
        h.fake.server().reply("POST", path, FakeReply::stall(10s));
        std::jthread canceller([&] {
            std::this_thread::sleep_for(200ms);
            h.stop.request_stop();
        });
        CHECK(failureKind(h.submit(h.upscale("fast"))) == Kind::Cancelled);
    }
    CHECK(filesIn(h.workDir) == 0);
}

TEST_CASE("Stability never lets the key into a message", "[stability][S2]") {
    Harness h;
    test::TestCredentials wrong("STABILITY_API_KEY", "sk-CANARY0wrong0stability0zzzzzz");
    auto outcome = h.provider.submit(h.context(wrong), h.upscale("fast"));
    REQUIRE_FALSE(outcome.has_value());
    CHECK(outcome.error().httpStatus == 401);
    h.messages.push_back(outcome.error().message);
    const auto sent = h.fake.server().lastRequest();
    REQUIRE(sent);
    CHECK(sent->path.find("CANARY") == std::string::npos);
}

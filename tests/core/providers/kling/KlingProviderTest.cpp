#include "providers/kling/KlingProvider.h"

#include "providers/ProviderSupport.h"
#include "providers/kling/KlingJwt.h"
#include "support/TestCredentials.h"
#include "support/TempDir.h"
#include "support/TestImages.h"
#include "support/fakes/KlingFakeServer.h"

#include <catch2/catch.hpp>
#include <map>

using namespace ripen;
using namespace ripen::test;
using providers::kling::KlingProvider;
using Kind = ProviderFailure::Kind;
using namespace std::chrono_literals;

namespace {

struct Fixture {
    KlingFakeServer fake;
    http::HttpClient http;
    test::TestCredentials credentials;
    TempDir work;
    std::filesystem::path keyframe;
    GenerationRequest request;

    Fixture() {
        credentials.values = {{"KLING_ACCESS_KEY", KlingFakeServer::kAccessKey},
                              {"KLING_SECRET_KEY", KlingFakeServer::kSecretKey}};
        keyframe = work / "keyframe.png";
        writeTestImage(keyframe, makeTestImage(640, 360, 1));
        request.kind = JobKind::ImageToVideo;
        request.provider = "kling";
        request.model = "kling-v2-1";
        request.prompt = "the lighthouse beam sweeps over the waves";
        request.negativePrompt = "blur";
        request.images = {keyframe};
        request.durationSeconds = 5;
    }

    ProviderContext context(std::stop_token stop = {}) {
        return ProviderContext{
            http, fake.baseUrl(), credentials, work.path(), "0f8fad5b-d9cb-469f-a165-70867728950e",
            stop, nullptr};
    }
};

KlingProvider::Settings quickSettings() {
    KlingProvider::Settings settings;
    settings.requestDeadline = 1500ms;
    settings.downloadDeadline = 3000ms;
    return settings;
}

// S2: no failure may carry a key, in clear or as the JWT that embeds the access key.
void requireNoSecret(const ProviderFailure& failure) {
    INFO(failure.message);
    CHECK(failure.message.find("CANARY") == std::string::npos);
    CHECK(failure.message.find("QU5BUlk") == std::string::npos); // base64 of "ANARY"
    CHECK(failure.message.find("eyJ") == std::string::npos);     // any JWT
}

ProviderFailure submitFailure(Fixture& f, KlingProvider& provider) {
    auto result = provider.submit(f.context(), f.request);
    REQUIRE_FALSE(result.has_value());
    requireNoSecret(result.error());
    return result.error();
}

ProviderOutcome<ProviderResult> pollUntilDone(Fixture& f, KlingProvider& provider,
                                              const std::string& taskId) {
    for (int attempt = 0; attempt < 10; ++attempt) {
        auto result = provider.poll(f.context(), taskId, f.request);
        if (!result || result->state == ProviderResult::State::Done) {
            return result;
        }
    }
    FAIL("the task never finished");
    return std::unexpected(ProviderFailure{});
}

} // namespace

TEST_CASE("Kling JWT matches an independently computed HS256 token", "[kling]") {
    const auto issued = std::chrono::system_clock::time_point(std::chrono::seconds(1700000000));
    auto token = providers::kling::makeKlingJwt(KlingFakeServer::kAccessKey,
                                                KlingFakeServer::kSecretKey, issued);
    REQUIRE(token.has_value());
    // Python: hmac.new(sk, header + "." + payload, sha256), base64url without padding.
    CHECK(*token == "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJleHAiOjE3MDAwMDE4MDAsImlzcyI6IkFLQ0"
                    "FOQVJZMGtsaW5nMGFjY2VzcyIsIm5iZiI6MTY5OTk5OTk5NX0.ppHB-JmtAxTJHjtmYd37gft85t8"
                    "uKfLP7PMnvtaoByU");
    CHECK_FALSE(providers::kling::makeKlingJwt("", "secret", issued).has_value());
}

TEST_CASE("base64url follows RFC 4648 section 5 without padding", "[kling]") {
    using providers::kling::base64UrlEncode;
    CHECK(base64UrlEncode("") == "");
    CHECK(base64UrlEncode("f") == "Zg");
    CHECK(base64UrlEncode("fo") == "Zm8");
    CHECK(base64UrlEncode("foo") == "Zm9v");
    CHECK(base64UrlEncode("foob") == "Zm9vYg");
    CHECK(base64UrlEncode(std::string("\xfb\xff", 2)) == "-_8");
}

TEST_CASE("Kling creates a task, polls it and downloads the clip from the CDN", "[kling]") {
    Fixture f;
    f.fake.setProcessingPolls(2);
    KlingProvider provider(quickSettings());
    CHECK(provider.id() == "kling");
    CHECK(provider.supports(JobKind::ImageToVideo));
    CHECK_FALSE(provider.supports(JobKind::TextToImage));
    CHECK(provider.baseUrlVariable() == "RIPEN_KLING_BASE_URL");
    CHECK(provider.defaultBaseUrls() ==
          std::vector<std::string>{"https://api-singapore.klingai.com"});
    CHECK(provider.missingConfiguration(f.credentials).empty());
    CHECK_FALSE(provider.dedupesResubmission());

    auto submitted = provider.submit(f.context(), f.request);
    REQUIRE(submitted.has_value());
    CHECK(submitted->state == ProviderResult::State::Running);
    CHECK(submitted->operationId == "tk1");
    CHECK(f.fake.authProblems().empty());

    const auto bodies = f.fake.createBodies();
    REQUIRE(bodies.size() == 1);
    const auto& body = bodies.front();
    CHECK(body["model_name"] == "kling-v2-1");
    CHECK(body["duration"] == "5");
    CHECK(body["mode"] == "std");
    CHECK(body["prompt"] == f.request.prompt);
    CHECK(body["negative_prompt"] == "blur");
    CHECK(body["external_task_id"] == "0f8fad5b-d9cb-469f-a165-70867728950e");
    CHECK_FALSE(body.contains("cfg_scale"));
    auto image = providers::decodeBase64(body["image"].get<std::string>(), 32 << 20);
    REQUIRE(image.has_value());
    CHECK(*image == readBytes(f.keyframe));
    const auto create = f.fake.api().requestsTo("/v1/videos/image2video");
    REQUIRE(create.size() == 1);
    CHECK(create[0].method == "POST");
    CHECK(create[0].header("Content-Type").value_or("").find("application/json") == 0);
    CHECK(create[0].param("key") == std::nullopt); // keys never in URLs

    auto running = provider.poll(f.context(), submitted->operationId, f.request);
    REQUIRE(running.has_value());
    CHECK(running->state == ProviderResult::State::Running);

    auto done = pollUntilDone(f, provider, submitted->operationId);
    REQUIRE(done.has_value());
    REQUIRE(done->outputs.size() == 1);
    const auto& clip = done->outputs.front();
    CHECK(clip.mimeType.rfind("video/", 0) == 0);
    CHECK(clip.file.parent_path() == f.work.path());
    CHECK(std::filesystem::file_size(clip.file) > 0);
    CHECK(done->usage.unit == "credits");
    CHECK(done->usage.costMicros == 1'500'000);
    CHECK(done->modelVersion == "kling-v2-1");
    CHECK(f.fake.authProblems().empty());

    // The CDN is another host: it must never see the JWT.
    const auto downloads = f.fake.cdn().requests();
    REQUIRE(downloads.size() == 1);
    CHECK_FALSE(downloads[0].header("Authorization").has_value());
}

TEST_CASE("Kling request options: pro mode, 10 s, cfg_scale and bad values", "[kling]") {
    Fixture f;
    KlingProvider provider(quickSettings());
    f.request.durationSeconds = 10;
    f.request.options = {{"mode", "pro"}, {"cfg_scale", 0.5}};
    REQUIRE(provider.submit(f.context(), f.request).has_value());
    const auto body = f.fake.createBodies().at(0);
    CHECK(body["duration"] == "10");
    CHECK(body["mode"] == "pro");
    CHECK(body["cfg_scale"] == 0.5);

    f.request.durationSeconds = 7;
    CHECK(submitFailure(f, provider).kind == Kind::Permanent);
    f.request.durationSeconds = 5;
    f.request.options = {{"mode", "turbo"}};
    CHECK(submitFailure(f, provider).kind == Kind::Permanent);

    // A keyframe Kling would refuse is refused here, before anything is sent or billed.
    f.request.options = nlohmann::json::object();
    writeTestImage(f.keyframe, makeTestImage(200, 200, 2));
    const auto before = f.fake.api().totalCount();
    CHECK(submitFailure(f, provider).kind == Kind::Permanent);
    CHECK(f.fake.api().totalCount() == before);
}

TEST_CASE("Kling without keys is not configured and sends nothing", "[kling]") {
    Fixture f;
    f.credentials.values.erase("KLING_SECRET_KEY");
    KlingProvider provider(quickSettings());
    CHECK_FALSE(provider.missingConfiguration(f.credentials).empty());
    CHECK(submitFailure(f, provider).kind == Kind::NotConfigured);
    CHECK(f.fake.api().totalCount() == 0);
}

TEST_CASE("Kling business codes decide the retry class", "[kling]") {
    Fixture f;
    KlingProvider provider(quickSettings());
    const std::string path = "/v1/videos/image2video";

    SECTION("1301 content security is a block with Kling's words") {
        f.fake.api().reply(
            "POST", path,
            KlingFakeServer::businessError(400, 1301, "Content security policy triggered"));
        const auto failure = submitFailure(f, provider);
        CHECK(failure.kind == Kind::Blocked);
        CHECK(failure.message.find("Content security policy") != std::string::npos);
    }
    SECTION("1303 concurrency limit is retryable and honours Retry-After") {
        auto reply =
            KlingFakeServer::businessError(429, 1303, "parallel task over resource pack limit");
        reply.withHeader("Retry-After", "2");
        f.fake.api().reply("POST", path, reply);
        const auto failure = submitFailure(f, provider);
        CHECK(failure.kind == Kind::Retryable);
        CHECK(failure.httpStatus == 429);
        CHECK(failure.retryAfter == std::chrono::milliseconds(2000));
    }
    SECTION("1102 depleted resource pack is a 429 that must not be retried") {
        f.fake.api().reply("POST", path,
                           KlingFakeServer::businessError(429, 1102, "resource pack depleted"));
        CHECK(submitFailure(f, provider).kind == Kind::Permanent);
    }
    SECTION("5000 server error is retryable") {
        f.fake.api().reply("POST", path, KlingFakeServer::businessError(500, 5000, "server error"));
        CHECK(submitFailure(f, provider).kind == Kind::Retryable);
    }
    SECTION("503 without a JSON body is retryable") {
        f.fake.api().reply("POST", path, FakeReply::text(503, "<html>busy</html>", "text/html"));
        CHECK(submitFailure(f, provider).kind == Kind::Retryable);
    }
    SECTION("1004 expired token points at the clock") {
        f.fake.api().reply("POST", path,
                           KlingFakeServer::businessError(401, 1004, "token expired"));
        const auto failure = submitFailure(f, provider);
        CHECK(failure.kind == Kind::Permanent);
        CHECK(failure.message.find("clock") != std::string::npos);
    }
    SECTION("a 200 with a non-zero code is still an error") {
        f.fake.api().reply("POST", path, KlingFakeServer::businessError(200, 1201, "bad value"));
        CHECK(submitFailure(f, provider).kind == Kind::Permanent);
    }
}

TEST_CASE("Kling replies that cannot be read after a create are ambiguous", "[kling]") {
    Fixture f;
    KlingProvider provider(quickSettings());
    const std::string path = "/v1/videos/image2video";

    SECTION("malformed JSON") {
        f.fake.api().reply("POST", path, FakeReply::malformedJson());
        CHECK(submitFailure(f, provider).kind == Kind::Ambiguous);
    }
    SECTION("success without a task id") {
        f.fake.api().reply("POST", path, FakeReply::json(200, {{"code", 0}, {"data", {{"x", 1}}}}));
        CHECK(submitFailure(f, provider).kind == Kind::Ambiguous);
    }
    SECTION("connection reset mid-body") {
        f.fake.api().reply("POST", path, FakeReply::cutBody(R"({"code":0,"data":{"task_)", 400));
        CHECK(submitFailure(f, provider).kind == Kind::Ambiguous);
    }
    SECTION("a stall past the deadline") {
        f.fake.api().reply("POST", path, FakeReply::stall(10s));
        const auto started = std::chrono::steady_clock::now();
        CHECK(submitFailure(f, provider).kind == Kind::Ambiguous);
        CHECK(std::chrono::steady_clock::now() - started < 6s);
    }
}

TEST_CASE("Kling task failures, odd states and bad query replies", "[kling]") {
    Fixture f;
    f.fake.setProcessingPolls(0);
    KlingProvider provider(quickSettings());
    auto submitted = provider.submit(f.context(), f.request);
    REQUIRE(submitted.has_value());
    const std::string query = "/v1/videos/image2video/" + submitted->operationId;

    SECTION("risk control failure is a block") {
        f.fake.setFinalStatus("failed", "Failure to pass the risk control system");
        auto result = provider.poll(f.context(), submitted->operationId, f.request);
        REQUIRE_FALSE(result.has_value());
        CHECK(result.error().kind == Kind::Blocked);
        CHECK(result.error().message.find("risk control") != std::string::npos);
        requireNoSecret(result.error());
    }
    SECTION("other failures are permanent") {
        f.fake.setFinalStatus("failed", "internal rendering failure");
        auto result = provider.poll(f.context(), submitted->operationId, f.request);
        REQUIRE_FALSE(result.has_value());
        CHECK(result.error().kind == Kind::Permanent);
    }
    SECTION("an unknown state is permanent") {
        f.fake.setFinalStatus("exploded");
        auto result = provider.poll(f.context(), submitted->operationId, f.request);
        REQUIRE_FALSE(result.has_value());
        CHECK(result.error().kind == Kind::Permanent);
    }
    SECTION("success with an empty video list is permanent") {
        f.fake.api().reply(
            "GET", query,
            FakeReply::json(200, {{"code", 0},
                                  {"data",
                                   {{"task_id", submitted->operationId},
                                    {"task_status", "succeed"},
                                    {"task_result", {{"videos", nlohmann::json::array()}}}}}}));
        auto result = provider.poll(f.context(), submitted->operationId, f.request);
        REQUIRE_FALSE(result.has_value());
        CHECK(result.error().kind == Kind::Permanent);
    }
    SECTION("malformed JSON on a query is retried, not failed") {
        f.fake.api().reply("GET", query, FakeReply::malformedJson());
        auto result = provider.poll(f.context(), submitted->operationId, f.request);
        REQUIRE_FALSE(result.has_value());
        CHECK(result.error().kind == Kind::Retryable);
    }
    SECTION("an oversized query reply is aborted") {
        f.fake.api().reply("GET", query, FakeReply::endlessChunked());
        auto result = provider.poll(f.context(), submitted->operationId, f.request);
        REQUIRE_FALSE(result.has_value());
        CHECK(result.error().kind != Kind::Ambiguous);
        requireNoSecret(result.error());
    }
    SECTION("a hostile task id is refused without a request") {
        const auto before = f.fake.api().totalCount();
        auto result = provider.poll(f.context(), "../../account/costs", f.request);
        REQUIRE_FALSE(result.has_value());
        CHECK(f.fake.api().totalCount() == before);
    }
}

TEST_CASE("Kling download faults leave no partial clip and can be retried", "[kling]") {
    Fixture f;
    f.fake.setProcessingPolls(0);
    KlingProvider provider(quickSettings());
    auto submitted = provider.submit(f.context(), f.request);
    REQUIRE(submitted.has_value());
    const auto video = KlingFakeServer::testVideo();

    SECTION("cut mid-body") {
        f.fake.cdn().reply("GET", "/cdn/.*",
                           FakeReply::cutBody(video.substr(0, 100), video.size()));
        auto result = provider.poll(f.context(), submitted->operationId, f.request);
        REQUIRE_FALSE(result.has_value());
        CHECK(result.error().kind == Kind::Retryable);
    }
    SECTION("not a video") {
        f.fake.cdn().reply("GET", "/cdn/.*", FakeReply::bytes("<html>expired</html>", "video/mp4"));
        auto result = provider.poll(f.context(), submitted->operationId, f.request);
        REQUIRE_FALSE(result.has_value());
        CHECK(result.error().kind == Kind::Permanent);
    }
    SECTION("expired URL") {
        f.fake.cdn().reply("GET", "/cdn/.*", FakeReply::text(403, "AccessDenied"));
        auto result = provider.poll(f.context(), submitted->operationId, f.request);
        REQUIRE_FALSE(result.has_value());
        CHECK(result.error().kind == Kind::Permanent);
    }
    for (const auto& entry : std::filesystem::directory_iterator(f.work.path())) {
        CHECK(entry.path().filename() == "keyframe.png"); // nothing else left behind
    }
}

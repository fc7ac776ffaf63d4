// Veo image-to-video through the Gemini API against the loopback fake: the long-running
// operation cycle, downloads (cut, redirected) and failed or filtered operations
// (providers.md §2, RELIABILITY.md P4, P6, S3).

#include "GoogleFakeServer.h"
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
using Kind = ProviderFailure::Kind;

namespace {

struct VeoFixture {
    GoogleFakeServer fake;
    http::HttpClient http;
    MapCredentials credentials;
    TempDir work;
    TempDir inputs;
    GoogleProvider provider;

    ProviderContext context() {
        return ProviderContext{http, fake.baseUrl(), credentials, work.path(), "job-v",
                               {},   nullptr};
    }
    GenerationRequest request() {
        GenerationRequest r;
        r.kind = JobKind::ImageToVideo;
        r.provider = "google";
        r.model = "veo-3.1-generate-preview";
        r.prompt = "the mango slowly rotates, soft morning light";
        r.negativePrompt = "blurry";
        r.aspectRatio = "16:9";
        r.durationSeconds = 8;
        const auto keyframe = inputs / "keyframe.png";
        if (!std::filesystem::exists(keyframe)) {
            writeTestImage(keyframe, makeTestImage(128, 72, 5));
        }
        r.images = {keyframe};
        return r;
    }
    std::string start() {
        const auto started = provider.submit(context(), request());
        REQUIRE(started);
        REQUIRE(started->state == ProviderResult::State::Running);
        return started->operationId;
    }
    std::size_t filesInWorkDir() const {
        std::size_t n = 0;
        for (const auto& entry : std::filesystem::recursive_directory_iterator(work.path())) {
            n += entry.is_regular_file() ? 1 : 0;
        }
        return n;
    }
};

} // namespace

TEST_CASE("Veo full cycle: start, two running polls, a cut download, then the clip",
          "[google][veo][faults]") {
    VeoFixture f;
    f.fake.setRunningPolls(2);
    const std::string full = f.fake.video();
    f.fake.setDownloadReplies({FakeReply::cutBody(full.substr(0, full.size() / 2), full.size()),
                               FakeReply::bytes(full, "video/mp4")});

    const auto started = f.provider.submit(f.context(), f.request());
    REQUIRE(started);
    CHECK(started->state == ProviderResult::State::Running);
    const std::string operation = started->operationId;
    CHECK(operation == "models/veo-3.1-generate-preview/operations/op1");

    const auto bodies = f.fake.bodies(":predictLongRunning");
    REQUIRE(bodies.size() == 1);
    const auto& instance = bodies[0]["instances"][0];
    CHECK(instance["prompt"] == "the mango slowly rotates, soft morning light");
    CHECK(instance["image"]["mimeType"] == "image/png");
    CHECK(instance["image"]["bytesBase64Encoded"] ==
          GoogleFakeServer::base64(readBytes(f.request().images[0])));
    CHECK_FALSE(instance.contains("lastFrame"));
    const auto& parameters = bodies[0]["parameters"];
    CHECK(parameters["aspectRatio"] == "16:9");
    CHECK(parameters["durationSeconds"] == 8);
    CHECK(parameters["negativePrompt"] == "blurry");
    CHECK_FALSE(parameters.contains("seed"));

    for (int i = 0; i < 2; ++i) {
        const auto running = f.provider.poll(f.context(), operation, f.request());
        REQUIRE(running);
        CHECK(running->state == ProviderResult::State::Running);
        CHECK(running->operationId == operation);
    }
    CHECK(f.fake.server().count("/v1beta/" + operation) == 2);

    // Done, but the download is cut half-way: Retryable, and no partial file is left.
    const auto cut = f.provider.poll(f.context(), operation, f.request());
    REQUIRE_FALSE(cut);
    CHECK(cut.error().kind == Kind::Retryable);
    CHECK(cut.error().message.find("connection failed") != std::string::npos);
    CHECK(f.filesInWorkDir() == 0);

    // The next poll finds the operation still done and fetches the clip again.
    const auto done = f.provider.poll(f.context(), operation, f.request());
    REQUIRE(done);
    CHECK(done->state == ProviderResult::State::Done);
    REQUIRE(done->outputs.size() == 1);
    CHECK(done->outputs[0].mimeType.starts_with("video/"));
    CHECK(readBytes(done->outputs[0].file) == full);
    CHECK(done->modelVersion == "veo-3.1-generate-preview");
    CHECK(done->info["operationName"] == operation);
    CHECK(done->usage.raw["durationSeconds"] == 8);
    CHECK(f.filesInWorkDir() == 1);

    CHECK(f.fake.server().count("/v1beta/files/vid-1:download") == 2);
    CHECK(f.fake.server().count("/v1beta/models/veo-3.1-generate-preview:predictLongRunning") == 1);
    const auto download = f.fake.server().requestsTo("/v1beta/files/vid-1:download").back();
    CHECK(download.header("x-goog-api-key") == std::string(kApiKey));
    CHECK(download.param("alt") == "media");
    CHECK(f.fake.keyProblems().empty());
}

TEST_CASE("Veo polling resumes from the operation name alone", "[google][veo]") {
    VeoFixture f;
    f.fake.setRunningPolls(0);
    const std::string operation = f.start();
    // A new provider object (as after a restart) with only the persisted name.
    GoogleProvider restarted;
    const auto done = restarted.poll(f.context(), operation, f.request());
    REQUIRE(done);
    CHECK(done->state == ProviderResult::State::Done);
    CHECK(done->outputs.size() == 1);

    const auto unknown =
        restarted.poll(f.context(), "models/veo-3.1-generate-preview/operations/gone", f.request());
    REQUIRE_FALSE(unknown);
    CHECK(unknown.error().kind == Kind::Permanent);
    CHECK(unknown.error().httpStatus == 404);

    for (const char* hostile : {"../../etc/passwd", "models/x/operations/a?key=1", "",
                                "/abs/operations/x", "models/x/operations/../../y"}) {
        const auto refused = restarted.poll(f.context(), hostile, f.request());
        REQUIRE_FALSE(refused);
        CHECK(refused.error().kind == Kind::Permanent);
    }
}

TEST_CASE("A failed Veo operation is Permanent, a refused one Blocked", "[google][veo][faults]") {
    VeoFixture f;
    f.fake.setRunningPolls(1);

    SECTION("operation error") {
        f.fake.setFinalOperation(
            {{"error", {{"code", 13}, {"message", "Video generation failed."}}}});
        const std::string operation = f.start();
        CHECK(f.provider.poll(f.context(), operation, f.request())->state ==
              ProviderResult::State::Running);
        const auto failed = f.provider.poll(f.context(), operation, f.request());
        REQUIRE_FALSE(failed);
        CHECK(failed.error().kind == Kind::Permanent);
        CHECK(failed.error().message.find("Video generation failed.") != std::string::npos);
        CHECK(failed.error().message.find("INTERNAL") != std::string::npos);
    }
    SECTION("operation error for a usage-guidelines refusal") {
        f.fake.setFinalOperation(
            {{"error",
              {{"code", 3},
               {"message", "The prompt could not be submitted. This prompt contains words that "
                           "violate Gemini API's usage guidelines."}}}});
        const std::string operation = f.start();
        (void)f.provider.poll(f.context(), operation, f.request());
        const auto refused = f.provider.poll(f.context(), operation, f.request());
        REQUIRE_FALSE(refused);
        CHECK(refused.error().kind == Kind::Blocked);
        CHECK(refused.error().message.find("usage guidelines") != std::string::npos);
    }
    SECTION("every sample filtered by the responsible-AI filter") {
        f.fake.setFinalOperation(
            {{"response",
              {{"generateVideoResponse",
                {{"raiMediaFilteredCount", 1},
                 {"raiMediaFilteredReasons",
                  nlohmann::json::array({"We encountered an issue with the audio for your prompt. "
                                         "You have not been charged."})}}}}}});
        const std::string operation = f.start();
        (void)f.provider.poll(f.context(), operation, f.request());
        const auto filtered = f.provider.poll(f.context(), operation, f.request());
        REQUIRE_FALSE(filtered);
        CHECK(filtered.error().kind == Kind::Blocked);
        CHECK(filtered.error().message.find("You have not been charged.") != std::string::npos);
    }
    SECTION("done without samples and without a filter verdict") {
        f.fake.setFinalOperation(
            {{"response", {{"generateVideoResponse", nlohmann::json::object()}}}});
        const std::string operation = f.start();
        (void)f.provider.poll(f.context(), operation, f.request());
        const auto empty = f.provider.poll(f.context(), operation, f.request());
        REQUIRE_FALSE(empty);
        CHECK(empty.error().kind == Kind::Permanent);
    }
    CHECK(f.filesInWorkDir() == 0);
}

TEST_CASE("Veo faults on start and poll are classified for the queue", "[google][veo][faults]") {
    VeoFixture f;
    SECTION("start cut mid-reply is Ambiguous") {
        f.fake.server().reply("POST", "/v1beta/models/([^/:]+):predictLongRunning",
                              FakeReply::cutBody(R"({"name": "models/veo-3.1-generate-prev)", 80));
        const auto result = f.provider.submit(f.context(), f.request());
        REQUIRE_FALSE(result);
        CHECK(result.error().kind == Kind::Ambiguous);
        CHECK(f.fake.server().count("/v1beta/models/veo-3.1-generate-preview:predictLongRunning") ==
              1);
    }
    SECTION("start answered 429 with RetryInfo") {
        f.fake.server().reply(
            "POST", "/v1beta/models/([^/:]+):predictLongRunning",
            googleError(
                429, "RESOURCE_EXHAUSTED", "Too many requests.",
                nlohmann::json::array({{{"@type", "type.googleapis.com/google.rpc.RetryInfo"},
                                        {"retryDelay", "12s"}}})));
        const auto result = f.provider.submit(f.context(), f.request());
        REQUIRE_FALSE(result);
        CHECK(result.error().kind == Kind::Retryable);
        CHECK(result.error().retryAfter == std::chrono::milliseconds(12'000));
    }
    SECTION("a garbled or cut poll reply is Retryable: asking again is free") {
        const std::string operation = f.start();
        f.fake.server().reply("GET", "/v1beta/models/([^/:]+)/operations/([^/]+)",
                              FakeReply::malformedJson());
        auto result = f.provider.poll(f.context(), operation, f.request());
        REQUIRE_FALSE(result);
        CHECK(result.error().kind == Kind::Retryable);
        f.fake.server().reply("GET", "/v1beta/models/([^/:]+)/operations/([^/]+)",
                              FakeReply::cutBody(R"({"name": "x", "do)", 100));
        result = f.provider.poll(f.context(), operation, f.request());
        REQUIRE_FALSE(result);
        CHECK(result.error().kind == Kind::Retryable);
        f.fake.server().reply("GET", "/v1beta/models/([^/:]+)/operations/([^/]+)",
                              googleError(503, "UNAVAILABLE", "Service unavailable."));
        result = f.provider.poll(f.context(), operation, f.request());
        REQUIRE_FALSE(result);
        CHECK(result.error().kind == Kind::Retryable);
    }
    SECTION("a download that is not a video is Permanent and removed") {
        f.fake.setRunningPolls(0);
        f.fake.setDownloadReplies({FakeReply::text(200, "<html>sign in</html>", "text/html")});
        const std::string operation = f.start();
        const auto result = f.provider.poll(f.context(), operation, f.request());
        REQUIRE_FALSE(result);
        CHECK(result.error().kind == Kind::Permanent);
    }
    SECTION("requests that cannot become a Veo job are refused before sending") {
        GenerationRequest noImage = f.request();
        noImage.images.clear();
        CHECK(f.provider.submit(f.context(), noImage).error().kind == Kind::Permanent);
        GenerationRequest twoImages = f.request();
        twoImages.images.push_back(twoImages.images[0]);
        CHECK(f.provider.submit(f.context(), twoImages).error().kind == Kind::Permanent);
        CHECK(f.fake.server().totalCount() == 0);
    }
    CHECK(f.filesInWorkDir() == 0);
}

TEST_CASE("Veo last frame and options reach the request", "[google][veo]") {
    VeoFixture f;
    GenerationRequest request = f.request();
    const auto last = f.inputs / "last.jpg";
    writeTestImage(last, makeTestImage(128, 72, 9));
    request.images.push_back(last);
    request.options = {{"lastFrame", true},
                       {"resolution", "1080p"},
                       {"sampleCount", 2},
                       {"personGeneration", "allow_adult"}};
    request.seed = 42;
    const auto started = f.provider.submit(f.context(), request);
    REQUIRE(started);
    CHECK(started->info.contains("seedIgnored"));
    const auto body = f.fake.bodies(":predictLongRunning").at(0);
    CHECK(body["instances"][0]["lastFrame"]["mimeType"] == "image/jpeg");
    CHECK(body["parameters"]["resolution"] == "1080p");
    CHECK(body["parameters"]["sampleCount"] == 2);
    CHECK(body["parameters"]["personGeneration"] == "allow_adult");
}

TEST_CASE("Veo downloads never carry the key to another host", "[google][veo][security]") {
    VeoFixture f;
    FakeHttpServer storage; // a different origin (another port), as a CDN would be
    const std::string video = f.fake.video();
    storage.reply("GET", "/bucket/clip.mp4", FakeReply::bytes(video, "video/mp4"));
    f.fake.setRunningPolls(0);

    SECTION("a redirect from Google's file URL to storage") {
        f.fake.setDownloadReplies({FakeReply::text(302, "").withHeader(
            "Location", storage.baseUrl() + "/bucket/clip.mp4")});
        const std::string operation = f.start();
        const auto done = f.provider.poll(f.context(), operation, f.request());
        REQUIRE(done);
        REQUIRE(done->outputs.size() == 1);
        CHECK(readBytes(done->outputs[0].file) == video);
        // The first hop (same origin as the base URL) had the key; storage did not.
        CHECK(f.fake.server()
                  .requestsTo("/v1beta/files/vid-1:download")
                  .at(0)
                  .header("x-goog-api-key") == std::string(kApiKey));
        const auto fetched = storage.requestsTo("/bucket/clip.mp4");
        REQUIRE(fetched.size() == 1);
        CHECK_FALSE(fetched[0].header("x-goog-api-key"));
        CHECK_FALSE(fetched[0].param("key"));
        CHECK(f.filesInWorkDir() == 1);
    }
    SECTION("a video uri on another host is fetched without the key") {
        f.fake.setFinalOperation(
            {{"response",
              {{"generateVideoResponse",
                {{"generatedSamples",
                  nlohmann::json::array(
                      {{{"video", {{"uri", storage.baseUrl() + "/bucket/clip.mp4"}}}}})}}}}}});
        const std::string operation = f.start();
        const auto done = f.provider.poll(f.context(), operation, f.request());
        REQUIRE(done);
        CHECK_FALSE(storage.requestsTo("/bucket/clip.mp4").at(0).header("x-goog-api-key"));
    }
    SECTION("a redirect loop ends") {
        f.fake.setDownloadReplies({FakeReply::text(302, "").withHeader(
            "Location", "/v1beta/files/vid-1:download?alt=media")});
        const std::string operation = f.start();
        const auto looped = f.provider.poll(f.context(), operation, f.request());
        REQUIRE_FALSE(looped);
        CHECK(looped.error().kind == Kind::Permanent);
        CHECK(f.filesInWorkDir() == 0);
    }
    SECTION("encoded video inline in the operation") {
        f.fake.setFinalOperation(
            {{"response",
              {{"generateVideoResponse",
                {{"generatedSamples",
                  nlohmann::json::array({{{"video",
                                           {{"encodedVideo", GoogleFakeServer::base64(video)},
                                            {"encoding", "video/mp4"}}}}})}}}}}});
        const std::string operation = f.start();
        const auto done = f.provider.poll(f.context(), operation, f.request());
        REQUIRE(done);
        REQUIRE(done->outputs.size() == 1);
        CHECK(readBytes(done->outputs[0].file) == video);
    }
}

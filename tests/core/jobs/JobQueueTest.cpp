// The queue end to end against a loopback server speaking OpenAI's Images protocol: the
// real provider code, the real HTTP client, the real catalog.
#include "catalog/Library.h"
#include "common/Clock.h"
#include "common/ResourceLocator.h"
#include "common/Sha256.h"
#include "credits/Ledger.h"
#include "jobs/JobRunner.h"
#include "jobs/JobStore.h"
#include "jobs/ProviderHolds.h"
#include "jobs/QueueLock.h"
#include "jobs/ResultManifest.h"
#include "providers/ProviderSupport.h"
#include "providers/http/SendGate.h"
#include "providers/openai/OpenAiImagesProvider.h"
#include "support/FakeHttpServer.h"
#include "support/TempDir.h"
#include "support/TestCredentials.h"
#include "support/TestImages.h"
#include "support/fakes/OpenAiFakeServer.h"
#include "support/fakes/UniqueImageReplies.h"

#include <catch2/catch.hpp>
#include <condition_variable>
#include <cstdlib>
#include <future>
#include <mutex>
#include <thread>
#include <unistd.h>

using namespace ripen;
using namespace ripen::test;

namespace {

// One library, one fake OpenAI, the provider registered against it.
struct QueueFixture {
    TempDir dir;
    FakeHttpServer server;
    std::unique_ptr<Library> library;
    ProviderRegistry registry;
    TestCredentials credentials{"OPENAI_API_KEY", OpenAiFakeServer::kApiKey};
    http::HttpClient http;
    PriceBook prices;

    explicit QueueFixture(ProviderLimits limits = {4, 600}) {
        ::setenv("RIPEN_OPENAI_BASE_URL", server.baseUrl().c_str(), 1);
        OpenAiImagesSettings settings;
        settings.requestDeadline = std::chrono::milliseconds(3000);
        registry.add(std::make_unique<OpenAiImagesProvider>(settings), limits);
        auto opened = Library::open(dir / "library");
        REQUIRE(opened);
        library = std::move(*opened);
        auto loaded = PriceBook::load(resourceFile("pricebook.json"));
        REQUIRE(loaded);
        prices = std::move(*loaded);
    }

    GenerationRequest request(const std::string& prompt) const {
        GenerationRequest r;
        r.provider = "openai";
        r.model = "gpt-image-1";
        r.prompt = prompt;
        return r;
    }

    std::vector<JobId> enqueue(const std::string& prompt, int count = 1,
                               const std::string& project = "") {
        EnqueueOptions options;
        options.count = count;
        options.project = project;
        auto estimate = prices.estimate(request(prompt));
        REQUIRE(estimate);
        auto ids = JobStore(*library).enqueue(request(prompt), options, *estimate);
        REQUIRE(ids);
        return *ids;
    }

    RunSummary run(JobRunner::Settings settings = fastRetries()) {
        JobRunner runner(library->root(), registry, credentials, prices, http, settings);
        auto summary = runner.runUntilIdle({});
        REQUIRE(summary);
        return *summary;
    }

    Job job(JobId id) {
        auto j = JobStore(*library).job(id);
        REQUIRE(j);
        return *j;
    }

    static JobRunner::Settings fastRetries() {
        JobRunner::Settings s;
        s.retry.base = std::chrono::milliseconds(20);
        s.retry.cap = std::chrono::milliseconds(100);
        s.retry.maxAttempts = 3;
        return s;
    }

    Micros ledgerSum(const char* kind) {
        auto sum = library->catalog().database().queryInt64(
            std::string("SELECT coalesce(sum(usd_micros), 0) FROM ledger WHERE kind = '") + kind +
            "'");
        REQUIRE(sum);
        return *sum;
    }
};

} // namespace

TEST_CASE("Queued jobs become assets with provenance and settle their reservations", "[jobs]") {
    QueueFixture f;
    UniqueImageReplies replies(f.server);
    const auto ids = f.enqueue("a ceramic mug on a walnut table", 3, "Mugs");
    CHECK(f.ledgerSum("reserve") == 3 * 42'000);

    const RunSummary summary = f.run();
    CHECK(summary.succeeded == 3);
    CHECK(replies.total() == 3);
    for (const JobId id : ids) {
        const Job job = f.job(id);
        CHECK(job.state == JobState::Succeeded);
        REQUIRE(job.assets.size() == 1);
        auto asset = f.library->catalog().asset(job.assets[0]);
        REQUIRE(asset);
        CHECK(asset->generation.provider == "openai");
        CHECK(asset->generation.modelId == "gpt-image-1");
        CHECK(asset->generation.prompt == "a ceramic mug on a walnut table");
        CHECK(asset->generation.params["job_id"] == id);
        CHECK(asset->project == "Mugs");
        CHECK(asset->stage == Stage::Concept);
        CHECK(Sha256::ofBytes(readBytes(f.library->blobFile(*asset))) == asset->sha256);
        CHECK(std::filesystem::is_regular_file(f.library->thumbnailFile(asset->sha256)));
        // Settled from the reported usage: 1056 output tokens at $40 per million.
        CHECK(job.cost == 42'240);
    }
    Ledger ledger(f.library->catalog().database());
    CHECK(*ledger.totalReservedUsd() == 0);
    CHECK(*ledger.totalChargedUsd() == 3 * 42'240);
    // Today's spend as the status bar reads it: charges from a moment on.
    CHECK(*ledger.chargedUsdSince(0) == 3 * 42'240);
    CHECK(*ledger.chargedUsdSince(unixMillis() + 60'000) == 0);
    // Every request carried the key in its header, never in the URL.
    for (const auto& request : f.server.requestsTo("/v1/images/generations")) {
        CHECK(request.header("Authorization") ==
              std::string("Bearer ") + OpenAiFakeServer::kApiKey);
        CHECK(request.params.empty());
    }
    CHECK_FALSE(std::filesystem::exists(f.library->root() / "jobs" / f.job(ids[0]).key));
}

TEST_CASE("A hard budget refuses the job that would pass it, also under concurrency",
          "[jobs][budget]") {
    QueueFixture f;
    auto projectId = f.library->catalog().ensureProject("Tight", "");
    REQUIRE(projectId);
    Ledger ledger(f.library->catalog().database());
    // Room for exactly ten jobs at the $0.042 estimate.
    REQUIRE(ledger.setBudget("project", *projectId, 420'000));

    std::atomic<int> accepted{0};
    std::atomic<int> refused{0};
    std::vector<std::jthread> submitters;
    for (int i = 0; i < 50; ++i) {
        submitters.emplace_back([&] {
            auto library = Library::open(f.dir / "library");
            REQUIRE(library);
            EnqueueOptions options;
            options.project = "Tight";
            auto estimate = f.prices.estimate(f.request("x"));
            auto ids = JobStore(**library).enqueue(f.request("x"), options, *estimate);
            if (ids) {
                ++accepted;
            } else {
                CHECK(ids.error().code == ErrorCode::LimitExceeded);
                CHECK_THAT(ids.error().message,
                           Catch::Contains("Tight") && Catch::Contains("budget"));
                ++refused;
            }
        });
    }
    submitters.clear();
    CHECK(accepted == 10);
    CHECK(refused == 40);
    auto budget = ledger.budget("project", *projectId);
    REQUIRE(budget);
    CHECK((*budget)->reservedUsd == 420'000);
}

TEST_CASE("429 with Retry-After is waited out and sent again with one execution",
          "[jobs][faults]") {
    QueueFixture f;
    f.server.replySequence("POST", "/v1/images/generations",
                           {FakeReply::rateLimited("1", {{"error", {{"message", "slow down"}}}}),
                            FakeReply::json(200, OpenAiFakeServer::imagesReply(1, 32, 32))});
    const auto ids = f.enqueue("retry me");
    const auto started = std::chrono::steady_clock::now();
    const RunSummary summary = f.run();
    CHECK(summary.succeeded == 1);
    CHECK(f.server.count("/v1/images/generations") == 2);
    CHECK(std::chrono::steady_clock::now() - started >= std::chrono::milliseconds(1000));
    const auto requests = f.server.requestsTo("/v1/images/generations");
    CHECK(requests[1].receivedAt - requests[0].receivedAt >= std::chrono::milliseconds(1000));
    CHECK(f.job(ids[0]).attempts == 1); // the 429 was not executed: not counted
}

TEST_CASE("429s never use up a job's attempts; other retryable failures still do",
          "[jobs][faults][hold]") {
    QueueFixture f;
    const auto refused = FakeReply::rateLimited("0", {{"error", {{"message", "slow down"}}}});
    // maxAttempts is 3 here: five refusals, a 503, then the image.
    f.server.replySequence("POST", "/v1/images/generations",
                           {refused, refused, refused, refused, refused,
                            FakeReply::json(503, {{"error", {{"message", "overloaded"}}}}),
                            FakeReply::json(200, OpenAiFakeServer::imagesReply(1, 32, 32))});
    const auto ids = f.enqueue("patient");
    const RunSummary summary = f.run();
    CHECK(summary.succeeded == 1);
    CHECK(f.server.count("/v1/images/generations") == 7);
    const Job job = f.job(ids[0]);
    CHECK(job.state == JobState::Succeeded);
    CHECK(job.attempts == 2); // the 503 and the success
}

TEST_CASE("A 429 that says the account is out of credit fails at once, with no retry",
          "[jobs][faults][hold]") {
    QueueFixture f;
    f.server.reply("POST", "/v1/images/generations",
                   FakeReply::json(429, {{"error",
                                          {{"message", "You exceeded your current quota"},
                                           {"type", "insufficient_quota"},
                                           {"code", "insufficient_quota"}}}}));
    const auto ids = f.enqueue("no credit");
    const RunSummary summary = f.run();
    CHECK(summary.failed == 1);
    CHECK(f.server.count("/v1/images/generations") == 1);
    CHECK_THAT(f.job(ids[0]).error, Catch::Contains("add credit"));
}

TEST_CASE("A 429 with Retry-After holds every submission to that provider, first ones too",
          "[jobs][faults][hold]") {
    QueueFixture f(ProviderLimits{1, 600});
    f.server.replySequence("POST", "/v1/images/generations",
                           {FakeReply::rateLimited("1", {{"error", {{"message", "slow down"}}}}),
                            FakeReply::json(200, OpenAiFakeServer::imagesReply(1, 32, 32)),
                            FakeReply::json(200, OpenAiFakeServer::imagesReply(1, 32, 32)),
                            FakeReply::json(200, OpenAiFakeServer::imagesReply(1, 32, 32))});
    f.enqueue("held", 3);
    const RunSummary summary = f.run();
    CHECK(summary.succeeded == 3);
    const auto requests = f.server.requestsTo("/v1/images/generations");
    REQUIRE(requests.size() == 4);
    // The two jobs never sent before waited out the Retry-After their neighbour was given.
    for (std::size_t i = 1; i < requests.size(); ++i) {
        CHECK(requests[i].receivedAt - requests[0].receivedAt >= std::chrono::milliseconds(1000));
    }
}

TEST_CASE("A 429's hold is kept in the catalog until the provider takes a submission again",
          "[jobs][faults][hold]") {
    QueueFixture f(ProviderLimits{1, 600});
    f.server.replySequence("POST", "/v1/images/generations",
                           {FakeReply::rateLimited("1", {{"error", {{"message", "slow down"}}}}),
                            FakeReply::json(200, OpenAiFakeServer::imagesReply(1, 32, 32))});
    const auto ids = f.enqueue("held", 2);
    JobRunner runner(f.library->root(), f.registry, f.credentials, f.prices, f.http,
                     QueueFixture::fastRetries());
    // The first refusal's record, read while the hold runs (from another connection, as
    // `ripen-cli queue` would); checked on the test's thread.
    std::vector<ProviderHold> recorded;
    bool read = false;
    runner.subscribe([&](const JobEvent& event) {
        if (event.state == JobState::Queued && !std::exchange(read, true)) {
            if (auto library = Library::open(f.library->root())) {
                recorded = ProviderHolds(**library)
                               .active(unixMillis(), std::chrono::hours(1))
                               .value_or(std::vector<ProviderHold>{});
            }
        }
    });
    const auto summary = runner.runUntilIdle({});
    REQUIRE(summary);
    CHECK(summary->succeeded == 2);
    REQUIRE(recorded.size() == 1);
    CHECK(recorded[0].provider == "openai");
    CHECK(recorded[0].recovering);
    CHECK_THAT(recorded[0].reason, Catch::Contains("HTTP 429") && Catch::Contains("slow down"));
    CHECK(recorded[0].untilMs - recorded[0].updatedAtMs == 1000);
    CHECK(*f.library->catalog().database().queryInt64("SELECT count(*) FROM provider_holds") == 0);
}

TEST_CASE("A rate-limit hold read back at start-up is honoured, bounded, and ignored once "
          "passed",
          "[jobs][faults][hold]") {
    QueueFixture f(ProviderLimits{1, 600});
    f.server.reply("POST", "/v1/images/generations",
                   FakeReply::json(200, OpenAiFakeServer::imagesReply(1, 32, 32)));
    f.enqueue("after the hold");
    auto settings = QueueFixture::fastRetries();
    settings.retry.retryAfterCeiling = std::chrono::milliseconds(1500);
    ProviderHolds holds(*f.library);
    const std::int64_t now = unixMillis();

    SECTION("one that has passed") {
        REQUIRE(holds.refused({"openai", now - 1000, true, "HTTP 429", now - 4000},
                              std::chrono::hours(1)));
        CHECK(holds.active(now, std::chrono::hours(1))->empty());
        CHECK(f.run(settings).succeeded == 1);
        CHECK(f.server.count("/v1/images/generations") == 1);
    }
    SECTION("one ten days away (a clock set back, a hostile Retry-After): the ceiling") {
        // As a runner of an older build or a clock far ahead could have left it.
        REQUIRE(f.library->catalog().database().exec(
            "INSERT INTO provider_holds(provider, held_until, reason, updated_at) VALUES "
            "('openai', " +
            std::to_string(now + 10LL * 86'400'000) + ", 'HTTP 429', " + std::to_string(now) +
            ")"));
        const auto active = holds.active(now, std::chrono::milliseconds(1500));
        REQUIRE(active->size() == 1);
        CHECK(active->front().untilMs == now + 1500);
        const auto started = std::chrono::steady_clock::now();
        JobRunner runner(f.library->root(), f.registry, f.credentials, f.prices, f.http, settings);
        // Were the hold not bounded, the job would wait ten days; the watchdog ends the run.
        std::stop_source watchdog;
        std::jthread timer([&watchdog](std::stop_token done) {
            std::mutex m;
            std::condition_variable_any cv;
            std::unique_lock lock(m);
            cv.wait_for(lock, done, std::chrono::seconds(60), [] { return false; });
            watchdog.request_stop();
        });
        const auto summary = runner.runUntilIdle(watchdog.get_token());
        timer.request_stop();
        REQUIRE(summary);
        CHECK(summary->succeeded == 1);
        const auto requests = f.server.requestsTo("/v1/images/generations");
        REQUIRE(requests.size() == 1);
        CHECK(requests[0].receivedAt - started >= std::chrono::milliseconds(1500));
    }
    // Passed holds are forgotten at start-up, held ones once the provider takes a request
    // after their (bounded) time.
    CHECK(*f.library->catalog().database().queryInt64("SELECT count(*) FROM provider_holds") == 0);
}

TEST_CASE("A later refusal never shortens a provider's recorded hold, within the ceiling",
          "[jobs][hold]") {
    TempDir dir;
    auto library = Library::open(dir / "library");
    REQUIRE(library);
    ProviderHolds holds(**library);
    const auto ceiling = std::chrono::milliseconds(60'000);
    REQUIRE(holds.refused({"openai", 50'000, true, "HTTP 429: first", 10'000}, ceiling));
    REQUIRE(holds.refused({"openai", 30'000, true, "HTTP 429: second", 20'000}, ceiling));
    auto active = holds.active(25'000, ceiling);
    REQUIRE(active->size() == 1);
    CHECK(active->front().untilMs == 50'000);
    CHECK(active->front().reason == "HTTP 429: second");
    // A hostile Retry-After is cut to the ceiling when written...
    REQUIRE(holds.refused({"gemini", 9'000'000'000, true, "HTTP 429", 20'000}, ceiling));
    CHECK(holds.active(25'000, std::chrono::hours(24'000))->front().untilMs == 80'000);
    // ...and an earlier time beyond it does not survive the next refusal.
    REQUIRE((*library)->catalog().database().exec(
        "UPDATE provider_holds SET held_until = 9000000000 WHERE provider = 'openai'"));
    REQUIRE(holds.refused({"openai", 40'000, true, "HTTP 429", 30'000}, ceiling));
    CHECK(holds.active(30'000, std::chrono::hours(24'000))->back().untilMs == 90'000);
    // Taking a submission ends the recovery; a hold still running keeps its time, an ended
    // one goes.
    REQUIRE(holds.accepted("openai", true));
    active = holds.active(35'000, ceiling);
    REQUIRE(active->size() == 2);
    CHECK(active->front().recovering); // gemini
    CHECK_FALSE(active->back().recovering);
    REQUIRE(holds.accepted("openai", false));
    // A start tidies up: passed holds go, one beyond the ceiling is brought back to it.
    REQUIRE(holds.refused({"kling", 200'000, true, "HTTP 429", 85'000}, std::chrono::hours(1)));
    REQUIRE(holds.tidy(85'000, ceiling));
    CHECK(*(*library)->catalog().database().queryInt64(
              "SELECT held_until FROM provider_holds WHERE provider = 'kling'") == 145'000);
    REQUIRE(holds.tidy(150'000, ceiling));
    CHECK(*(*library)->catalog().database().queryInt64("SELECT count(*) FROM provider_holds") == 0);
}

TEST_CASE("Server errors are retried with backoff, then the job fails with no charge",
          "[jobs][faults]") {
    QueueFixture f;
    f.server.reply("POST", "/v1/images/generations",
                   FakeReply::json(503, {{"error", {{"message", "overloaded"}}}}));
    const auto ids = f.enqueue("never works");
    const RunSummary summary = f.run();
    CHECK(summary.failed == 1);
    CHECK(f.server.count("/v1/images/generations") == 3); // maxAttempts
    const Job job = f.job(ids[0]);
    CHECK(job.state == JobState::Failed);
    CHECK_THAT(job.error, Catch::Contains("gave up after 3 attempts"));
    CHECK(f.ledgerSum("charge") == 0);
    CHECK(*Ledger(f.library->catalog().database()).totalReservedUsd() == 0);
}

TEST_CASE("A safety block fails at once with the provider's words", "[jobs][faults]") {
    QueueFixture f;
    f.server.reply("POST", "/v1/images/generations", OpenAiFakeServer::moderationBlocked());
    const auto ids = f.enqueue("something the filter refuses");
    f.run();
    const Job job = f.job(ids[0]);
    CHECK(job.state == JobState::Failed);
    CHECK_THAT(job.error, Catch::StartsWith("blocked by"));
    CHECK(f.server.count("/v1/images/generations") == 1);
}

namespace {

// An OpenAI reply whose JSON and base64 are whole but whose image is `png`.
nlohmann::json replyCarrying(const std::string& png) {
    auto body = OpenAiFakeServer::imagesReply(1, 16, 16);
    body["data"][0]["b64_json"] = providers::encodeBase64(png);
    return body;
}

} // namespace

TEST_CASE("A result image cut short or damaged fails its job, names the reply and becomes no "
          "asset",
          "[jobs][faults]") {
    QueueFixture f;
    const std::string png = encodeTestImage(makeTestImage(96, 96, 3), ".png");
    std::string damaged;
    SECTION("cut before its end") {
        damaged = png.substr(0, png.size() * 2 / 3);
    }
    SECTION("one byte changed inside the image data") {
        damaged = png;
        damaged[damaged.size() / 2] = static_cast<char>(damaged[damaged.size() / 2] ^ 0x5a);
    }
    f.server.reply("POST", "/v1/images/generations", FakeReply::json(200, replyCarrying(damaged)));
    const auto ids = f.enqueue("a result that arrives damaged");
    f.run();
    const Job job = f.job(ids[0]);
    CHECK(job.state == JobState::Failed);
    CHECK_THAT(job.error, Catch::Contains("OpenAI reply data[0]"));
    CHECK(job.assets.empty());
    CHECK(*f.library->catalog().database().queryInt64("SELECT count(*) FROM assets") == 0);
    CHECK(countFilesUnder(f.library->root() / "blobs") == 0);
    CHECK(countFilesUnder(f.library->root() / "thumbs") == 0);
    // A paid request is not sent again on its own.
    CHECK(f.server.count("/v1/images/generations") == 1);
}

TEST_CASE("A reply cut after the request was sent is never resent on its own", "[jobs][faults]") {
    QueueFixture f;
    f.server.replySequence("POST", "/v1/images/generations",
                           {FakeReply::cutBody("{\"data\": [", 100000),
                            FakeReply::json(200, OpenAiFakeServer::imagesReply(1, 32, 32))});
    const auto ids = f.enqueue("ambiguous");
    const RunSummary first = f.run();
    CHECK(first.interrupted == 1);
    CHECK(f.server.count("/v1/images/generations") == 1);
    Job job = f.job(ids[0]);
    CHECK(job.state == JobState::Interrupted);
    CHECK_THAT(job.error, Catch::Contains("charge unknown"));
    // The money stays reserved until the user decides.
    CHECK(*Ledger(f.library->catalog().database()).totalReservedUsd() == 42'000);

    // A second run does not touch it either.
    f.run();
    CHECK(f.server.count("/v1/images/generations") == 1);

    REQUIRE(JobStore(*f.library).retry(ids[0]));
    const RunSummary second = f.run();
    CHECK(second.succeeded == 1);
    CHECK(f.server.count("/v1/images/generations") == 2);
    CHECK(*Ledger(f.library->catalog().database()).totalReservedUsd() == 0);
}

TEST_CASE("A job left mid-submission by a crash waits for the user", "[jobs][recovery]") {
    QueueFixture f;
    const auto ids = f.enqueue("was on the wire");
    REQUIRE(f.library->catalog().database().exec(
        "UPDATE jobs SET state = 'submitting', attempts = 1, sent_at = 1 WHERE id = " +
        std::to_string(ids[0])));
    UniqueImageReplies replies(f.server);
    f.run();
    CHECK(replies.total() == 0);
    const Job job = f.job(ids[0]);
    CHECK(job.state == JobState::Interrupted);
    CHECK_THAT(job.error, Catch::Contains("may have charged"));
    REQUIRE(JobStore(*f.library).cancel(ids[0]));
    CHECK(f.job(ids[0]).state == JobState::Canceled);
    CHECK(*Ledger(f.library->catalog().database()).totalReservedUsd() == 0);
}

TEST_CASE("Cancelling a job in flight aborts its transfer within a second", "[jobs][cancel]") {
    QueueFixture f;
    f.server.reply("POST", "/v1/images/generations", FakeReply::stall(std::chrono::seconds(20)));
    const auto ids = f.enqueue("slow");
    std::jthread canceller([&] {
        f.server.waitForRequests(1, std::chrono::seconds(5));
        auto library = Library::open(f.dir / "library");
        REQUIRE(library);
        REQUIRE(JobStore(**library).cancel(ids[0]));
    });
    const auto started = std::chrono::steady_clock::now();
    const RunSummary summary = f.run();
    const auto took = std::chrono::steady_clock::now() - started;
    CHECK(summary.canceled == 1);
    CHECK(took < std::chrono::seconds(3));
    const Job job = f.job(ids[0]);
    CHECK(job.state == JobState::Canceled);
    CHECK_THAT(job.error, Catch::Contains("may still charge"));
}

TEST_CASE("The ledger cannot be edited, only appended to", "[jobs][ledger]") {
    QueueFixture f;
    f.enqueue("x");
    auto& db = f.library->catalog().database();
    auto update = db.exec("UPDATE ledger SET usd_micros = 0");
    REQUIRE_FALSE(update);
    CHECK_THAT(update.error().message, Catch::Contains("append-only"));
    CHECK_FALSE(db.exec("DELETE FROM ledger"));
}

TEST_CASE("A paused runner sends nothing new and leaves queued jobs queued", "[jobs]") {
    QueueFixture f;
    UniqueImageReplies replies(f.server);
    const auto ids = f.enqueue("later", 2);
    JobRunner runner(f.library->root(), f.registry, f.credentials, f.prices, f.http);
    runner.pause();
    REQUIRE(runner.runUntilIdle({}));
    CHECK(replies.total() == 0);
    CHECK(f.job(ids[0]).state == JobState::Queued);
    runner.resume();
    auto summary = runner.runUntilIdle({});
    REQUIRE(summary);
    CHECK(summary->succeeded == 2);
}

TEST_CASE("Higher priority is claimed first, then the oldest", "[jobs]") {
    QueueFixture f;
    const auto ids = f.enqueue("ordered", 3);
    JobStore store(*f.library);
    REQUIRE(store.setPriority(ids[2], 5));
    std::vector<JobId> order;
    for (int i = 0; i < 3; ++i) {
        auto claimed = store.claimNext({"openai"}, 1LL << 50);
        REQUIRE(claimed);
        REQUIRE(claimed->has_value());
        order.push_back((*claimed)->job.id);
    }
    CHECK(order == std::vector<JobId>{ids[2], ids[0], ids[1]});
}

TEST_CASE("A provider whose retries are held still gets first submissions; an unclaimed "
          "job keeps its attempts",
          "[jobs][retry]") {
    QueueFixture f;
    const auto ids = f.enqueue("paced", 2);
    JobStore store(*f.library);
    const std::int64_t now = 1LL << 50;
    auto first = store.claimNext({"openai"}, now);
    REQUIRE(first);
    REQUIRE(first->has_value());
    CHECK((*first)->job.attempts == 1);
    // Refused with 429: it waits as a retry.
    REQUIRE(store.retryLater(ids[0], 0, "Rate limit reached", false));

    // With openai's retry budget spent, the fresh job goes and the retry waits.
    auto next = store.claimNext({"openai"}, now, true, {"openai"});
    REQUIRE(next);
    REQUIRE(next->has_value());
    CHECK((*next)->job.id == ids[1]);
    auto none = store.claimNext({"openai"}, now, true, {"openai"});
    REQUIRE(none);
    CHECK_FALSE(none->has_value());

    // No free slot after all: the claim is given back without costing an attempt.
    REQUIRE(store.unclaim(ids[1], 0));
    CHECK(f.job(ids[1]).state == JobState::Queued);
    CHECK(f.job(ids[1]).attempts == 0);
    auto retry = store.claimNext({"openai"}, now);
    REQUIRE(retry);
    REQUIRE(retry->has_value());
    CHECK((*retry)->job.id == ids[0]);
    CHECK((*retry)->job.attempts == 2);
    CHECK((*retry)->job.error == "Rate limit reached");
}

TEST_CASE("A provider on hold gets no submission, first or retry; its results are still "
          "stored",
          "[jobs][retry][hold]") {
    QueueFixture f;
    const auto ids = f.enqueue("held", 2);
    JobStore store(*f.library);
    const std::int64_t now = 1LL << 50;
    auto first = store.claimNext({"openai"}, now);
    REQUIRE(first);
    REQUIRE(first->has_value());
    REQUIRE(store.rateLimited(ids[0], 0, "Rate limit reached",
                              {"openai", now + 1000, true, "HTTP 429", now},
                              std::chrono::hours(1)));
    CHECK(f.job(ids[0]).attempts == 0); // given back
    // The provider's hold is recorded with it.
    CHECK(ProviderHolds(*f.library).active(now, std::chrono::hours(1))->size() == 1);
    CHECK(f.job(ids[0]).state == JobState::Queued);
    REQUIRE(f.library->catalog().database().exec("UPDATE jobs SET state = 'storing' WHERE id = " +
                                                 std::to_string(ids[1])));

    auto onHold = store.claimNext({"openai"}, now, true, {}, {"openai"});
    REQUIRE(onHold);
    REQUIRE(onHold->has_value());
    CHECK((*onHold)->job.id == ids[1]);
    CHECK((*onHold)->step == JobStep::Store);
    auto none = store.claimNext({"openai"}, now, true, {}, {"openai"});
    REQUIRE(none);
    CHECK_FALSE(none->has_value());
    auto released = store.claimNext({"openai"}, now);
    REQUIRE(released);
    REQUIRE(released->has_value());
    CHECK((*released)->job.id == ids[0]);
    CHECK((*released)->job.attempts == 1);
}

TEST_CASE("Base URLs and limits chosen in settings win over the environment", "[jobs]") {
    ::setenv("RIPEN_OPENAI_BASE_URL", "http://127.0.0.1:1", 1);
    ProviderRegistry registry;
    registry.add(std::make_unique<OpenAiImagesProvider>(), {4, 50});
    CHECK(registry.endpoints("openai") == std::vector<std::string>{"http://127.0.0.1:1"});
    registry.setBaseUrls("openai", {"http://farm-a:8080/", "", "http://farm-b:8080"});
    CHECK(registry.endpoints("openai") ==
          std::vector<std::string>{"http://farm-a:8080", "http://farm-b:8080"});
    registry.setLimits("openai", {1, 5});
    CHECK(registry.limits("openai").concurrencyPerEndpoint == 1);
    CHECK(registry.limits("openai").requestsPerMinute == 5);
    registry.setBaseUrls("openai", {});
    CHECK(registry.endpoints("openai") == std::vector<std::string>{"http://127.0.0.1:1"});
    registry.setBaseUrls("unknown", {"http://x"}); // ignored
    CHECK(registry.endpoints("unknown").empty());
    ::unsetenv("RIPEN_OPENAI_BASE_URL");
}

TEST_CASE("A second runner on the same library leaves the first one's jobs alone", "[jobs][lock]") {
    QueueFixture f;
    const auto ids = f.enqueue("in flight elsewhere");
    JobStore store(*f.library);
    auto claimed = store.claimNext({"openai"}, 1LL << 50); // now "submitting", as if sending
    REQUIRE(claimed);
    REQUIRE(claimed->has_value());
    REQUIRE(store.markSent(ids[0]));
    {
        auto held = QueueLock::acquire(f.library->root()); // the other process's runner
        REQUIRE(held);
        JobRunner runner(f.library->root(), f.registry, f.credentials, f.prices, f.http,
                         QueueFixture::fastRetries());
        auto summary = runner.runUntilIdle({});
        REQUIRE_FALSE(summary);
        CHECK(summary.error().code == ErrorCode::Busy);
        CHECK(summary.error().message.find("pid " + std::to_string(::getpid())) !=
              std::string::npos);
        CHECK(store.job(ids[0])->state == JobState::Submitting); // not taken for a crash
        CHECK(f.server.totalCount() == 0);
    }
    // Once the holder is gone (a crash drops its flock too), recovery runs as before.
    auto summary = JobRunner(f.library->root(), f.registry, f.credentials, f.prices, f.http,
                             QueueFixture::fastRetries())
                       .runUntilIdle({});
    REQUIRE(summary);
    CHECK(store.job(ids[0])->state == JobState::Interrupted);
}

namespace {

// A job claimed by a runner that died, as the restart finds it: "submitting", and marked
// as sent when `sent` (its request may have reached the provider).
Job claimedBeforeCrash(QueueFixture& f, const std::string& prompt, bool sent) {
    const auto ids = f.enqueue(prompt);
    JobStore store(*f.library);
    auto claimed = store.claimNext({"openai"}, 1LL << 50);
    REQUIRE(claimed);
    REQUIRE(claimed->has_value());
    if (sent) {
        REQUIRE(store.markSent(ids[0]));
    }
    return f.job(ids[0]);
}

std::filesystem::path workDirOf(QueueFixture& f, const Job& job) {
    const auto dir = f.library->root() / "jobs" / job.key;
    std::filesystem::create_directories(dir);
    return dir;
}

Micros chargedUsd(QueueFixture& f) {
    return *Ledger(f.library->catalog().database()).totalChargedUsd();
}

} // namespace

TEST_CASE("A job claimed but never sent before a crash is sent once after the restart",
          "[jobs][recovery]") {
    QueueFixture f;
    UniqueImageReplies replies(f.server);
    const Job job = claimedBeforeCrash(f, "claimed, never sent", false);
    const RunSummary summary = f.run();
    CHECK(summary.interrupted == 0);
    CHECK(summary.succeeded == 1);
    CHECK(replies.total() == 1);
    const Job after = f.job(job.id);
    CHECK(after.state == JobState::Succeeded);
    CHECK(after.attempts == 1); // the claim that never left was given back
    CHECK(*f.library->catalog().database().queryInt64(
              "SELECT count(*) FROM ledger WHERE kind = 'charge'") == 1);
    CHECK(chargedUsd(f) == after.cost);
}

TEST_CASE("A request leaves only once its job is marked as sent", "[jobs][recovery]") {
    QueueFixture f;
    UniqueImageReplies replies(f.server);
    for (const char* prompt : {"marked first", "marked second", "marked third"}) {
        f.enqueue(prompt);
    }
    std::atomic<int> unmarked{0};
    replies.onExecuted([&](const RecordedRequest& request) {
        // The catalog as a restart at this moment would find it (on the server's thread:
        // no Catch2 assertions here).
        const auto prompt = nlohmann::json::parse(request.body).value("prompt", "");
        auto library = Library::open(f.library->root());
        auto sentAt = library ? (*library)->catalog().database().prepare(
                                    "SELECT sent_at FROM jobs WHERE "
                                    "json_extract(request_json, '$.prompt') = ?")
                              : fail(ErrorCode::Io, "the library did not open");
        auto row = sentAt ? sentAt->bind(1, prompt).step() : std::unexpected(sentAt.error());
        if (!row || !*row || sentAt->isNull(0)) {
            ++unmarked;
        }
    });
    CHECK(f.run().succeeded == 3);
    CHECK(replies.total() == 3);
    CHECK(unmarked == 0);
}

TEST_CASE("A request whose sent mark cannot be recorded never leaves", "[jobs][recovery]") {
    QueueFixture f;
    const auto ids = f.enqueue("cannot be marked");
    REQUIRE(f.library->catalog().database().exec(
        "CREATE TRIGGER refuse_mark BEFORE UPDATE OF sent_at ON jobs WHEN NEW.sent_at IS NOT "
        "NULL BEGIN SELECT RAISE(ABORT, 'the catalog refused the write'); END"));
    std::stop_source stop;
    std::jthread stopper([&] {
        std::this_thread::sleep_for(std::chrono::milliseconds(1500));
        stop.request_stop();
    });
    JobRunner runner(f.library->root(), f.registry, f.credentials, f.prices, f.http,
                     QueueFixture::fastRetries());
    REQUIRE(runner.runUntilIdle(stop.get_token()));
    CHECK(f.server.totalCount() == 0);
    const Job job = f.job(ids[0]);
    CHECK(job.state == JobState::Queued);
    CHECK(job.attempts == 0);
}

TEST_CASE("A sent mark is recorded once per submission, before its first request",
          "[jobs][recovery]") {
    FakeHttpServer server;
    server.reply("GET", "/a", FakeReply::json(200, nlohmann::json::object()));
    http::HttpClient client;
    http::Request request;
    request.url = server.baseUrl() + "/a";
    int marks = 0;
    {
        http::SendGate gate([&]() -> Status {
            CHECK(server.totalCount() == 0); // nothing reached the server before the mark
            ++marks;
            return {};
        });
        CHECK(client.perform(request));
        CHECK(client.perform(request));
        CHECK(gate.passed());
    }
    CHECK(marks == 1);
    CHECK(server.totalCount() == 2);
    {
        http::SendGate gate([] { return fail(ErrorCode::DiskFull, "disk full"); });
        auto refused = client.perform(request);
        REQUIRE_FALSE(refused);
        CHECK_FALSE(refused.error().requestSent);
        CHECK_THAT(refused.error().message, Catch::Contains("not sent"));
        CHECK(gate.refusal());
    }
    CHECK(server.totalCount() == 2);
}

TEST_CASE("A paid result renamed into the work folder before 'storing' was committed is "
          "saved after a restart, charged once",
          "[jobs][recovery]") {
    QueueFixture f;
    UniqueImageReplies replies(f.server);
    const Job job = claimedBeforeCrash(f, "result on disk", true);
    // As saveGeneratedImage leaves it: complete under its final name, no manifest yet.
    const std::string png = encodeTestImage(makeTestImage(48, 32, 7), ".png");
    writeBytes(workDirOf(f, job) / "generated-0123456789abcdef01234567.png", png);

    const RunSummary summary = f.run();
    CHECK(summary.interrupted == 0);
    CHECK(summary.succeeded == 1);
    CHECK(replies.total() == 0); // saved, not generated again
    const Job after = f.job(job.id);
    CHECK(after.state == JobState::Succeeded);
    REQUIRE(after.assets.size() == 1);
    CHECK(f.library->catalog().asset(after.assets[0])->sha256 == Sha256::ofBytes(png));
    CHECK(chargedUsd(f) == 42'000); // the estimate: the provider's usage was not kept
}

TEST_CASE("A result kept with its manifest is saved after a restart with the provider's usage",
          "[jobs][recovery]") {
    QueueFixture f;
    const Job job = claimedBeforeCrash(f, "manifest on disk", true);
    const auto dir = workDirOf(f, job);
    const auto file = dir / "generated-00000000abcd.png";
    writeBytes(file, encodeTestImage(makeTestImage(40, 40, 3), ".png"));
    const nlohmann::json result = {
        {"files", {{{"path", file.string()}, {"mime", "image/png"}}}},
        {"model_version", "gpt-image-1-2025"},
        {"usage", {{"unit", "USD"}, {"cost_micros", 51'000}, {"raw", nlohmann::json::object()}}},
        {"info", nlohmann::json::object()}};
    REQUIRE(ResultManifest::write(dir, result));

    CHECK(f.run().succeeded == 1);
    const Job after = f.job(job.id);
    CHECK(after.state == JobState::Succeeded);
    CHECK(after.cost == 51'000);
    CHECK(chargedUsd(f) == 51'000);
    REQUIRE(after.assets.size() == 1);
    CHECK(f.library->catalog().asset(after.assets[0])->generation.modelVersion ==
          "gpt-image-1-2025");
}

TEST_CASE("A result file in doubt leaves the job interrupted", "[jobs][recovery]") {
    QueueFixture f;
    UniqueImageReplies replies(f.server);
    const std::string png = encodeTestImage(makeTestImage(40, 40, 5), ".png");
    SECTION("its bytes differ from the manifest") {
        const Job job = claimedBeforeCrash(f, "manifest mismatch", true);
        const auto file = workDirOf(f, job) / "generated-aaaaaaaaaaaa.png";
        writeBytes(file, png);
        REQUIRE(ResultManifest::write(
            workDirOf(f, job), {{"files", {{{"path", file.string()}, {"mime", "image/png"}}}}}));
        writeBytes(file, png.substr(0, png.size() - 1) + "x");
    }
    SECTION("it is cut short") {
        const Job job = claimedBeforeCrash(f, "cut file", true);
        writeBytes(workDirOf(f, job) / "generated-bbbbbbbbbbbbbbbbbbbbbbbb.png",
                   png.substr(0, png.size() / 2));
    }
    SECTION("it is older than the request") {
        const Job job = claimedBeforeCrash(f, "earlier attempt", true);
        const auto file = workDirOf(f, job) / "generated-cccccccccccccccccccccccc.png";
        writeBytes(file, png);
        std::filesystem::last_write_time(file, std::filesystem::file_time_type::clock::now() -
                                                   std::chrono::minutes(5));
    }
    const RunSummary summary = f.run();
    CHECK(summary.succeeded == 0);
    CHECK(replies.total() == 0);
    const auto jobs = JobStore(*f.library).jobs();
    REQUIRE(jobs);
    REQUIRE(jobs->size() == 1);
    CHECK(jobs->front().state == JobState::Interrupted);
    CHECK(chargedUsd(f) == 0);
}

TEST_CASE("A paid result that meets a catalog held by another process is stored once it is "
          "free, charged once",
          "[jobs][recovery]") {
    QueueFixture f;
    UniqueImageReplies replies(f.server);
    const auto ids = f.enqueue("held catalog");
    // Another writer (the GUI, a CLI command) takes the catalog's write lock while the reply
    // is on its way, and keeps it past SQLite's 5 s busy timeout.
    std::jthread holder;
    std::promise<void> locked;
    auto lockedOnce = std::make_shared<std::once_flag>();
    replies.onExecuted([&](const RecordedRequest&) {
        std::call_once(*lockedOnce, [&] {
            holder = std::jthread([&] {
                auto& db = f.library->catalog().database();
                REQUIRE(db.exec("BEGIN IMMEDIATE"));
                locked.set_value();
                std::this_thread::sleep_for(std::chrono::seconds(7));
                REQUIRE(db.exec("COMMIT"));
            });
            locked.get_future().wait();
        });
    });

    const RunSummary summary = f.run();
    holder.join();
    CHECK(summary.succeeded == 1);
    CHECK(replies.total() == 1); // stored, not generated again
    const Job after = f.job(ids[0]);
    CHECK(after.state == JobState::Succeeded);
    CHECK(after.assets.size() == 1);
    CHECK(chargedUsd(f) == after.cost);
    CHECK(after.cost > 0);
}

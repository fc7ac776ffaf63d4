// RELIABILITY.md P2 (restart): a provider's Retry-After outlives the runner that heard it.
// A runner stopped (the user quits, `ripen-cli queue run` ends or crashes) during a 429
// storm leaves the provider's hold in the catalog; the next runner, started at once,
// sends nothing to that provider until the hold ends, first submissions included, and
// then every job runs once.
#include "catalog/Library.h"
#include "common/Clock.h"
#include "common/ResourceLocator.h"
#include "credits/PriceBook.h"
#include "jobs/JobRunner.h"
#include "jobs/ProviderHolds.h"
#include "providers/ProviderSupport.h"
#include "providers/openai/OpenAiImagesProvider.h"
#include "support/FakeHttpServer.h"
#include "support/OpenAiJobs.h"
#include "support/QueueInvariants.h"
#include "support/TempDir.h"
#include "support/TestCredentials.h"
#include "support/fakes/OpenAiFakeServer.h"

#include <catch2/catch.hpp>
#include <cstdlib>
#include <mutex>

using namespace ripen;
using namespace ripen::test;
using std::chrono::milliseconds;
using Clock = std::chrono::steady_clock;

namespace {

constexpr int kJobs = 6;
constexpr milliseconds kRetryAfter{3000};

// A loopback OpenAI whose first generation request is refused with `429, Retry-After: 3`
// and every later one executed. It keeps when each request arrived and, per prompt, how
// many it executed.
class StormThenCalm {
public:
    explicit StormThenCalm(FakeHttpServer& server) {
        server.on("POST", "/v1/images/generations",
                  [this](const RecordedRequest& request) { return answer(request); });
    }

    std::optional<Clock::time_point> refusedAt() const {
        std::lock_guard lock(m_mutex);
        return m_refusedAt;
    }
    std::vector<Clock::time_point> executedAt() const {
        std::lock_guard lock(m_mutex);
        return m_executedAt;
    }
    std::map<std::string, int> executions() const {
        std::lock_guard lock(m_mutex);
        return m_executions;
    }

private:
    FakeReply answer(const RecordedRequest& request) {
        const auto body = nlohmann::json::parse(request.body, nullptr, false);
        const std::string prompt = body.is_object() ? body.value("prompt", "") : "";
        std::lock_guard lock(m_mutex);
        if (!m_refusedAt) {
            m_refusedAt = request.receivedAt;
            return FakeReply::rateLimited(std::to_string(kRetryAfter.count() / 1000),
                                          {{"error", {{"message", "Rate limit reached"}}}});
        }
        m_executedAt.push_back(request.receivedAt);
        ++m_executions[prompt];
        return FakeReply::json(200, OpenAiFakeServer::imagesReply(1, 32, 24));
    }

    mutable std::mutex m_mutex;
    std::optional<Clock::time_point> m_refusedAt;
    std::vector<Clock::time_point> m_executedAt;
    std::map<std::string, int> m_executions;
};

struct RestartFixture {
    TempDir dir;
    FakeHttpServer server;
    StormThenCalm provider{server};
    ProviderRegistry registry;
    TestCredentials credentials{"OPENAI_API_KEY", OpenAiFakeServer::kApiKey};
    http::HttpClient http;
    PriceBook prices;
    JobRunner::Settings settings;

    RestartFixture() {
        ::setenv("RIPEN_OPENAI_BASE_URL", server.baseUrl().c_str(), 1);
        // One slot: the refused request is the only one on the wire when the runner stops.
        registry.add(std::make_unique<OpenAiImagesProvider>(OpenAiImagesSettings{}),
                     ProviderLimits{1, 600});
        auto loaded = PriceBook::load(resourceFile("pricebook.json"));
        REQUIRE(loaded);
        prices = std::move(*loaded);
        // The backoff's own jitter small, so that the refused job is due soon after the
        // hold: what keeps the others back must be the provider's hold.
        settings.retry.base = milliseconds(20);
        settings.retry.cap = milliseconds(100);
        enqueueOpenAiJobs(dir / "library", numberedPrompts("held job", kJobs));
    }
    ~RestartFixture() { ::unsetenv("RIPEN_OPENAI_BASE_URL"); }

    // A runner that stops as soon as its first submission has been refused, as a user
    // quitting during the storm would.
    RunSummary runUntilRefused() {
        JobRunner runner(dir / "library", registry, credentials, prices, http, settings);
        std::stop_source stop;
        runner.subscribe([&stop](const JobEvent& event) {
            if (event.state == JobState::Queued && event.message.contains("rate limited")) {
                stop.request_stop();
            }
        });
        auto summary = runner.runUntilIdle(stop.get_token());
        REQUIRE(summary);
        return *summary;
    }

    RunSummary runToTheEnd() {
        JobRunner runner(dir / "library", registry, credentials, prices, http, settings);
        auto summary = runner.runUntilIdle({});
        REQUIRE(summary);
        return *summary;
    }
};

} // namespace

TEST_CASE("a runner started right after one stopped in a 429 storm sends nothing to the "
          "provider until its Retry-After has passed",
          "[faults][storm][hold][restart]") {
    RestartFixture f;
    const RunSummary first = f.runUntilRefused();
    CHECK(first.succeeded == 0);
    REQUIRE(f.provider.refusedAt());
    CHECK(f.provider.executedAt().empty());

    // The hold is on record, as `ripen-cli queue` shows it.
    {
        auto library = Library::open(f.dir / "library");
        REQUIRE(library);
        auto holds = ProviderHolds(**library).active(unixMillis(), milliseconds(3'600'000));
        REQUIRE(holds);
        REQUIRE(holds->size() == 1);
        CHECK(holds->front().provider == "openai");
        CHECK_THAT(holds->front().reason, Catch::Contains("429"));
    }

    const auto restarted = Clock::now();
    const RunSummary second = f.runToTheEnd();
    const auto executed = f.provider.executedAt();
    REQUIRE_FALSE(executed.empty());
    const auto firstAfterRefusal = *std::ranges::min_element(executed) - *f.provider.refusedAt();
    WARN("P2 restart: restarted "
         << std::chrono::duration<double>(restarted - *f.provider.refusedAt()).count()
         << " s after the 429 (Retry-After " << kRetryAfter.count() / 1000
         << " s); first request after it "
         << std::chrono::duration<double>(firstAfterRefusal).count() << " s after it; "
         << second.succeeded << " of " << kJobs << " succeeded in "
         << std::chrono::duration<double>(Clock::now() - restarted).count() << " s");
    // Nothing, not even the jobs never sent before, left before the Retry-After had passed.
    for (const auto at : executed) {
        CHECK(at - *f.provider.refusedAt() >= kRetryAfter);
    }
    CHECK(second.succeeded == kJobs);
    CHECK(second.failed == 0);
    CHECK(second.interrupted == 0);
    const auto executions = f.provider.executions();
    CHECK(static_cast<int>(executions.size()) == kJobs);
    const QueueCensus census = checkQueueInvariants(f.dir / "library", executions, kJobs);
    CHECK(census.succeeded == kJobs);
    // The provider took submissions again: its hold is gone from the record.
    auto library = Library::open(f.dir / "library");
    REQUIRE(library);
    CHECK(*(*library)->catalog().database().queryInt64("SELECT count(*) FROM provider_holds") == 0);
}

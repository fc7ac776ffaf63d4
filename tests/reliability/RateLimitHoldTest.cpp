// RELIABILITY.md P2 at scale: a 429 storm across 500 queued jobs. A rate limit is the
// provider's state, not the job's: once the provider says Retry-After, the whole provider
// waits (not each job sending its own request into the storm as a slot frees up), and a
// job refused with 429 more often than its maxAttempts still succeeds (a 429 means the
// request was not executed, so retrying it never pays twice).
#include "common/ResourceLocator.h"
#include "credits/PriceBook.h"
#include "jobs/JobRunner.h"
#include "providers/ProviderSupport.h"
#include "providers/openai/OpenAiImagesProvider.h"
#include "support/FakeHttpServer.h"
#include "support/OpenAiJobs.h"
#include "support/QueueInvariants.h"
#include "support/TempDir.h"
#include "support/TestCredentials.h"
#include "support/TestImages.h"
#include "support/fakes/OpenAiFakeServer.h"

#include <catch2/catch.hpp>
#include <cstdlib>
#include <mutex>

using namespace ripen;
using namespace ripen::test;
using std::chrono::milliseconds;
using Clock = std::chrono::steady_clock;

namespace {

constexpr int kConcurrency = 8;
constexpr milliseconds kStorm{3000};
constexpr milliseconds kRetryAfter{1000};
// Jobs the provider refuses with `Retry-After: 0` this many times, storm or not: more
// than the shipped maxAttempts (5).
constexpr int kStubbornJobs = 4;
constexpr int kStubbornRefusals = 6;

int queuedJobs() {
    const char* jobs = std::getenv("RIPEN_RELIABILITY_STORM_JOBS");
    return jobs != nullptr ? std::max(10, std::atoi(jobs)) : 500;
}

enum class Answer { StormRefusal, StubbornRefusal, Image };

// A loopback OpenAI that refuses everything with `429, Retry-After: 1` for kStorm from the
// first request, and the stubborn jobs with `429, Retry-After: 0` for their first
// kStubbornRefusals requests. It keeps what it answered, per job (the prompt names it).
class RateLimitingServer {
public:
    explicit RateLimitingServer(FakeHttpServer& server) {
        server.on("POST", "/v1/images/generations",
                  [this](const RecordedRequest& request) { return answer(request); });
    }

    std::map<std::string, std::vector<Answer>> answers() const {
        std::lock_guard lock(m_mutex);
        return m_answers;
    }
    // Requests that arrived while the storm lasted.
    int stormRequests() const {
        std::lock_guard lock(m_mutex);
        return m_stormRequests;
    }

private:
    FakeReply answer(const RecordedRequest& request) {
        const auto body = nlohmann::json::parse(request.body, nullptr, false);
        const std::string prompt = body.is_object() ? body.value("prompt", "") : "";
        std::lock_guard lock(m_mutex);
        if (!m_started) {
            m_started = true;
            m_stormStarts = request.receivedAt;
        }
        auto& answers = m_answers[prompt];
        const bool storm = request.receivedAt < m_stormStarts + kStorm;
        m_stormRequests += storm ? 1 : 0;
        const auto refusedBefore = std::ranges::count(answers, Answer::StubbornRefusal);
        if (prompt.starts_with("stubborn") && refusedBefore < kStubbornRefusals) {
            answers.push_back(Answer::StubbornRefusal);
            return FakeReply::rateLimited("0", {{"error", {{"message", "Rate limit reached"}}}});
        }
        if (storm) {
            answers.push_back(Answer::StormRefusal);
            return FakeReply::rateLimited("1", {{"error", {{"message", "Rate limit reached"}}}});
        }
        answers.push_back(Answer::Image);
        const std::string png = encodeTestImage(
            makeTestImage(32, 24, static_cast<int>(m_answers.size() * 7 + answers.size())), ".png");
        return FakeReply::json(200, {{"created", 1764000000},
                                     {"data", {{{"b64_json", providers::encodeBase64(png)}}}},
                                     {"usage", {{"output_tokens", 272}}}});
    }

    mutable std::mutex m_mutex;
    bool m_started = false;
    Clock::time_point m_stormStarts;
    int m_stormRequests = 0;
    std::map<std::string, std::vector<Answer>> m_answers;
};

} // namespace

TEST_CASE("a 429 storm over 500 queued jobs holds the provider as a whole, and 429s never "
          "use up a job's attempts",
          "[faults][storm][hold]") {
    const int jobs = queuedJobs();
    TempDir dir;
    FakeHttpServer server;
    RateLimitingServer provider(server);
    ::setenv("RIPEN_OPENAI_BASE_URL", server.baseUrl().c_str(), 1);
    ProviderRegistry registry;
    registry.add(std::make_unique<OpenAiImagesProvider>(OpenAiImagesSettings{}),
                 ProviderLimits{kConcurrency, 100'000});
    TestCredentials credentials{"OPENAI_API_KEY", OpenAiFakeServer::kApiKey};
    http::HttpClient http;
    auto prices = PriceBook::load(resourceFile("pricebook.json"));
    REQUIRE(prices);
    auto prompts = numberedPrompts("stubborn job", kStubbornJobs);
    for (const std::string& prompt : numberedPrompts("queued job", jobs)) {
        prompts.push_back(prompt);
    }
    enqueueOpenAiJobs(dir / "library", prompts);

    // The shipped policy, not a test-tuned one.
    const JobRunner::Settings settings;
    JobRunner runner(dir / "library", registry, credentials, *prices, http, settings);
    const auto started = Clock::now();
    const auto summary = runner.runUntilIdle({});
    REQUIRE(summary);
    const auto seconds = std::chrono::duration<double>(Clock::now() - started).count();

    const auto answers = provider.answers();
    std::map<std::string, int> executions;
    int stormRefusals = 0;
    int mostSends = 0;
    for (const auto& [prompt, answered] : answers) {
        executions[prompt] = static_cast<int>(std::ranges::count(answered, Answer::Image));
        stormRefusals += static_cast<int>(std::ranges::count(answered, Answer::StormRefusal));
        mostSends = std::max(mostSends, static_cast<int>(answered.size()));
        if (prompt.starts_with("stubborn")) {
            // Refused more often than maxAttempts (storm 429s may come on top), then
            // executed once.
            CHECK(std::ranges::count(answered, Answer::StubbornRefusal) == kStubbornRefusals);
            CHECK(answered.size() > static_cast<std::size_t>(settings.retry.maxAttempts));
            CHECK(answered.back() == Answer::Image);
        }
    }
    WARN("P2 hold: " << jobs + kStubbornJobs << " jobs in " << seconds << " s; "
                     << provider.stormRequests() << " requests and " << stormRefusals
                     << " storm 429s while the " << kStorm.count() << " ms storm lasted; "
                     << "most sends of one job " << mostSends << "; " << summary->succeeded
                     << " succeeded, " << summary->failed << " failed");

    CHECK(static_cast<int>(answers.size()) == jobs + kStubbornJobs);
    CHECK(summary->succeeded == jobs + kStubbornJobs);
    CHECK(summary->failed == 0);
    CHECK(summary->interrupted == 0);
    // Held as a whole: each Retry-After lets through at most the requests already on the
    // wire (the provider's slots) and, once it has passed, one slot-full more; so the
    // storm sees about one concurrency's worth per Retry-After, plus one for the start
    // and one for the end. Jobs retrying on their own would refuse a slot-full every few
    // milliseconds: hundreds over three seconds.
    const int windows = static_cast<int>(kStorm / kRetryAfter) + 2;
    CHECK(stormRefusals <= kConcurrency * windows);
    const QueueCensus census =
        checkQueueInvariants(dir / "library", executions, jobs + kStubbornJobs);
    CHECK(census.succeeded == jobs + kStubbornJobs);
    ::unsetenv("RIPEN_OPENAI_BASE_URL");
}

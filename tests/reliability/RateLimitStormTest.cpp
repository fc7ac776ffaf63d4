// RELIABILITY.md P2: a 429 storm. Every generation request of a batch is refused with 429
// for a while (half of the jobs are told Retry-After: 1, the other half get no header), then
// the server recovers. The queue's shipped retry policy must spread the retries (no
// thundering herd when the storm ends), wait at least what Retry-After says, stay within
// the retry cap (429s are not counted: see RateLimitHoldTest), and never resend a paid request
// whose reply was cut after the server ran it.
#include "common/ResourceLocator.h"
#include "credits/PriceBook.h"
#include "jobs/JobRunner.h"
#include "providers/ProviderSupport.h"
#include "providers/openai/OpenAiImagesProvider.h"
#include "support/BusiestWindow.h"
#include "support/FakeHttpServer.h"
#include "support/OpenAiJobs.h"
#include "support/QueueInvariants.h"
#include "support/TempDir.h"
#include "support/TestCredentials.h"
#include "support/TestImages.h"
#include "support/fakes/OpenAiFakeServer.h"

#include <algorithm>
#include <catch2/catch.hpp>
#include <cstdlib>
#include <mutex>

using namespace ripen;
using namespace ripen::test;
using std::chrono::milliseconds;
using Clock = std::chrono::steady_clock;

namespace {

constexpr int kStormJobs = 40;    // all in flight at once: the herd a storm can make
constexpr int kAmbiguousJobs = 4; // 429 first, then a reply cut after the server ran them
constexpr milliseconds kStorm{3000};
constexpr milliseconds kRetryAfter{1000};
// An overloaded gateway answers in waves: a 429 leaves at the next whole second of the
// storm, so the clients all hear it at once and only their own jitter can spread them.
constexpr milliseconds kWave{1000};

// What the fake answered to one request.
enum class Answer { RateLimitedWithHeader, RateLimitedBare, Cut, Image };

struct Sent {
    Clock::time_point at;
    Answer answer;
};

// A loopback OpenAI whose storm starts with the first request: it refuses everything with
// 429 for kStorm, and keeps the answers it gave, per job (the prompt names the job).
class StormServer {
public:
    explicit StormServer(FakeHttpServer& server) {
        server.on("POST", "/v1/images/generations",
                  [this](const RecordedRequest& request) { return answer(request); });
    }

    std::map<std::string, std::vector<Sent>> log() const {
        std::lock_guard lock(m_mutex);
        return m_log;
    }

private:
    FakeReply answer(const RecordedRequest& request) {
        const auto body = nlohmann::json::parse(request.body, nullptr, false);
        const std::string prompt = body.is_object() ? body.value("prompt", "") : "";
        std::lock_guard lock(m_mutex);
        if (m_log.empty()) {
            m_stormStarts = request.receivedAt;
        }
        auto& sent = m_log[prompt];
        const bool ambiguous = prompt.starts_with("ambiguous");
        Answer what = Answer::Image;
        if (ambiguous && sent.size() == 1) {
            what = Answer::Cut;
        } else if (request.receivedAt < m_stormStarts + kStorm || (ambiguous && sent.empty())) {
            // Odd jobs are told when to come back, even ones are not.
            what = prompt.back() % 2 == 1 ? Answer::RateLimitedWithHeader : Answer::RateLimitedBare;
        }
        sent.push_back({request.receivedAt, what});
        const auto intoStorm =
            std::chrono::duration_cast<milliseconds>(request.receivedAt - m_stormStarts);
        const milliseconds untilWave = kWave - intoStorm % kWave;
        switch (what) {
        case Answer::RateLimitedWithHeader:
            return FakeReply::rateLimited("1", {{"error", {{"message", "Rate limit reached"}}}})
                .after(untilWave);
        case Answer::RateLimitedBare:
            return FakeReply::json(429, {{"error", {{"message", "Too many requests"}}}})
                .after(untilWave);
        case Answer::Cut:
            return FakeReply::cutBody("{\"created\": 1764000000, \"data\": [", 200000);
        case Answer::Image:
            break;
        }
        const std::string png = encodeTestImage(
            makeTestImage(48, 32, static_cast<int>(m_log.size() * 7 + sent.size())), ".png");
        return FakeReply::json(200, {{"created", 1764000000},
                                     {"data", {{{"b64_json", providers::encodeBase64(png)}}}},
                                     {"usage", {{"output_tokens", 1056}}}});
    }

    mutable std::mutex m_mutex;
    Clock::time_point m_stormStarts;
    std::map<std::string, std::vector<Sent>> m_log;
};

} // namespace

TEST_CASE("a 429 storm is retried spread out, after Retry-After, within the cap and without "
          "resending a paid request",
          "[faults][storm]") {
    TempDir dir;
    FakeHttpServer server;
    StormServer storm(server);
    ::setenv("RIPEN_OPENAI_BASE_URL", server.baseUrl().c_str(), 1);
    ProviderRegistry registry;
    // No provider cap below the batch size: every job is on the wire when the storm hits.
    registry.add(std::make_unique<OpenAiImagesProvider>(OpenAiImagesSettings{}),
                 ProviderLimits{kStormJobs + kAmbiguousJobs, 100'000});
    TestCredentials credentials{"OPENAI_API_KEY", OpenAiFakeServer::kApiKey};
    http::HttpClient http;
    auto prices = PriceBook::load(resourceFile("pricebook.json"));
    REQUIRE(prices);
    auto prompts = numberedPrompts("storm job", kStormJobs);
    for (const std::string& prompt : numberedPrompts("ambiguous job", kAmbiguousJobs)) {
        prompts.push_back(prompt);
    }
    enqueueOpenAiJobs(dir / "library", prompts);

    // The shipped policy, not a test-tuned one.
    const JobRunner::Settings settings;
    const int cap = settings.retry.maxAttempts;
    JobRunner runner(dir / "library", registry, credentials, *prices, http, settings);
    const auto summary = runner.runUntilIdle({});
    REQUIRE(summary);

    const auto log = storm.log();
    REQUIRE(log.size() == kStormJobs + kAmbiguousJobs);
    std::vector<Clock::time_point> retries;
    std::map<std::string, int> executions;
    int rateLimited = 0;
    int earlyAfterRetryAfter = 0;
    int overCap = 0;
    for (const auto& [prompt, sent] : log) {
        // 429s are not counted against the cap: nothing was executed.
        const auto counted = std::ranges::count_if(sent, [](const Sent& s) {
            return s.answer == Answer::Image || s.answer == Answer::Cut;
        });
        overCap += counted > cap ? 1 : 0;
        for (std::size_t i = 0; i < sent.size(); ++i) {
            const Answer answer = sent[i].answer;
            rateLimited +=
                answer == Answer::RateLimitedWithHeader || answer == Answer::RateLimitedBare ? 1
                                                                                             : 0;
            executions[prompt] += answer == Answer::Image || answer == Answer::Cut ? 1 : 0;
            if (i == 0) {
                continue;
            }
            retries.push_back(sent[i].at);
            if (sent[i - 1].answer == Answer::RateLimitedWithHeader &&
                sent[i].at - sent[i - 1].at < kRetryAfter) {
                ++earlyAfterRetryAfter;
            }
        }
        if (prompt.starts_with("ambiguous")) {
            // 429, then executed with the reply cut: never sent a third time.
            CHECK(sent.size() == 2);
            CHECK(sent.back().answer == Answer::Cut);
        }
    }
    REQUIRE_FALSE(retries.empty()); // at least the four cut jobs are always refused first
    const std::size_t busiest50 = busiestWindow(retries, milliseconds(50));
    const std::size_t busiest100 = busiestWindow(retries, milliseconds(100));
    const auto firstRetry = *std::min_element(retries.begin(), retries.end());
    const auto lastRetry = *std::max_element(retries.begin(), retries.end());
    WARN("P2 storm: " << kStormJobs + kAmbiguousJobs << " jobs, " << rateLimited << " 429s, "
                      << retries.size() << " retries over "
                      << std::chrono::duration_cast<milliseconds>(lastRetry - firstRetry).count()
                      << " ms; busiest 50 ms window " << busiest50 << ", busiest 100 ms window "
                      << busiest100 << "; " << summary->succeeded << " succeeded, "
                      << summary->failed << " failed (cap), " << summary->interrupted
                      << " interrupted");

    CHECK(earlyAfterRetryAfter == 0);
    CHECK(overCap == 0);
    // No herd. Jittered waits spread when retries fall due; the queue's retry token bucket
    // (RetryPacer) bounds how many leave together when the runner was held up meanwhile (a
    // slow commit on a busy machine): its burst plus its rate over the window. One more
    // for the wire's own jitter between release and arrival. A share of all retries (the
    // plan's "no 100 ms bucket over 10%") depends on how many retries a run happens to
    // make (about 50 to 95 here: on a busy machine the sent mark's write spreads the first
    // submissions, and late ones miss the storm), so it is reported above, not asserted. Without
    // the bucket CI saw 12 within 50 ms; a 10%-of-Retry-After jitter, the policy before that, put
    // 21-28% of them in 100 ms.
    const RetryPacer::Settings pacing = settings.retryPacing;
    const auto allowed = [&](milliseconds window) {
        return static_cast<std::size_t>(pacing.burst + pacing.perSecond * window.count() / 1000 +
                                        1);
    };
    CHECK(busiest50 <= allowed(milliseconds(50)));
    CHECK(busiest100 <= allowed(milliseconds(100)));
    CHECK(summary->interrupted == kAmbiguousJobs);
    CHECK(summary->succeeded + summary->failed == kStormJobs);
    // Every job the server ran is succeeded or waits for the user; nothing ran twice; one
    // charge per success; every asset complete.
    const QueueCensus census =
        checkQueueInvariants(dir / "library", executions, kStormJobs + kAmbiguousJobs);
    CHECK(census.interrupted == kAmbiguousJobs);
    ::unsetenv("RIPEN_OPENAI_BASE_URL");
}

// The queue's retry token bucket (RELIABILITY.md P2): however many retries fall due at
// once, a provider gets a small burst of them and then a steady pace, so a stall on our
// side (a slow commit, a busy machine) cannot turn into a herd on the provider's.
#include "jobs/RetryPacer.h"

#include "support/BusiestWindow.h"

#include <catch2/catch.hpp>

using namespace ripen;
using std::chrono::milliseconds;
using Clock = RetryPacer::Clock;

namespace {

// Every retry is due at `start`; each leaves as soon as the pacer lets it. Returns when.
std::vector<Clock::time_point> release(RetryPacer& pacer, int retries, Clock::time_point start) {
    std::vector<Clock::time_point> sent;
    Clock::time_point now = start;
    while (static_cast<int>(sent.size()) < retries) {
        if (pacer.held(now).contains("openai")) {
            const auto wait = pacer.untilNextToken(now);
            REQUIRE(wait > milliseconds(0));
            now += wait;
            continue;
        }
        pacer.take("openai", now);
        sent.push_back(now);
    }
    return sent;
}

} // namespace

TEST_CASE("forty retries due at the same moment leave a burst, then at a steady pace",
          "[jobs][retry]") {
    const RetryPacer::Settings settings; // the shipped ones
    RetryPacer pacer(settings);
    const Clock::time_point start = Clock::now();
    const auto sent = release(pacer, 40, start);

    CHECK(std::count(sent.begin(), sent.end(), start) == settings.burst);
    // After the burst, one per 1/perSecond: 36 more take 0.9 s at 40 a second.
    const auto span = std::chrono::duration_cast<milliseconds>(sent.back() - start);
    CHECK(span >= milliseconds(1000 * (40 - settings.burst) / settings.perSecond));
    CHECK(span <= milliseconds(1000 * (40 - settings.burst) / settings.perSecond + 40));
    // The herd is gone: at most the burst plus two in any 50 ms.
    CHECK(test::busiestWindow(sent, milliseconds(50)) <=
          static_cast<std::size_t>(settings.burst + 2));
}

TEST_CASE("the retry bucket fills again while nothing is retried, and only per provider",
          "[jobs][retry]") {
    RetryPacer pacer({2, 10});
    const Clock::time_point start = Clock::now();
    CHECK(pacer.held(start).empty()); // nothing retried yet: nothing held
    CHECK(pacer.untilNextToken(start) == milliseconds(0));
    pacer.take("openai", start);
    pacer.take("openai", start);
    CHECK(pacer.held(start) == std::set<std::string>{"openai"});
    CHECK(pacer.untilNextToken(start) == milliseconds(100));
    pacer.take("stability", start); // another provider's budget is its own
    CHECK_FALSE(pacer.held(start).contains("stability"));
    CHECK(pacer.held(start + milliseconds(100)).empty());
    // A quiet minute refills to the burst, not beyond it.
    const auto later = start + std::chrono::minutes(1);
    pacer.take("openai", later);
    pacer.take("openai", later);
    CHECK(pacer.held(later).contains("openai"));
}

TEST_CASE("retries that fell due during a provider's hold leave at the steady pace when it "
          "ends, with no burst",
          "[jobs][retry][hold]") {
    const RetryPacer::Settings settings;
    RetryPacer pacer(settings);
    const Clock::time_point start = Clock::now();
    pacer.take("openai", start); // the bucket exists, nearly full
    const Clock::time_point end = start + milliseconds(1000);
    pacer.holdUntil("openai", end, start);
    CHECK(pacer.held(start + milliseconds(500)).contains("openai"));
    CHECK(pacer.held(end).contains("openai"));
    // Nothing accrued while the hold lasted: from its end, one retry per 1/perSecond.
    const auto sent = release(pacer, 10, end);
    CHECK(sent.front() > end);
    CHECK(test::busiestWindow(sent, milliseconds(100)) <=
          static_cast<std::size_t>(settings.perSecond / 10 + 1));
}

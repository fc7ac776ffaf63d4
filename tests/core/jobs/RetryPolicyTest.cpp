// The queue's retry waits (RELIABILITY.md P2): full-jitter exponential backoff, and
// Retry-After as a floor whose waits still spread, so that a storm that tells every job
// the same thing at the same moment does not come back as a herd.
#include "jobs/RetryPolicy.h"

#include "support/BusiestWindow.h"

#include <catch2/catch.hpp>

using namespace ripen;
using std::chrono::milliseconds;

namespace {

constexpr int kDraws = 2000;

std::vector<milliseconds> draws(const RetryPolicy& policy, int attempts,
                                std::optional<milliseconds> retryAfter) {
    std::vector<milliseconds> waits;
    for (int i = 0; i < kDraws; ++i) {
        waits.push_back(policy.delay(attempts, retryAfter));
    }
    return waits;
}

} // namespace

TEST_CASE("jobs told the same Retry-After at once come back spread out, never early",
          "[jobs][retry]") {
    const RetryPolicy policy; // the shipped settings
    const auto waits = draws(policy, 1, milliseconds(1000));
    CHECK(*std::min_element(waits.begin(), waits.end()) >= milliseconds(1000));
    // At most one more Retry-After on top.
    CHECK(*std::max_element(waits.begin(), waits.end()) <= milliseconds(2000));
    // Spread over a second: about 5% in any 50 ms. A 10% jitter (100 ms) would put half
    // of the jobs in one 50 ms window.
    CHECK(test::busiestWindow(waits, milliseconds(50)) * 10 <= waits.size());

    // A long Retry-After keeps at least a tenth of itself as spread.
    const auto longWaits = draws(policy, 1, milliseconds(30'000));
    CHECK(*std::min_element(longWaits.begin(), longWaits.end()) >= milliseconds(30'000));
    CHECK(*std::max_element(longWaits.begin(), longWaits.end()) <= milliseconds(33'000));
    CHECK(test::busiestWindow(longWaits, milliseconds(50)) * 20 <= longWaits.size());
}

TEST_CASE("a 429 without Retry-After waits a full-jitter backoff within the cap", "[jobs][retry]") {
    const RetryPolicy policy(RetryPolicy::Settings{5, milliseconds(1000), milliseconds(60'000)});
    for (const int attempts : {1, 3, 7, 30}) {
        INFO("after " << attempts << " attempts");
        const auto waits = draws(policy, attempts, std::nullopt);
        const milliseconds ceiling =
            std::min(milliseconds(60'000), milliseconds(1000L << std::min(attempts - 1, 20)));
        CHECK(*std::max_element(waits.begin(), waits.end()) <= ceiling);
        CHECK(test::busiestWindow(waits, milliseconds(50)) * 10 <= waits.size());
    }
    CHECK_FALSE(policy.exhausted(4));
    CHECK(policy.exhausted(5));
}

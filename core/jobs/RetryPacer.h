#pragma once

#include <chrono>
#include <map>
#include <set>
#include <string>

namespace ripen {

// A token bucket per provider for resubmissions (RELIABILITY.md P2; the AWS Builders'
// Library "limit retries with a token bucket"). Jittered backoff spreads when retries
// fall due, but retries that became due while the runner could not dispatch (a slow
// catalog commit, a busy machine) would otherwise all leave the moment it can: the bucket
// lets `burst` of them go at once and the rest at `perSecond`. First submissions are not
// paced. Used from the runner's loop thread only.
class RetryPacer {
public:
    using Clock = std::chrono::steady_clock;

    struct Settings {
        int burst = 4;
        int perSecond = 40;
    };

    RetryPacer() = default;
    explicit RetryPacer(Settings settings) : m_settings(settings) {}

    // Providers whose retries must wait now: their bucket holds no whole token.
    std::set<std::string> held(Clock::time_point now);
    // A retry to `provider` leaves now; only for a provider not held.
    void take(const std::string& provider, Clock::time_point now);
    // `provider` is on hold (a Retry-After) until `until`: its bucket is empty then, so the
    // jobs that fell due meanwhile leave at `perSecond` from the hold's end, not in a burst.
    void holdUntil(const std::string& provider, Clock::time_point until, Clock::time_point now);
    // How long until the first held bucket has a token again (zero when none is held).
    std::chrono::milliseconds untilNextToken(Clock::time_point now);

private:
    struct Bucket {
        double tokens = 0;
        Clock::time_point filledAt{};
    };
    Bucket& refill(const std::string& provider, Clock::time_point now);

    Settings m_settings;
    std::map<std::string, Bucket> m_buckets;
};

} // namespace ripen

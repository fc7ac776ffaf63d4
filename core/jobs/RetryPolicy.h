#pragma once

#include <algorithm>
#include <chrono>
#include <optional>

namespace ripen {

// Truncated exponential backoff with full jitter (AWS "Exponential Backoff and Jitter"):
// wait a uniform random time in [0, min(cap, base * 2^attempt)], so that a 429 storm does
// not come back as a thundering herd. A server's Retry-After (or Gemini's RetryInfo) is a
// floor: we wait at least that long, plus a uniform jitter as wide as this attempt's
// backoff, bounded to [10%, 100%] of Retry-After, because a storm tells every client the
// same Retry-After at the same moment (RELIABILITY.md P2).
class RetryPolicy {
public:
    struct Settings {
        int maxAttempts = 5; // submissions of one job, the first included
        std::chrono::milliseconds base{1000};
        std::chrono::milliseconds cap{60'000};
        // The longest Retry-After honoured: a provider's (or a hostile server's) "come back
        // in a year" waits this long and asks again, as does a hold kept across restarts.
        std::chrono::milliseconds retryAfterCeiling{3'600'000};
    };

    RetryPolicy() = default;
    explicit RetryPolicy(Settings settings) : m_settings(settings) {}

    bool exhausted(int attemptsSoFar) const { return attemptsSoFar >= m_settings.maxAttempts; }
    std::chrono::milliseconds delay(int attemptsSoFar,
                                    std::optional<std::chrono::milliseconds> retryAfter) const;
    // `retryAfter` as honoured: at most retryAfterCeiling, never negative.
    std::chrono::milliseconds bounded(std::chrono::milliseconds retryAfter) const {
        return std::clamp(retryAfter, std::chrono::milliseconds(0), m_settings.retryAfterCeiling);
    }
    const Settings& settings() const { return m_settings; }

private:
    Settings m_settings;
};

} // namespace ripen

#pragma once

#include <chrono>
#include <map>
#include <mutex>
#include <optional>
#include <set>
#include <string>

namespace ripen {

// Providers that answered a submission with 429 (RELIABILITY.md P2). A rate limit is the
// provider's state, not the job's: a 429 with Retry-After holds every submission to that
// provider until then, first submissions included, not only the job that heard it (500
// queued jobs would otherwise each send one request into the storm as slots free up).
// Until the provider accepts a request again, it is "recovering": the runner paces all of
// its submissions through the retry token bucket, so the end of a hold is no herd either.
// This is the runner's working copy, on the steady clock; ProviderHolds keeps it in the
// catalog (on the wall clock), and a runner starts from it (restore). Thread-safe
// (workers report, the runner's loop asks).
class RateLimitHold {
public:
    using Clock = std::chrono::steady_clock;

    // `provider` refused a submission with 429; `retryAfter` when it said when to come back.
    void refused(const std::string& provider, Clock::time_point now,
                 std::optional<std::chrono::milliseconds> retryAfter);
    // `provider` took a submission (any answer but a 429): it is no longer recovering.
    // Returns whether it was (so that its record is updated only then).
    bool accepted(const std::string& provider);
    // A hold read back at start-up: held until `until` (never shortened), recovering as
    // it was when the previous runner stopped.
    void restore(const std::string& provider, Clock::time_point until, bool recovering);

    // Providers whose submissions must wait now (a Retry-After has not passed), each with
    // when its hold ends.
    std::map<std::string, Clock::time_point> held(Clock::time_point now) const;
    // Providers refused since they last took a submission.
    std::set<std::string> recovering() const;
    // How long until the first hold ends (zero when none is held).
    std::chrono::milliseconds untilReleased(Clock::time_point now) const;

private:
    struct State {
        Clock::time_point until{};
        bool recovering = false;
    };
    mutable std::mutex m_mutex;
    std::map<std::string, State> m_providers;
};

} // namespace ripen

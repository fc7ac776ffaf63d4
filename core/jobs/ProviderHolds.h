#pragma once

#include "catalog/Library.h"
#include "common/Error.h"

#include <chrono>
#include <cstdint>
#include <string>
#include <vector>

namespace ripen {

// A provider's rate-limit hold as the catalog keeps it (RELIABILITY.md P2).
struct ProviderHold {
    std::string provider;
    std::int64_t untilMs = 0; // wall clock (unixMillis, UTC); 0 when the 429 named no time
    bool recovering = true;   // refused since it last took a submission
    std::string reason;       // the refusal as the provider worded it ("HTTP 429: ...")
    std::int64_t updatedAtMs = 0;
};

// The rate-limit holds of a library's providers (table provider_holds), so that a runner
// started after a stop or a crash during a 429 storm waits out the provider's Retry-After
// instead of sending into the storm, and so that `ripen-cli queue` and the queue dock can
// say why nothing is sent. RateLimitHold is the runner's working copy; this is its record.
// The clock on disk is the wall clock: a hold read back is bounded by `ceiling` from now,
// so a clock set back or a hostile Retry-After cannot hold a provider for longer. Operates
// on the connection of the Library it is given (that Library's thread affinity); each
// call joins the caller's transaction when there is one.
class ProviderHolds {
public:
    explicit ProviderHolds(Library& library);

    // `hold.provider` refused a submission: it is recovering, and held until
    // `hold.untilMs` unless an earlier refusal named a later time (never shortened, but
    // such an earlier time counts for at most `ceiling` from hold.updatedAtMs).
    Status refused(const ProviderHold& hold, std::chrono::milliseconds ceiling);
    // The provider took a submission: it is no longer recovering, and its record goes,
    // unless its hold is still running as the runner sees it (`stillHeld`: a request sent
    // before the 429 was answered), which keeps its time.
    Status accepted(const std::string& provider, bool stillHeld);
    // The holds still running at `nowMs`, by provider, each ending at most `ceiling` later.
    Result<std::vector<ProviderHold>> active(std::int64_t nowMs, std::chrono::milliseconds ceiling);
    // Removes the holds that have passed at `nowMs` and brings those ending more than
    // `ceiling` later back to that (a runner's start: a time from a clock that ran ahead
    // holds once, not at every start until the clock catches up).
    Status tidy(std::int64_t nowMs, std::chrono::milliseconds ceiling);

private:
    sqlite::Database& m_db;
};

} // namespace ripen

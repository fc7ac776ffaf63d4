#pragma once

#include "providers/ProviderRegistry.h"

#include <chrono>
#include <deque>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

namespace ripen {

// In-memory admission control for the runner: per-endpoint concurrency, per-provider
// requests per minute, and a cooldown for an endpoint that stopped answering (a farm
// machine that went down), so jobs move on to the others. Thread-safe.
class EndpointPool {
public:
    using Clock = std::chrono::steady_clock;

    explicit EndpointPool(const ProviderRegistry& registry);

    // The least busy endpoint of `provider` with a free slot, taking the slot and a
    // request-per-minute token; nullopt when none is free now.
    std::optional<std::string> acquire(const std::string& provider);
    void release(const std::string& provider, const std::string& endpoint);
    // The endpoint failed to connect: skip it for `cooldown`.
    void coolDown(const std::string& provider, const std::string& endpoint,
                  std::chrono::milliseconds cooldown);
    bool hasCapacity(const std::string& provider);

private:
    struct Endpoint {
        std::string url;
        int busy = 0;
        Clock::time_point coolUntil{};
    };
    struct ProviderState {
        std::vector<Endpoint> endpoints;
        ProviderLimits limits;
        std::deque<Clock::time_point> recentRequests;
    };
    ProviderState* state(const std::string& provider);
    bool rateAllows(ProviderState& s, Clock::time_point now);

    std::mutex m_mutex;
    std::map<std::string, ProviderState> m_providers;
};

} // namespace ripen

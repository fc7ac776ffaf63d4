#include "jobs/RateLimitHold.h"

#include <algorithm>
#include <utility>

namespace ripen {

void RateLimitHold::refused(const std::string& provider, Clock::time_point now,
                            std::optional<std::chrono::milliseconds> retryAfter) {
    std::lock_guard lock(m_mutex);
    State& state = m_providers[provider];
    state.recovering = true;
    if (retryAfter && retryAfter->count() > 0) {
        // Replies to requests sent earlier may carry an earlier deadline: never shorten.
        state.until = std::max(state.until, now + *retryAfter);
    }
}

bool RateLimitHold::accepted(const std::string& provider) {
    std::lock_guard lock(m_mutex);
    if (auto it = m_providers.find(provider); it != m_providers.end()) {
        return std::exchange(it->second.recovering, false);
    }
    return false;
}

void RateLimitHold::restore(const std::string& provider, Clock::time_point until, bool recovering) {
    std::lock_guard lock(m_mutex);
    State& state = m_providers[provider];
    state.until = std::max(state.until, until);
    state.recovering = state.recovering || recovering;
}

std::map<std::string, RateLimitHold::Clock::time_point>
RateLimitHold::held(Clock::time_point now) const {
    std::lock_guard lock(m_mutex);
    std::map<std::string, Clock::time_point> providers;
    for (const auto& [provider, state] : m_providers) {
        if (state.until > now) {
            providers.emplace(provider, state.until);
        }
    }
    return providers;
}

std::set<std::string> RateLimitHold::recovering() const {
    std::lock_guard lock(m_mutex);
    std::set<std::string> providers;
    for (const auto& [provider, state] : m_providers) {
        if (state.recovering) {
            providers.insert(provider);
        }
    }
    return providers;
}

std::chrono::milliseconds RateLimitHold::untilReleased(Clock::time_point now) const {
    std::lock_guard lock(m_mutex);
    std::optional<Clock::duration> first;
    for (const auto& [provider, state] : m_providers) {
        if (state.until > now && (!first || state.until - now < *first)) {
            first = state.until - now;
        }
    }
    return first ? std::chrono::ceil<std::chrono::milliseconds>(*first)
                 : std::chrono::milliseconds(0);
}

} // namespace ripen

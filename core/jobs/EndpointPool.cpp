#include "jobs/EndpointPool.h"

namespace ripen {

EndpointPool::EndpointPool(const ProviderRegistry& registry) {
    for (const Provider* provider : registry.all()) {
        ProviderState s;
        s.limits = registry.limits(provider->id());
        for (const auto& url : registry.endpoints(provider->id())) {
            s.endpoints.push_back({url});
        }
        m_providers.emplace(provider->id(), std::move(s));
    }
}

EndpointPool::ProviderState* EndpointPool::state(const std::string& provider) {
    const auto it = m_providers.find(provider);
    return it == m_providers.end() ? nullptr : &it->second;
}

bool EndpointPool::rateAllows(ProviderState& s, Clock::time_point now) {
    while (!s.recentRequests.empty() && now - s.recentRequests.front() > std::chrono::minutes(1)) {
        s.recentRequests.pop_front();
    }
    return static_cast<int>(s.recentRequests.size()) < s.limits.requestsPerMinute;
}

bool EndpointPool::hasCapacity(const std::string& provider) {
    std::lock_guard lock(m_mutex);
    ProviderState* s = state(provider);
    if (s == nullptr || !rateAllows(*s, Clock::now())) {
        return false;
    }
    const auto now = Clock::now();
    for (const auto& e : s->endpoints) {
        if (e.coolUntil <= now && e.busy < s->limits.concurrencyPerEndpoint) {
            return true;
        }
    }
    return false;
}

std::optional<std::string> EndpointPool::acquire(const std::string& provider) {
    std::lock_guard lock(m_mutex);
    ProviderState* s = state(provider);
    const auto now = Clock::now();
    if (s == nullptr || !rateAllows(*s, now)) {
        return std::nullopt;
    }
    Endpoint* best = nullptr;
    for (auto& e : s->endpoints) {
        if (e.coolUntil <= now && e.busy < s->limits.concurrencyPerEndpoint &&
            (best == nullptr || e.busy < best->busy)) {
            best = &e;
        }
    }
    if (best == nullptr) {
        return std::nullopt;
    }
    ++best->busy;
    s->recentRequests.push_back(now);
    return best->url;
}

void EndpointPool::release(const std::string& provider, const std::string& endpoint) {
    std::lock_guard lock(m_mutex);
    if (ProviderState* s = state(provider)) {
        for (auto& e : s->endpoints) {
            if (e.url == endpoint && e.busy > 0) {
                --e.busy;
            }
        }
    }
}

void EndpointPool::coolDown(const std::string& provider, const std::string& endpoint,
                            std::chrono::milliseconds cooldown) {
    std::lock_guard lock(m_mutex);
    if (ProviderState* s = state(provider)) {
        for (auto& e : s->endpoints) {
            if (e.url == endpoint) {
                e.coolUntil = Clock::now() + cooldown;
            }
        }
    }
}

} // namespace ripen

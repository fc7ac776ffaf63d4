#include "jobs/RetryPacer.h"

#include <algorithm>
#include <cmath>

namespace ripen {

RetryPacer::Bucket& RetryPacer::refill(const std::string& provider, Clock::time_point now) {
    const auto [it, fresh] = m_buckets.try_emplace(provider);
    Bucket& bucket = it->second;
    if (fresh) {
        bucket = {static_cast<double>(m_settings.burst), now};
        return bucket;
    }
    if (now <= bucket.filledAt) {
        return bucket; // on hold (holdUntil): nothing accrues before its end
    }
    const double seconds = std::chrono::duration<double>(now - bucket.filledAt).count();
    bucket.tokens =
        std::min<double>(m_settings.burst, bucket.tokens + seconds * m_settings.perSecond);
    bucket.filledAt = now;
    return bucket;
}

std::set<std::string> RetryPacer::held(Clock::time_point now) {
    std::set<std::string> providers;
    for (auto& [provider, bucket] : m_buckets) {
        if (refill(provider, now).tokens < 1.0) {
            providers.insert(provider);
        }
    }
    return providers;
}

void RetryPacer::take(const std::string& provider, Clock::time_point now) {
    Bucket& bucket = refill(provider, now);
    bucket.tokens -= 1.0;
}

void RetryPacer::holdUntil(const std::string& provider, Clock::time_point until,
                           Clock::time_point now) {
    Bucket& bucket = refill(provider, now);
    bucket.tokens = std::min(bucket.tokens, 0.0);
    // refill() adds nothing for the time before filledAt.
    bucket.filledAt = std::max(bucket.filledAt, until);
}

std::chrono::milliseconds RetryPacer::untilNextToken(Clock::time_point now) {
    double missing = 0;
    for (auto& [provider, bucket] : m_buckets) {
        const double lacking = 1.0 - refill(provider, now).tokens;
        if (lacking > 0 && (missing == 0 || lacking < missing)) {
            missing = lacking;
        }
    }
    const double ms = std::ceil(missing * 1000.0 / std::max(1, m_settings.perSecond));
    return std::chrono::milliseconds(static_cast<long long>(ms));
}

} // namespace ripen

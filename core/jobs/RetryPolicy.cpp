#include "jobs/RetryPolicy.h"

#include <algorithm>
#include <random>

namespace ripen {

std::chrono::milliseconds RetryPolicy::delay(int attempts,
                                             std::optional<std::chrono::milliseconds> retryAfter) const {
    static thread_local std::mt19937_64 rng{std::random_device{}()};
    if (retryAfter) {
        std::uniform_int_distribution<long long> jitter(0, std::max<long long>(1, retryAfter->count() / 10));
        return *retryAfter + std::chrono::milliseconds(jitter(rng));
    }
    const int exponent = std::clamp(attempts - 1, 0, 20);
    const long long ceiling =
        std::min<long long>(m_settings.cap.count(), m_settings.base.count() << exponent);
    std::uniform_int_distribution<long long> uniform(0, std::max<long long>(0, ceiling));
    return std::chrono::milliseconds(uniform(rng));
}

} // namespace ripen

#include "jobs/RetryPolicy.h"

#include <algorithm>
#include <random>

namespace ripen {

std::chrono::milliseconds
RetryPolicy::delay(int attempts, std::optional<std::chrono::milliseconds> retryAfter) const {
    static thread_local std::mt19937_64 rng{std::random_device{}()};
    const int exponent = std::clamp(attempts - 1, 0, 20);
    const long long ceiling =
        std::min<long long>(m_settings.cap.count(), m_settings.base.count() << exponent);
    if (retryAfter) {
        // Everyone told "come back in 1 s" at once must not come back at once: spread them
        // over this attempt's backoff, at least a tenth and at most all of Retry-After.
        const std::chrono::milliseconds honoured = bounded(*retryAfter);
        const long long floor = honoured.count();
        const long long spread =
            std::clamp(ceiling, std::max<long long>(1, floor / 10), std::max<long long>(1, floor));
        std::uniform_int_distribution<long long> jitter(0, spread);
        return honoured + std::chrono::milliseconds(jitter(rng));
    }
    std::uniform_int_distribution<long long> uniform(0, std::max<long long>(0, ceiling));
    return std::chrono::milliseconds(uniform(rng));
}

} // namespace ripen

#include "jobs/JobProgress.h"

#include <algorithm>

namespace ripen {

JobProgress::JobProgress(std::stop_token stop, Publish publish, std::chrono::milliseconds interval)
    : m_stop(std::move(stop)), m_publish(std::move(publish)), m_interval(interval) {}

void JobProgress::report(std::int64_t done, std::int64_t total, std::string_view message) {
    if (total <= 0) {
        return;
    }
    const double fraction =
        std::clamp(static_cast<double>(done) / static_cast<double>(total), 0.0, 1.0);
    const auto now = std::chrono::steady_clock::now();
    double shown = 0.0;
    {
        std::lock_guard lock(m_mutex);
        m_highest = std::max(m_highest, fraction);
        if (m_published && now - m_lastPublished < m_interval) {
            return;
        }
        m_published = true;
        m_lastPublished = now;
        shown = m_highest;
    }
    m_publish(shown, std::string(message));
}

} // namespace ripen

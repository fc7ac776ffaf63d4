#pragma once

#include "common/ProgressSink.h"

#include <chrono>
#include <functional>
#include <mutex>
#include <stop_token>
#include <string>
#include <string_view>

namespace ripen {

// The sink the queue hands each provider call: what the engine reports (tiles, frames,
// passes) becomes a fraction and a stage text that `publish` passes on (to the catalog
// and the queue's subscribers), at most once per `interval` so a tile loop never writes
// the catalog per tile. cancelled() follows the job's stop token, which the runner fires
// when the user cancels the job. Thread-safe; `publish` runs on the reporting thread.
class JobProgress final : public ProgressSink {
public:
    using Publish = std::function<void(double fraction, const std::string& stage)>;

    JobProgress(std::stop_token stop, Publish publish,
                std::chrono::milliseconds interval = std::chrono::milliseconds(250));

    void report(std::int64_t done, std::int64_t total, std::string_view message) override;
    bool cancelled() const override { return m_stop.stop_requested(); }

private:
    std::stop_token m_stop;
    Publish m_publish;
    std::chrono::milliseconds m_interval;
    std::mutex m_mutex;
    std::chrono::steady_clock::time_point m_lastPublished{};
    bool m_published = false;
    double m_highest = 0.0; // what was reported never goes backwards
};

} // namespace ripen

#pragma once

#include "common/ProgressSink.h"

#include <QObject>
#include <QString>
#include <atomic>
#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>

namespace ripen::ui {

// A ProgressSink for core work on a worker thread: reports are handed to `deliver` on the
// thread of `context` (queued), at most every `interval` except the final one, so a core
// loop reporting per buffer cannot flood the GUI's event queue. Cancellation is one shared
// atomic that the GUI sets.
//
// Thread affinity: report() and cancelled() from any thread; `deliver` runs on context's.
class QueuedProgressSink final : public ripen::ProgressSink {
public:
    using Deliver = std::function<void(qint64 done, qint64 total, const QString& message)>;

    QueuedProgressSink(QObject* context, std::shared_ptr<std::atomic<bool>> cancel, Deliver deliver,
                       std::chrono::milliseconds interval = std::chrono::milliseconds(50));

    void report(std::int64_t done, std::int64_t total, std::string_view message) override;
    bool cancelled() const override;

private:
    QObject* m_context; // outlives every worker that holds this sink
    std::shared_ptr<std::atomic<bool>> m_cancel;
    Deliver m_deliver;
    std::chrono::milliseconds m_interval;
    std::mutex m_mutex; // guards m_last
    std::chrono::steady_clock::time_point m_last{};
};

} // namespace ripen::ui

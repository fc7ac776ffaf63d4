#include "internal/QueuedProgressSink.h"

#include <QMetaObject>
#include <utility>

namespace ripen::ui {

QueuedProgressSink::QueuedProgressSink(QObject* context, std::shared_ptr<std::atomic<bool>> cancel,
                                       Deliver deliver, std::chrono::milliseconds interval)
    : m_context(context), m_cancel(std::move(cancel)), m_deliver(std::move(deliver)),
      m_interval(interval) {}

void QueuedProgressSink::report(std::int64_t done, std::int64_t total, std::string_view message) {
    const auto now = std::chrono::steady_clock::now();
    {
        const std::lock_guard lock(m_mutex);
        const bool final = total > 0 && done >= total;
        if (!final && now - m_last < m_interval) {
            return;
        }
        m_last = now;
    }
    // The context's owner waits for its workers before it dies, so posting is safe; a
    // posted call still pending when the context dies is dropped by Qt.
    QMetaObject::invokeMethod(
        m_context,
        [deliver = m_deliver, done, total,
         text = QString::fromUtf8(message.data(), static_cast<qsizetype>(message.size()))] {
            deliver(done, total, text);
        },
        Qt::QueuedConnection);
}

bool QueuedProgressSink::cancelled() const {
    return m_cancel->load(std::memory_order_relaxed);
}

} // namespace ripen::ui

#include "TimedApplication.h"

#include <QMetaEnum>
#include <QThread>
#include <algorithm>
#include <ctime>
#include <vector>

namespace ripen::bench {

namespace {

QString describe(const QObject* receiver) {
    QString name = QString::fromLatin1(receiver->metaObject()->className());
    if (!receiver->objectName().isEmpty()) {
        name += QLatin1Char('/') + receiver->objectName();
    }
    // A scroll area's viewport is named after its view (the grid, the queue table...).
    if (receiver->objectName() == QLatin1String("qt_scrollarea_viewport") &&
        receiver->parent() != nullptr) {
        name = describe(receiver->parent()) + QLatin1String(" > viewport");
    }
    return name;
}

// CPU time the calling thread has used, in nanoseconds: unlike wall time, not inflated by
// waiting for a core on a busy machine.
std::int64_t threadCpuNs() {
    timespec now{};
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &now);
    return static_cast<std::int64_t>(now.tv_sec) * 1'000'000'000 + now.tv_nsec;
}

QString eventName(int type) {
    const char* key = QMetaEnum::fromType<QEvent::Type>().valueToKey(type);
    return key != nullptr ? QString::fromLatin1(key) : QString::number(type);
}

} // namespace

TimedApplication::TimedApplication(int& argc, char** argv) : QApplication(argc, argv) {}

bool TimedApplication::notify(QObject* receiver, QEvent* event) {
    if (m_thresholdMs <= 0 || QThread::currentThread() != thread()) {
        return QApplication::notify(receiver, event);
    }
    // Read before delivery: the handler may delete the receiver or the event.
    const QString who = describe(receiver);
    const int type = event->type();
    const std::int64_t start = threadCpuNs();
    ++m_depth;
    const bool handled = QApplication::notify(receiver, event);
    --m_depth;
    const double ms = static_cast<double>(threadCpuNs() - start) / 1e6;
    if (ms >= m_thresholdMs) {
        Tally& tally = m_slow[{who, type, m_depth}];
        ++tally.count;
        tally.totalMs += ms;
        tally.maxMs = std::max(tally.maxMs, ms);
    }
    return handled;
}

QString TimedApplication::takeReport(int maxLines) {
    std::vector<std::pair<Key, Tally>> rows(m_slow.begin(), m_slow.end());
    std::sort(rows.begin(), rows.end(),
              [](const auto& a, const auto& b) { return a.second.maxMs > b.second.maxMs; });
    QString report =
        QStringLiteral("| receiver | event | depth | count | max CPU ms | total CPU ms |\n"
                       "|---|---|--:|--:|--:|--:|\n");
    for (std::size_t i = 0; i < rows.size() && static_cast<int>(i) < maxLines; ++i) {
        const auto& [key, tally] = rows[i];
        report += QStringLiteral("| %1 | %2 | %3 | %4 | %5 | %6 |\n")
                      .arg(std::get<0>(key), eventName(std::get<1>(key)))
                      .arg(std::get<2>(key))
                      .arg(tally.count)
                      .arg(tally.maxMs, 0, 'f', 1)
                      .arg(tally.totalMs, 0, 'f', 1);
    }
    m_slow.clear();
    return report;
}

} // namespace ripen::bench

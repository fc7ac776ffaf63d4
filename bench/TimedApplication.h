#pragma once

#include <QApplication>
#include <QString>
#include <map>
#include <tuple>

// The QApplication of a GUI bench that can tell which events held the GUI thread: with a
// threshold set, every event delivered on the GUI thread is timed (the thread's CPU time,
// so that waiting for a core on a busy machine does not count) and those that took at
// least that long are tallied by receiver (class and object name), event type and nesting
// depth (a paint inside an update request is one deeper). A late heartbeat is then traced
// to the handler that caused it, without a profiler.
namespace ripen::bench {

class TimedApplication final : public QApplication {
public:
    TimedApplication(int& argc, char** argv);

    // Events that take at least `ms` of CPU time are tallied from now on; 0 turns it off.
    void traceSlowerThan(double ms) { m_thresholdMs = ms; }
    // The tally, slowest first, as Markdown lines; then forgets it.
    QString takeReport(int maxLines = 25);

    bool notify(QObject* receiver, QEvent* event) override;

private:
    struct Tally {
        int count = 0;
        double totalMs = 0;
        double maxMs = 0;
    };
    using Key = std::tuple<QString, int, int>; // receiver, event type, depth

    double m_thresholdMs = 0;
    int m_depth = 0;
    std::map<Key, Tally> m_slow;
};

} // namespace ripen::bench

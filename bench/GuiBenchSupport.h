#pragma once

#include <QElapsedTimer>
#include <QTimer>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <vector>

class QAbstractScrollArea;

// What the bench programs that drive the real main window offscreen share.
namespace ripen::bench {

// A cached library of `count` synthetic rows, each with a 256 px thumbnail file, built in
// one transaction the first time (under cacheRoot()).
std::filesystem::path ensureGalleryLibrary(int count);

// Runs the event loop (sleeping between events) until `done` or `timeoutSeconds`; returns
// whether `done` came true.
bool spinUntil(const std::function<bool()>& done, double timeoutSeconds);

// The value at fraction `p` (0..1) of the sorted values; 0 for none.
double percentile(std::vector<double> values, double p);

// A precise timer on the GUI thread every `periodMs`; each beat's lateness (how much later
// than the period it fired) is how long the GUI thread was kept busy. On a shared machine
// lateness also counts the time the thread waited for a core, so each beat also records the
// GUI thread's own CPU time since the previous beat (CLOCK_THREAD_CPUTIME_ID): the work that
// would stall it on an idle machine.
class Heartbeat {
public:
    explicit Heartbeat(double periodMs = 4.0);
    void start();
    void stop();
    double p99Ms() const { return percentile(m_lateness, 0.99); }
    double maxMs() const;
    int countOver(double ms) const;
    std::size_t beats() const { return m_lateness.size(); }
    // The GUI thread's own CPU time between two beats (p99 and max), and its share of the
    // wall time from start() to stop().
    double workP99Ms() const { return percentile(m_work, 0.99); }
    double workMaxMs() const;
    double cpuShare() const;

private:
    double m_periodMs;
    QTimer m_timer;
    QElapsedTimer m_clock;
    qint64 m_last = 0;
    std::int64_t m_lastCpuNs = 0;
    std::int64_t m_firstCpuNs = 0;
    qint64 m_wallNs = 0;
    std::vector<double> m_lateness;
    std::vector<double> m_work;
};

// Scrolls `view` down a quarter of its height every 16 ms frame, as a flick of the wheel
// does; from the bottom it starts again at the top, so it can run for any length of time.
class FrameScroller {
public:
    explicit FrameScroller(QAbstractScrollArea& view);
    void start() { m_timer.start(); }
    void stop() { m_timer.stop(); }

private:
    QTimer m_timer;
};

} // namespace ripen::bench

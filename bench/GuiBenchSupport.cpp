#include "GuiBenchSupport.h"

#include "BenchCommon.h"
#include "SyntheticAssets.h"
#include "catalog/Library.h"

#include <QAbstractScrollArea>
#include <QApplication>
#include <QScrollBar>
#include <algorithm>
#include <ctime>
#include <fstream>
#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>

namespace ripen::bench {

namespace {

// CPU time the calling thread has used, in nanoseconds.
std::int64_t threadCpuNs() {
    timespec now{};
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &now);
    return static_cast<std::int64_t>(now.tv_sec) * 1'000'000'000 + now.tv_nsec;
}

double maxOf(const std::vector<double>& values) {
    return values.empty() ? 0 : *std::max_element(values.begin(), values.end());
}

} // namespace

std::filesystem::path ensureGalleryLibrary(int count) {
    const auto root = cacheRoot() / ("gallery-" + std::to_string(count));
    if (std::filesystem::exists(root / "complete")) {
        return root;
    }
    std::filesystem::remove_all(root);
    auto library = orThrow(ripen::Library::open(root), "cannot open " + root.string());
    cv::Mat thumb(192, 256, CV_8UC3);
    for (int y = 0; y < thumb.rows; ++y) {
        thumb.row(y).setTo(cv::Scalar(40 + y / 2, 90 + y / 4, 160 - y / 3));
    }
    cv::circle(thumb, {170, 60}, 28, cv::Scalar(200, 230, 250), cv::FILLED, cv::LINE_AA);
    std::vector<uchar> jpeg;
    cv::imencode(".jpg", thumb, jpeg);
    const SyntheticAssets rows(42);
    auto& catalog = library->catalog();
    if (!catalog.database().exec("BEGIN")) {
        throw std::runtime_error("cannot begin");
    }
    for (int i = 0; i < count; ++i) {
        const ripen::Asset asset = rows.make(i);
        orThrow(catalog.addAssetInTransaction(asset), "cannot add a row");
        const auto file = library->thumbnailFile(asset.sha256);
        std::filesystem::create_directories(file.parent_path());
        std::ofstream(file, std::ios::binary)
            .write(reinterpret_cast<const char*>(jpeg.data()),
                   static_cast<std::streamsize>(jpeg.size()));
    }
    if (!catalog.database().exec("COMMIT")) {
        throw std::runtime_error("cannot commit");
    }
    std::ofstream(root / "complete") << count << "\n";
    return root;
}

bool spinUntil(const std::function<bool()>& done, double timeoutSeconds) {
    // The GUI thread sleeps between events, as in the application's own event loop: a loop
    // that polls without waiting would keep it runnable all the time, and the scheduler
    // would then treat it as a busy thread and let it wait behind the workers. A 5 ms timer
    // wakes it to check `done`.
    QTimer check;
    check.start(5);
    const auto start = Clock::now();
    while (!done()) {
        if (secondsSince(start) > timeoutSeconds) {
            return false;
        }
        QApplication::processEvents(QEventLoop::AllEvents | QEventLoop::WaitForMoreEvents);
    }
    return true;
}

double percentile(std::vector<double> values, double p) {
    if (values.empty()) {
        return 0;
    }
    std::sort(values.begin(), values.end());
    const auto at = static_cast<std::size_t>(p * static_cast<double>(values.size() - 1));
    return values[at];
}

Heartbeat::Heartbeat(double periodMs) : m_periodMs(periodMs) {
    m_timer.setTimerType(Qt::PreciseTimer);
    m_timer.setInterval(static_cast<int>(periodMs));
    QObject::connect(&m_timer, &QTimer::timeout, [this] {
        const qint64 now = m_clock.nsecsElapsed();
        m_lateness.push_back(std::max(0.0, static_cast<double>(now - m_last) / 1e6 - m_periodMs));
        m_last = now;
        const std::int64_t cpu = threadCpuNs();
        m_work.push_back(static_cast<double>(cpu - m_lastCpuNs) / 1e6);
        m_lastCpuNs = cpu;
    });
}

void Heartbeat::start() {
    m_lateness.clear();
    m_work.clear();
    m_clock.start();
    m_last = m_clock.nsecsElapsed();
    m_firstCpuNs = m_lastCpuNs = threadCpuNs();
    m_timer.start();
}

void Heartbeat::stop() {
    m_timer.stop();
    m_wallNs = m_clock.nsecsElapsed();
    m_lastCpuNs = threadCpuNs();
}

double Heartbeat::maxMs() const {
    return maxOf(m_lateness);
}

double Heartbeat::workMaxMs() const {
    return maxOf(m_work);
}

double Heartbeat::cpuShare() const {
    return m_wallNs > 0
               ? static_cast<double>(m_lastCpuNs - m_firstCpuNs) / static_cast<double>(m_wallNs)
               : 0;
}

int Heartbeat::countOver(double ms) const {
    return static_cast<int>(std::ranges::count_if(m_lateness, [ms](double l) { return l > ms; }));
}

FrameScroller::FrameScroller(QAbstractScrollArea& view) {
    m_timer.setInterval(16);
    QObject::connect(&m_timer, &QTimer::timeout, [&view] {
        QScrollBar* bar = view.verticalScrollBar();
        bar->setValue(
            bar->value() >= bar->maximum() ? 0 : bar->value() + view.viewport()->height() / 4);
    });
}

} // namespace ripen::bench

// bench_gallery: how the gallery feels on a large library. Time from creating the main
// window to the first painted grid of a 10,000-asset library (and until the visible
// thumbnails have landed), and the GUI thread's heartbeat lateness (p99, max) while the
// grid is scrolled from top to bottom at one step per frame, paging rows and thumbnails in
// as it goes. Runs offscreen; medians over --runs. Targets (issue 4): first grid under
// 1 s, p99 stall under 16 ms, max under 50 ms.

#include "BenchCommon.h"
#include "CommandLine.h"
#include "CoreBridge.h"
#include "GuiBenchSupport.h"
#include "MainWindow.h"
#include "ResultTable.h"
#include "gallery/GalleryModel.h"
#include "gallery/GalleryView.h"
#include "theme/Theme.h"

#include <QApplication>
#include <QEvent>
#include <QListView>
#include <iostream>

namespace {

using namespace ripen::bench;

// Notes when the grid's viewport first paints with rows in the model.
class FirstPaint final : public QObject {
public:
    FirstPaint(ripen::ui::GalleryView& gallery) : m_gallery(gallery) {}
    bool painted() const { return m_painted; }

protected:
    bool eventFilter(QObject* watched, QEvent* event) override {
        if (event->type() == QEvent::Paint && m_gallery.model().rowCount() > 0) {
            m_painted = true;
        }
        return QObject::eventFilter(watched, event);
    }

private:
    ripen::ui::GalleryView& m_gallery;
    bool m_painted = false;
};

struct RunResult {
    double firstPaint = 0; // seconds
    double thumbnails = 0; // seconds until the visible thumbnails landed
    double p99LateMs = 0;
    double maxLateMs = 0;
    int rowsScrolled = 0;
};

RunResult runOnce(const std::filesystem::path& root, double scrollSeconds) {
    RunResult result;
    const auto start = Clock::now();
    ripen::ui::CoreBridge bridge(root);
    ripen::ui::MainWindow window(bridge);
    window.resize(1280, 800);
    FirstPaint watch(window.gallery());
    window.gallery().grid().viewport()->installEventFilter(&watch);
    window.show();
    bridge.openLibrary();
    if (!spinUntil([&] { return watch.painted(); }, 60)) {
        throw std::runtime_error("the grid never painted");
    }
    result.firstPaint = secondsSince(start);
    spinUntil([&] { return !window.isBusy(); }, 60);
    result.thumbnails = secondsSince(start);

    // Heartbeat: a 4 ms timer whose lateness is how long the GUI thread was busy.
    Heartbeat beat;
    FrameScroller scroll(window.gallery().grid());
    beat.start();
    scroll.start();
    const auto scrollStart = Clock::now();
    spinUntil([&] { return secondsSince(scrollStart) > scrollSeconds; }, scrollSeconds + 1);
    scroll.stop();
    beat.stop();
    result.rowsScrolled = window.gallery().model().rowCount();
    result.p99LateMs = beat.p99Ms();
    result.maxLateMs = beat.maxMs();
    return result;
}

} // namespace

int main(int argc, char** argv) {
    try {
        const CommandLine args(argc, argv, {"--assets", "--runs", "--scroll-seconds"}, {"--quick"});
        const bool quick = args.has("--quick");
        const int assets = static_cast<int>(args.number("--assets", quick ? 2000 : 10000));
        const int runs = static_cast<int>(args.number("--runs", quick ? 2 : 3));
        const double scrollSeconds =
            static_cast<double>(args.number("--scroll-seconds", quick ? 3 : 8));
        if (qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM")) {
            qputenv("QT_QPA_PLATFORM", "offscreen");
        }
        int qtArgc = 1;
        char name[] = "bench_gallery";
        char* qtArgv[] = {name, nullptr};
        QApplication app(qtArgc, qtArgv);
        ripen::ui::Theme::apply(ripen::ui::ThemeMode::Dark);
        const auto root = ensureGalleryLibrary(assets);

        std::vector<double> first, thumbs, p99, worst;
        int rows = 0;
        for (int run = 0; run < runs; ++run) {
            const RunResult r = runOnce(root, scrollSeconds);
            first.push_back(r.firstPaint);
            thumbs.push_back(r.thumbnails);
            p99.push_back(r.p99LateMs);
            worst.push_back(r.maxLateMs);
            rows = r.rowsScrolled;
        }
        std::cout << "## Gallery (" << assets << " assets, offscreen, 1280x800, median of " << runs
                  << " runs)\n\n";
        ResultTable table({"measure", "median", "target"});
        table.addRow({"first painted grid", formatDuration(median(first)), "< 1 s"});
        table.addRow({"visible thumbnails landed", formatDuration(median(thumbs)), "–"});
        table.addRow({"heartbeat lateness p99 while scrolling", formatFixed(median(p99), 1) + " ms",
                      "< 16 ms"});
        table.addRow({"heartbeat lateness max while scrolling",
                      formatFixed(median(worst), 1) + " ms", "< 50 ms"});
        std::cout << table.toMarkdown() << "\nrows paged in while scrolling for "
                  << formatFixed(scrollSeconds, 0) << " s: " << rows << "\n";
        return 0;
    } catch (const std::exception& e) {
        std::cerr << "bench_gallery: " << e.what() << "\n";
        return 1;
    }
}

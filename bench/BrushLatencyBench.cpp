// bench_brush: the inpaint editor's brush latency (issue 5: under 8 ms p99, i.e. 120 Hz) —
// the time from a mouse-move event to the end of the repaint of the region it changed —
// on 4096x4096 and 8192x8192 images at 100% and fit zoom, and the memory of an editor
// holding the image. Runs on Qt's offscreen platform unless QT_QPA_PLATFORM says
// otherwise, so the figure covers Ripen's work (dabs, overlay, region paint) and not the
// window system's flush. No anchor: there is no comparable editor to re-measure in-process.

#include "BenchCommon.h"
#include "CommandLine.h"
#include "ResultTable.h"
#include "inpaint/MaskCanvas.h"

#include <QApplication>
#include <QMouseEvent>
#include <algorithm>
#include <cmath>
#include <iostream>

namespace rb = ripen::bench;

namespace {

struct Latency {
    double p50 = 0;
    double p99 = 0;
    double max = 0;
};

double percentile(std::vector<double> values, double p) {
    std::sort(values.begin(), values.end());
    const auto index = static_cast<std::size_t>(std::ceil(p * values.size())) - 1;
    return values[std::min(index, values.size() - 1)];
}

QImage photo(int side) {
    QImage image(side, side, QImage::Format_RGB32);
    for (int y = 0; y < side; ++y) {
        auto* row = reinterpret_cast<QRgb*>(image.scanLine(y));
        for (int x = 0; x < side; ++x) {
            row[x] = qRgb((x * 255) / side, (y * 255) / side, ((x ^ y) & 0xff));
        }
    }
    return image;
}

void send(QWidget& widget, QEvent::Type type, QPointF at, Qt::MouseButtons buttons) {
    QMouseEvent event(type, at, widget.mapToGlobal(at), Qt::LeftButton, buttons, Qt::NoModifier);
    QApplication::sendEvent(&widget, &event);
}

// A wavy stroke of `moves` events across the widget, each timed from the event to the
// end of the repaint it caused.
Latency stroke(ripen::ui::MaskCanvas& canvas, int moves) {
    std::vector<double> seconds;
    const QSize area = canvas.size();
    send(canvas, QEvent::MouseButtonPress, {40.0, area.height() / 2.0}, Qt::LeftButton);
    QApplication::processEvents();
    for (int i = 1; i <= moves; ++i) {
        const double t = static_cast<double>(i) / moves;
        const QPointF at(40 + t * (area.width() - 80),
                         area.height() / 2.0 + std::sin(t * 12) * area.height() / 3.0);
        const auto start = rb::Clock::now();
        send(canvas, QEvent::MouseMove, at, Qt::LeftButton);
        QApplication::processEvents(); // delivers the update request: the region repaint
        seconds.push_back(rb::secondsSince(start));
    }
    send(canvas, QEvent::MouseButtonRelease, {area.width() - 40.0, area.height() / 2.0},
         Qt::NoButton);
    return {percentile(seconds, 0.5), percentile(seconds, 0.99), percentile(seconds, 1.0)};
}

int run(int argc, char** argv) {
    if (qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM")) {
        qputenv("QT_QPA_PLATFORM", "offscreen");
    }
    const rb::CommandLine args(argc, argv, {"--moves", "--brush"}, {"--quick"});
    const int moves = static_cast<int>(args.number("--moves", args.has("--quick") ? 200 : 1000));
    const int brushSize = static_cast<int>(args.number("--brush", 80));
    int qtArgc = 1;
    QApplication app(qtArgc, argv);

    std::cout << "## bench_brush\n\nmachine: " << rb::machineDescription() << "; platform "
              << QApplication::platformName().toStdString() << "; " << moves
              << " mouse moves per stroke, brush " << brushSize
              << " image px, widget 1600x1000\n\n";
    rb::ResultTable table({"image", "zoom", "p50", "p99", "max", "editor memory (peak RSS)"});
    for (const int side : {4096, 8192}) {
        rb::resetPeakRss();
        const std::int64_t before = rb::peakRssKiB();
        ripen::ui::MaskCanvas canvas;
        canvas.setImage(photo(side));
        canvas.resize(1600, 1000);
        ripen::ui::MaskBrush brush;
        brush.size = brushSize;
        brush.hardness = 0.7;
        canvas.setBrush(brush);
        canvas.show();
        QApplication::processEvents();
        const std::int64_t held = rb::peakRssKiB() - before;
        const std::string memory = std::to_string(held / 1024) + " MiB";
        for (const double zoom : {1.0, 1000.0 / side}) {
            canvas.setView(zoom, {0, 0});
            QApplication::processEvents();
            const Latency latency = stroke(canvas, moves);
            table.addRow({std::to_string(side) + "x" + std::to_string(side),
                          rb::formatFixed(zoom * 100, 1) + "%", rb::formatDuration(latency.p50),
                          rb::formatDuration(latency.p99), rb::formatDuration(latency.max),
                          memory});
        }
    }
    std::cout << "Mouse move to repainted region (lower is better; target p99 < 8 ms):\n\n"
              << table.toMarkdown() << "\n";
    return 0;
}

} // namespace

int main(int argc, char** argv) {
    try {
        return run(argc, argv);
    } catch (const std::exception& e) {
        std::cerr << "bench_brush: " << e.what() << "\n";
        return 1;
    }
}

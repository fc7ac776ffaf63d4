// The inpaint canvas's lasso, pen pressure and result comparison, driven by simulated
// mouse and tablet events on the offscreen platform.
#include "UiTestSupport.h"
#include "inpaint/LassoFill.h"
#include "inpaint/MaskCanvas.h"

#include <QApplication>
#include <QPointingDevice>
#include <QTabletEvent>
#include <QTest>
#include <QUndoStack>
#include <catch2/catch.hpp>

using ripen::test::uiApp;
using ripen::ui::MaskBrush;
using ripen::ui::MaskCanvas;

namespace {

struct Canvas {
    bool appReady = (uiApp(), true);
    MaskCanvas canvas;

    Canvas() {
        QImage image(400, 300, QImage::Format_RGB32);
        image.fill(QColor(40, 90, 140));
        canvas.setImage(image);
        canvas.resize(400, 300);
        canvas.setView(1.0, {0, 0});
        MaskBrush brush;
        brush.size = 40;
        brush.hardness = 1.0;
        canvas.setBrush(brush);
        canvas.show();
        REQUIRE(QTest::qWaitForWindowExposed(&canvas));
    }

    uchar at(int x, int y) const { return canvas.mask().constScanLine(y)[x]; }

    int markedInRow(int y) const {
        const uchar* row = canvas.mask().constScanLine(y);
        return static_cast<int>(
            std::count_if(row, row + canvas.mask().width(), [](uchar v) { return v != 0; }));
    }
    int markedInColumn(int x) const {
        int count = 0;
        for (int y = 0; y < canvas.mask().height(); ++y) {
            count += at(x, y) != 0 ? 1 : 0;
        }
        return count;
    }

    // A drag through `points` (widget pixels), as a mouse delivers it.
    void drag(const QList<QPoint>& points) {
        QTest::mousePress(&canvas, Qt::LeftButton, Qt::NoModifier, points.front());
        for (const QPoint& p : points) {
            QMouseEvent move(QEvent::MouseMove, p, canvas.mapToGlobal(p), Qt::NoButton,
                             Qt::LeftButton, Qt::NoModifier);
            QApplication::sendEvent(&canvas, &move);
        }
        QTest::mouseRelease(&canvas, Qt::LeftButton, Qt::NoModifier, points.back());
    }

    // A pen stroke from `from` to `to` at one pressure; returns whether every event was
    // accepted (so Qt synthesises no mouse events that would paint a second time).
    bool penStroke(QPointF from, QPointF to, double pressure) {
        bool accepted = true;
        const auto send = [&](QEvent::Type type, QPointF at, Qt::MouseButton button,
                              Qt::MouseButtons buttons) {
            QTabletEvent event(type, QPointingDevice::primaryPointingDevice(), at,
                               canvas.mapToGlobal(at), pressure, 0, 0, 0, 0, 0, Qt::NoModifier,
                               button, buttons);
            QApplication::sendEvent(&canvas, &event);
            accepted = accepted && event.isAccepted();
        };
        send(QEvent::TabletPress, from, Qt::LeftButton, Qt::LeftButton);
        for (int i = 1; i <= 8; ++i) {
            send(QEvent::TabletMove, from + (to - from) * i / 8.0, Qt::NoButton, Qt::LeftButton);
        }
        send(QEvent::TabletRelease, to, Qt::LeftButton, Qt::NoButton);
        return accepted;
    }
};

} // namespace

TEST_CASE("The lasso fills what it encloses and nothing else, one undo step", "[ui][inpaint]") {
    Canvas c;
    QTest::keyClick(&c.canvas, Qt::Key_L);
    REQUIRE(c.canvas.tool() == MaskCanvas::Tool::Lasso);
    // A triangle drawn with many points, as a hand would.
    QList<QPoint> outline;
    const QPoint a(100, 50), b(300, 50), d(200, 250);
    for (const auto& [from, to] : {std::pair{a, b}, std::pair{b, d}}) {
        for (int i = 0; i <= 20; ++i) {
            outline << from + (to - from) * i / 20;
        }
    }
    for (int i = 0; i <= 19; ++i) {
        outline << d + (a - d) * i / 20;
    }
    c.drag(outline);

    CHECK(c.at(200, 100) == 255); // inside
    CHECK(c.at(200, 240) == 255); // near the bottom tip, inside
    CHECK(c.at(110, 200) == 0);   // outside, left of the slanted edge
    CHECK(c.at(290, 200) == 0);
    CHECK(c.at(200, 40) == 0);      // above the top edge
    CHECK(c.markedInRow(55) > 190); // nearly the full top edge's width
    CHECK(c.markedInRow(55) <= 201);
    CHECK(c.canvas.undoStack()->count() == 1);

    QTest::keyClick(&c.canvas, Qt::Key_E); // the eraser lassos holes
    c.drag({{180, 80}, {220, 80}, {220, 120}, {180, 120}, {180, 80}});
    CHECK(c.at(200, 100) == 0);
    CHECK(c.at(200, 130) == 255);
    c.canvas.undoStack()->undo();
    CHECK(c.at(200, 100) == 255);
    c.canvas.undoStack()->undo();
    CHECK(c.markedInRow(100) == 0);
}

TEST_CASE("fillLasso marks the pixels whose centres lie inside the polygon", "[ui][inpaint]") {
    QImage mask(20, 20, QImage::Format_Grayscale8);
    mask.fill(0);
    const QRect touched =
        ripen::ui::fillLasso(mask, QPolygonF({{2, 2}, {12, 2}, {12, 8}, {2, 8}}), 255);
    CHECK(touched.contains(QRect(2, 2, 10, 6)));
    int marked = 0;
    for (int y = 0; y < 20; ++y) {
        for (int x = 0; x < 20; ++x) {
            const bool inside = x >= 2 && x < 12 && y >= 2 && y < 8;
            CHECK((mask.constScanLine(y)[x] == 255) == inside);
            marked += mask.constScanLine(y)[x] != 0 ? 1 : 0;
        }
    }
    CHECK(marked == 60);
    // Fewer than three points enclose nothing.
    CHECK(ripen::ui::fillLasso(mask, QPolygonF({{0, 0}, {19, 19}}), 0).isEmpty());
}

TEST_CASE("Pen pressure sets the brush size: a light stroke paints a thinner line",
          "[ui][inpaint]") {
    Canvas c;
    REQUIRE(c.penStroke({50, 100}, {350, 100}, 1.0));
    const int full = c.markedInColumn(200);
    REQUIRE(c.penStroke({50, 200}, {350, 200}, 0.25));
    int light = 0;
    for (int y = 150; y < 300; ++y) {
        light += c.at(200, y) != 0 ? 1 : 0;
    }
    CHECK(full - light == Approx(30).margin(2)); // 40 px against 10 px
    CHECK(light == Approx(10).margin(2));
    CHECK(c.canvas.undoStack()->count() == 2); // one step per pen stroke
    CHECK(c.canvas.brush().size == 40);        // the brush itself is unchanged
}

TEST_CASE("A result is shown over the image left of the wipe, without the mask overlay",
          "[ui][inpaint]") {
    Canvas c;
    c.canvas.fillShape(MaskCanvas::Tool::Rectangle, QRect(0, 0, 400, 300)); // all masked
    QImage result(400, 300, QImage::Format_RGB32);
    result.fill(QColor(250, 250, 0));
    c.canvas.setComparison(result);
    c.canvas.setWipe(0.5);
    const QImage shown = c.canvas.grab().toImage();
    CHECK(QColor(shown.pixel(100, 150)) == QColor(250, 250, 0)); // the result, as it is
    const QColor right(shown.pixel(300, 150));
    CHECK(right.red() > 100); // the image under the red overlay
    CHECK(right != QColor(40, 90, 140));
    c.canvas.setWipe(0);
    CHECK(QColor(c.canvas.grab().toImage().pixel(100, 150)) == right);
    // A result of another size is not shown at all.
    c.canvas.setComparison(QImage(10, 10, QImage::Format_RGB32));
    CHECK(c.canvas.comparison().isNull());
}

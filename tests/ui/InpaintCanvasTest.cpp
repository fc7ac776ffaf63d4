// The inpaint editor's canvas driven as a user would: simulated mouse and keys, offscreen.
#include "UiTestSupport.h"
#include "inpaint/MaskCanvas.h"

#include <QApplication>
#include <QPaintEvent>
#include <QSignalSpy>
#include <QTest>
#include <QUndoStack>
#include <catch2/catch.hpp>

using ripen::test::uiApp;
using ripen::ui::MaskBrush;
using ripen::ui::MaskCanvas;

namespace {

// Records the rectangles the canvas is asked to repaint.
class PaintRecorder final : public QObject {
public:
    QList<QRect> rects;

protected:
    bool eventFilter(QObject* watched, QEvent* event) override {
        if (event->type() == QEvent::Paint) {
            rects.push_back(static_cast<QPaintEvent*>(event)->rect());
        }
        return QObject::eventFilter(watched, event);
    }
};

struct Canvas {
    bool appReady = (uiApp(), true); // the application must exist before any widget
    MaskCanvas canvas;

    Canvas() {
        QImage image(800, 600, QImage::Format_RGB32);
        image.fill(QColor(40, 90, 140));
        canvas.setImage(image);
        canvas.resize(800, 600);
        canvas.setView(1.0, {0, 0});
        MaskBrush brush;
        brush.size = 20;
        brush.hardness = 1.0;
        canvas.setBrush(brush);
        canvas.show();
        REQUIRE(QTest::qWaitForWindowExposed(&canvas));
    }

    int marked() const {
        int count = 0;
        const QImage& mask = canvas.mask();
        for (int y = 0; y < mask.height(); ++y) {
            const uchar* row = mask.constScanLine(y);
            count += static_cast<int>(
                std::count_if(row, row + mask.width(), [](uchar v) { return v != 0; }));
        }
        return count;
    }

    uchar at(int x, int y) const { return canvas.mask().constScanLine(y)[x]; }

    void stroke(QPoint from, QPoint to) {
        QTest::mousePress(&canvas, Qt::LeftButton, Qt::NoModifier, from);
        // Intermediate moves as a real drag delivers them.
        for (int i = 1; i <= 10; ++i) {
            const QPoint p = from + (to - from) * i / 10;
            QMouseEvent move(QEvent::MouseMove, p, canvas.mapToGlobal(p), Qt::NoButton,
                             Qt::LeftButton, Qt::NoModifier);
            QApplication::sendEvent(&canvas, &move);
        }
        QTest::mouseRelease(&canvas, Qt::LeftButton, Qt::NoModifier, to);
    }
};

} // namespace

TEST_CASE("A brush stroke paints the mask along the drag, one undo step per stroke",
          "[ui][inpaint]") {
    Canvas c;
    c.stroke({100, 100}, {300, 100});
    CHECK(c.at(100, 100) == 255);
    CHECK(c.at(200, 100) == 255); // continuous between the move events
    CHECK(c.at(300, 100) == 255);
    CHECK(c.at(200, 120) == 0); // beyond the 10 px radius
    CHECK(c.canvas.undoStack()->count() == 1);
    const int afterFirst = c.marked();

    c.stroke({200, 300}, {200, 400});
    CHECK(c.canvas.undoStack()->count() == 2);
    CHECK(c.marked() > afterFirst);

    c.canvas.undoStack()->undo();
    CHECK(c.marked() == afterFirst);
    CHECK(c.at(200, 350) == 0);
    c.canvas.undoStack()->undo();
    CHECK(c.marked() == 0);
    c.canvas.undoStack()->redo();
    CHECK(c.marked() == afterFirst);
    c.canvas.undoStack()->redo();
    CHECK(c.at(200, 350) == 255);
}

TEST_CASE("The eraser lowers the mask and undo brings it back", "[ui][inpaint]") {
    Canvas c;
    c.stroke({100, 200}, {500, 200});
    const int painted = c.marked();
    QTest::keyClick(&c.canvas, Qt::Key_E);
    CHECK(c.canvas.brush().erase);
    c.stroke({300, 180}, {300, 220});
    CHECK(c.at(300, 200) == 0);
    CHECK(c.at(150, 200) == 255);
    CHECK(c.marked() < painted);
    QTest::keyClick(&c.canvas, Qt::Key_Z, Qt::ControlModifier);
    CHECK(c.marked() == painted);
}

TEST_CASE("[ and ] resize the brush", "[ui][inpaint]") {
    Canvas c;
    QSignalSpy changed(&c.canvas, &MaskCanvas::brushChanged);
    QTest::keyClick(&c.canvas, Qt::Key_BracketRight);
    CHECK(c.canvas.brush().size == 25);
    QTest::keyClick(&c.canvas, Qt::Key_BracketLeft);
    QTest::keyClick(&c.canvas, Qt::Key_BracketLeft);
    CHECK(c.canvas.brush().size == 16);
    CHECK(changed.count() == 3);
    for (int i = 0; i < 40; ++i) {
        QTest::keyClick(&c.canvas, Qt::Key_BracketLeft);
    }
    CHECK(c.canvas.brush().size == MaskBrush::kMinSize);
    // A bigger brush paints a wider line.
    MaskBrush wide = c.canvas.brush();
    wide.size = 60;
    c.canvas.setBrush(wide);
    c.stroke({400, 300}, {410, 300});
    CHECK(c.at(405, 325) == 255);
}

TEST_CASE("A soft brush leaves grey at its edge", "[ui][inpaint]") {
    Canvas c;
    MaskBrush soft = c.canvas.brush();
    soft.size = 40;
    soft.hardness = 0.0;
    c.canvas.setBrush(soft);
    QTest::mouseClick(&c.canvas, Qt::LeftButton, Qt::NoModifier, {200, 200});
    CHECK(c.at(200, 200) > 240);
    CHECK(c.at(215, 200) > 0);
    CHECK(c.at(215, 200) < 128);
}

TEST_CASE("Mouse moves repaint only the region they touch", "[ui][inpaint]") {
    Canvas c;
    QTest::qWait(50);
    PaintRecorder recorder;
    c.canvas.installEventFilter(&recorder);
    c.stroke({100, 100}, {140, 100});
    QTest::qWait(50);
    REQUIRE_FALSE(recorder.rects.isEmpty());
    for (const QRect& rect : recorder.rects) {
        INFO(rect.x() << "," << rect.y() << " " << rect.width() << "x" << rect.height());
        CHECK(rect.width() * rect.height() < 800 * 600 / 20);
    }
}

TEST_CASE("The overlay shows the mask in colour and toggles with a key", "[ui][inpaint]") {
    Canvas c;
    c.canvas.setOverlayColor(QColor(255, 0, 0, 255));
    c.stroke({100, 100}, {200, 100});
    QImage shot = c.canvas.grab().toImage();
    CHECK(QColor(shot.pixel(150, 100)) == QColor(255, 0, 0));
    CHECK(QColor(shot.pixel(150, 300)) == QColor(40, 90, 140));
    QTest::keyClick(&c.canvas, Qt::Key_O);
    CHECK_FALSE(c.canvas.overlayVisible());
    shot = c.canvas.grab().toImage();
    CHECK(QColor(shot.pixel(150, 100)) == QColor(40, 90, 140));
}

TEST_CASE("At 200% zoom the stroke lands on the image pixels under the pointer", "[ui][inpaint]") {
    Canvas c;
    c.canvas.setView(2.0, {10, 20});
    c.stroke({210, 220}, {230, 220}); // image (100,100) to (110,100)
    CHECK(c.at(100, 100) == 255);
    CHECK(c.at(110, 100) == 255);
    CHECK(c.at(210, 220) == 0);
}

TEST_CASE("Invert, grow, shrink, feather and clear are undoable mask edits", "[ui][inpaint]") {
    Canvas c;
    c.stroke({200, 200}, {200, 200}); // one 20 px dab
    const int dab = c.marked();
    const QImage painted = c.canvas.mask().copy();
    c.canvas.applyEdit(ripen::MaskEdit::Grow, 5);
    CHECK(c.at(200, 213) == 255); // 10 px radius + 3 px, within the grow
    CHECK(c.marked() > dab);
    c.canvas.applyEdit(ripen::MaskEdit::Shrink, 5);
    CHECK(c.at(200, 213) == 0);
    c.canvas.applyEdit(ripen::MaskEdit::Feather, 8);
    CHECK(c.at(200, 214) > 0);
    CHECK(c.at(200, 214) < 255);
    c.canvas.applyEdit(ripen::MaskEdit::Invert);
    CHECK(c.at(0, 0) == 255);
    CHECK(c.at(200, 200) == 0);
    c.canvas.applyEdit(ripen::MaskEdit::Clear);
    CHECK(c.marked() == 0);
    CHECK(c.canvas.undoStack()->count() == 6);
    for (int i = 0; i < 5; ++i) {
        c.canvas.undoStack()->undo();
    }
    CHECK(c.canvas.mask() == painted);
}

TEST_CASE("Shift-click draws a straight line from the last stroke", "[ui][inpaint]") {
    Canvas c;
    QTest::mouseClick(&c.canvas, Qt::LeftButton, Qt::NoModifier, {100, 100});
    QTest::mouseClick(&c.canvas, Qt::LeftButton, Qt::ShiftModifier, {500, 300});
    CHECK(c.at(300, 200) == 255); // on the line between the two clicks
    CHECK(c.at(300, 100) == 0);
    CHECK(c.canvas.undoStack()->count() == 2);
}

TEST_CASE("The wheel zooms around the pointer, space-drag pans, 1 and 0 set the view",
          "[ui][inpaint]") {
    Canvas c;
    const QPointF pointer(300, 200);
    const QPointF under = c.canvas.widgetToImage(pointer);
    QWheelEvent wheel(pointer, c.canvas.mapToGlobal(pointer), {}, {0, 240}, Qt::NoButton,
                      Qt::NoModifier, Qt::NoScrollPhase, false);
    QApplication::sendEvent(&c.canvas, &wheel);
    CHECK(c.canvas.zoom() == Approx(1.5625));
    const QPointF stays = c.canvas.imageToWidget(under);
    CHECK(stays.x() == Approx(pointer.x()));
    CHECK(stays.y() == Approx(pointer.y()));

    QTest::keyPress(&c.canvas, Qt::Key_Space);
    const QPointF before = c.canvas.imageToWidget({0, 0});
    c.stroke({400, 400}, {450, 380}); // a drag with space held pans instead of painting
    QTest::keyRelease(&c.canvas, Qt::Key_Space);
    const QPointF after = c.canvas.imageToWidget({0, 0});
    CHECK(after.x() - before.x() == Approx(50));
    CHECK(after.y() - before.y() == Approx(-20));
    CHECK(c.marked() == 0);

    QTest::keyClick(&c.canvas, Qt::Key_0);
    CHECK(c.canvas.zoom() == Approx(1.0)); // 800x600 in an 800x600 widget
    QTest::keyClick(&c.canvas, Qt::Key_1);
    CHECK(c.canvas.zoom() == Approx(1.0));
    c.canvas.setView(0.5, {0, 0});
    QTest::keyClick(&c.canvas, Qt::Key_1);
    CHECK(c.canvas.zoom() == Approx(1.0));
}

TEST_CASE("Rectangle and ellipse fill by dragging; M shows the mask alone", "[ui][inpaint]") {
    Canvas c;
    QTest::keyClick(&c.canvas, Qt::Key_R);
    CHECK(c.canvas.tool() == MaskCanvas::Tool::Rectangle);
    c.stroke({100, 100}, {200, 150});
    CHECK(c.marked() == 100 * 50);
    CHECK(c.at(100, 100) == 255);
    CHECK(c.at(199, 149) == 255);
    CHECK(c.at(200, 150) == 0);

    QTest::keyClick(&c.canvas, Qt::Key_U);
    c.stroke({300, 300}, {400, 400});
    CHECK(c.at(350, 350) == 255);
    CHECK(c.at(302, 302) == 0); // the corner of the box is outside the ellipse
    CHECK(c.canvas.undoStack()->count() == 2);

    QTest::keyClick(&c.canvas, Qt::Key_E); // the eraser applies to shapes too
    c.stroke({120, 110}, {140, 140});
    CHECK(c.at(130, 120) == 0);
    CHECK(c.at(110, 120) == 255);
    c.canvas.undoStack()->undo();
    CHECK(c.at(130, 120) == 255);

    QTest::keyClick(&c.canvas, Qt::Key_M);
    const QImage shot = c.canvas.grab().toImage();
    CHECK(QColor(shot.pixel(150, 120)) == QColor(255, 255, 255));
    CHECK(QColor(shot.pixel(600, 100)) == QColor(0, 0, 0));
}

TEST_CASE("Brush opacity caps a stroke: overlapping dabs never mark beyond it", "[ui][inpaint]") {
    Canvas c;
    MaskBrush half = c.canvas.brush();
    half.opacity = 0.5;
    c.canvas.setBrush(half);
    // One drag back and forth three times over the same line: dabs overlap many times.
    QTest::mousePress(&c.canvas, Qt::LeftButton, Qt::NoModifier, {100, 100});
    for (int pass = 0; pass < 6; ++pass) {
        for (int i = 1; i <= 10; ++i) {
            const QPoint p(pass % 2 == 0 ? 100 + 10 * i : 200 - 10 * i, 100);
            QMouseEvent move(QEvent::MouseMove, p, c.canvas.mapToGlobal(p), Qt::NoButton,
                             Qt::LeftButton, Qt::NoModifier);
            QApplication::sendEvent(&c.canvas, &move);
        }
    }
    QTest::mouseRelease(&c.canvas, Qt::LeftButton, Qt::NoModifier, {100, 100});
    CHECK(c.at(150, 100) == 128); // half of full, not built up by the overlaps
    CHECK(c.at(150, 300) == 0);
    CHECK(c.canvas.undoStack()->count() == 1);

    // Erasing at half opacity takes a full mask down by half.
    c.canvas.applyEdit(ripen::MaskEdit::Invert);
    REQUIRE(c.at(400, 400) == 255);
    half.erase = true;
    c.canvas.setBrush(half);
    c.stroke({380, 400}, {420, 400});
    CHECK(c.at(400, 400) == 127);
    CHECK(c.at(400, 500) == 255);
}

TEST_CASE("Shift-drag draws a straight line from the last stroke to where it is released",
          "[ui][inpaint]") {
    Canvas c;
    QTest::mouseClick(&c.canvas, Qt::LeftButton, Qt::NoModifier, {100, 100});
    QTest::mousePress(&c.canvas, Qt::LeftButton, Qt::ShiftModifier, {300, 100});
    for (const QPoint p : {QPoint(300, 100), QPoint(400, 200), QPoint(500, 300)}) {
        QMouseEvent move(QEvent::MouseMove, p, c.canvas.mapToGlobal(p), Qt::NoButton,
                         Qt::LeftButton, Qt::ShiftModifier);
        QApplication::sendEvent(&c.canvas, &move);
    }
    QTest::mouseRelease(&c.canvas, Qt::LeftButton, Qt::ShiftModifier, {500, 300});
    CHECK(c.at(300, 200) == 255); // on the line from (100, 100) to (500, 300)
    CHECK(c.at(200, 100) == 0);   // the line's first position, taken back as the pointer moved
    CHECK(c.at(250, 150) == 0);   // on the line to where the pointer passed
    CHECK(c.canvas.undoStack()->count() == 2);
    c.canvas.undoStack()->undo();
    CHECK(c.at(300, 200) == 0);
    CHECK(c.at(100, 100) == 255);
}

TEST_CASE("H toggles the overlay like O", "[ui][inpaint]") {
    Canvas c;
    REQUIRE(c.canvas.overlayVisible());
    QTest::keyClick(&c.canvas, Qt::Key_H);
    CHECK_FALSE(c.canvas.overlayVisible());
    QTest::keyClick(&c.canvas, Qt::Key_H);
    CHECK(c.canvas.overlayVisible());
}

#include "inpaint/MaskCanvas.h"

#include "inpaint/LassoFill.h"
#include "inpaint/MaskStrokeCommand.h"

#include <QKeyEvent>
#include <QMouseEvent>
#include <QPaintEvent>
#include <QPainter>
#include <QTabletEvent>
#include <QUndoStack>
#include <QWheelEvent>
#include <algorithm>
#include <cmath>
#include <cstring>

namespace ripen::ui {
namespace {

constexpr int kTile = 256; // undo bookkeeping granularity, image pixels

void copyRows(const QImage& from, const QRect& fromRect, QImage& to, QPoint toTopLeft) {
    for (int y = 0; y < fromRect.height(); ++y) {
        std::memcpy(to.scanLine(toTopLeft.y() + y) + toTopLeft.x(),
                    from.constScanLine(fromRect.top() + y) + fromRect.left(),
                    static_cast<std::size_t>(fromRect.width()));
    }
}

} // namespace

MaskCanvas::MaskCanvas(QWidget* parent) : QWidget(parent), m_undo(new QUndoStack(this)) {
    setFocusPolicy(Qt::StrongFocus);
    setMouseTracking(false);
    // Everything under a repaint is drawn by paintEvent: no background fill to flicker.
    setAttribute(Qt::WA_OpaquePaintEvent);
}

void MaskCanvas::setImage(const QImage& image) {
    m_image = image.convertToFormat(QImage::Format_RGB32);
    m_mask = QImage(m_image.size(), QImage::Format_Grayscale8);
    m_mask.fill(0);
    m_comparison = {};
    m_lasso.clear();
    m_undo->clear();
    update();
}

void MaskCanvas::setBrush(const MaskBrush& brush) {
    m_brush = brush;
    m_brush.size = std::clamp(brush.size, MaskBrush::kMinSize, MaskBrush::kMaxSize);
    emit brushChanged(m_brush.size, m_brush.erase);
}

void MaskCanvas::setTool(Tool tool) {
    m_tool = tool;
    m_shapeFrom.reset();
    m_lasso.clear();
    emit toolChanged(tool);
}

void MaskCanvas::setErasing(bool erase) {
    MaskBrush brush = m_brush;
    brush.erase = erase;
    setBrush(brush);
}

void MaskCanvas::setView(double zoom, QPointF origin) {
    m_zoom = std::clamp(zoom, 0.01, 16.0);
    m_origin = origin;
    update();
}

void MaskCanvas::zoomAround(QPointF anchor, double factor) {
    const QPointF imagePoint = widgetToImage(anchor);
    const double zoom = std::clamp(m_zoom * factor, 0.01, 16.0);
    setView(zoom, anchor - imagePoint * zoom);
}

void MaskCanvas::fitToWidget() {
    if (m_image.isNull() || width() <= 0 || height() <= 0) {
        return;
    }
    const double zoom = std::min(static_cast<double>(width()) / m_image.width(),
                                 static_cast<double>(height()) / m_image.height());
    setView(zoom, QPointF((width() - m_image.width() * zoom) / 2,
                          (height() - m_image.height() * zoom) / 2));
}

QPointF MaskCanvas::imageToWidget(QPointF imagePoint) const {
    return imagePoint * m_zoom + m_origin;
}

QPointF MaskCanvas::widgetToImage(QPointF widgetPoint) const {
    return (widgetPoint - m_origin) / m_zoom;
}

void MaskCanvas::setOverlayVisible(bool visible) {
    m_overlayVisible = visible;
    update();
}

void MaskCanvas::setOverlayColor(const QColor& color) {
    m_overlayColor = color;
    update();
}

void MaskCanvas::repaintImageRect(const QRect& imageRect) {
    if (imageRect.isEmpty()) {
        return;
    }
    const QRectF widgetRect(imageToWidget(imageRect.topLeft()),
                            QSizeF(imageRect.width() * m_zoom, imageRect.height() * m_zoom));
    update(widgetRect.toAlignedRect().adjusted(-1, -1, 1, 1));
}

QImage MaskCanvas::overlayFor(const QRect& imageRect) const {
    QImage overlay(imageRect.size(), QImage::Format_ARGB32_Premultiplied);
    const int opacity = m_overlayColor.alpha();
    for (int y = 0; y < imageRect.height(); ++y) {
        const uchar* mask = m_mask.constScanLine(imageRect.top() + y) + imageRect.left();
        auto* out = reinterpret_cast<QRgb*>(overlay.scanLine(y));
        for (int x = 0; x < imageRect.width(); ++x) {
            const int alpha = mask[x] * opacity / 255;
            out[x] = qRgba(m_overlayColor.red() * alpha / 255, m_overlayColor.green() * alpha / 255,
                           m_overlayColor.blue() * alpha / 255, alpha);
        }
    }
    return overlay;
}

void MaskCanvas::paintEvent(QPaintEvent* event) {
    QPainter painter(this);
    const QRect dirty = event->rect();
    painter.fillRect(dirty, palette().color(QPalette::Window).darker(150));
    if (m_image.isNull()) {
        return;
    }
    // Only the image pixels under the dirty widget rectangle are drawn and converted.
    const QRectF imageArea =
        QRectF(widgetToImage(dirty.topLeft()), widgetToImage(dirty.bottomRight() + QPoint(1, 1)));
    const QRect source = imageArea.toAlignedRect().intersected(m_image.rect());
    if (source.isEmpty()) {
        return;
    }
    const QRectF target(imageToWidget(source.topLeft()),
                        QSizeF(source.width() * m_zoom, source.height() * m_zoom));
    painter.setClipRect(dirty);
    if (m_maskOnly) {
        painter.drawImage(target, m_mask, source);
        return;
    }
    painter.drawImage(target, m_image, source);
    const double split = wipeX();
    if (m_overlayVisible) {
        // Over the image only: the result side shows the result as it is.
        painter.setClipRect(QRectF(split, 0, width(), height()).toAlignedRect() & dirty);
        painter.drawImage(target, overlayFor(source));
    }
    if (!m_comparison.isNull() && m_wipe > 0) {
        painter.setClipRect(QRectF(0, 0, split, height()).toAlignedRect() & dirty);
        painter.drawImage(target, m_comparison, source);
        painter.setClipRect(dirty);
        painter.setPen(QPen(Qt::white, 1));
        painter.drawLine(QPointF(split, 0), QPointF(split, height()));
    }
    if (m_lasso.size() > 1) {
        painter.setClipRect(dirty);
        QPolygonF outline;
        for (const QPointF& point : m_lasso) {
            outline << imageToWidget(point);
        }
        painter.setPen(QPen(Qt::white, 1, Qt::DashLine));
        painter.drawPolyline(outline);
    }
}

double MaskCanvas::wipeX() const {
    if (m_comparison.isNull() || m_wipe <= 0) {
        return -1;
    }
    return imageToWidget(QPointF(m_image.width() * m_wipe, 0)).x();
}

void MaskCanvas::setComparison(const QImage& result) {
    m_comparison =
        result.size() == m_image.size() ? result.convertToFormat(QImage::Format_RGB32) : QImage();
    update();
}

void MaskCanvas::setWipe(double fraction) {
    m_wipe = std::clamp(fraction, 0.0, 1.0);
    update();
}

void MaskCanvas::mousePressEvent(QMouseEvent* event) {
    if (event->button() != Qt::LeftButton || m_image.isNull()) {
        QWidget::mousePressEvent(event);
        return;
    }
    m_pressure = 1.0;
    pointerPress(event->position(), event->modifiers());
}

void MaskCanvas::mouseMoveEvent(QMouseEvent* event) {
    pointerMove(event->position());
}

void MaskCanvas::mouseReleaseEvent(QMouseEvent* event) {
    if (event->button() == Qt::LeftButton) {
        pointerRelease(event->position());
    }
}

// Accepted, so Qt synthesises no mouse events from the pen (they would paint twice).
void MaskCanvas::tabletEvent(QTabletEvent* event) {
    if (m_image.isNull()) {
        return;
    }
    m_pressure = std::clamp(event->pressure(), 0.0, 1.0);
    switch (event->type()) {
    case QEvent::TabletPress:
        if (event->button() == Qt::LeftButton) {
            pointerPress(event->position(), event->modifiers());
        }
        break;
    case QEvent::TabletMove:
        pointerMove(event->position());
        break;
    case QEvent::TabletRelease:
        if (event->button() == Qt::LeftButton) {
            pointerRelease(event->position());
        }
        break;
    default:
        break;
    }
    event->accept();
}

void MaskCanvas::pointerPress(QPointF widgetPoint, Qt::KeyboardModifiers modifiers) {
    if (m_spaceHeld) {
        m_panFrom = widgetPoint;
        return;
    }
    const QPointF point = widgetToImage(widgetPoint);
    if (m_tool == Tool::Lasso) {
        m_lasso = QPolygonF{point};
        return;
    }
    if (m_tool != Tool::Brush) {
        m_shapeFrom = point;
        return;
    }
    m_stroking = true;
    m_strokeRect = {};
    m_tilesBefore.clear();
    m_lineFrom.reset();
    if (modifiers.testFlag(Qt::ShiftModifier) && m_strokeEnd) {
        m_lineFrom = m_strokeEnd;
        paintStroke(*m_lineFrom, point, false); // a straight line from the last stroke
    } else {
        paintStroke(point, point, true);
    }
    m_lastPoint = point;
}

void MaskCanvas::pointerMove(QPointF widgetPoint) {
    if (m_panFrom) {
        const QPointF delta = widgetPoint - *m_panFrom;
        m_panFrom = widgetPoint;
        setView(m_zoom, m_origin + delta);
        return;
    }
    const QPointF point = widgetToImage(widgetPoint);
    if (!m_lasso.isEmpty()) {
        const QPointF last = m_lasso.constLast();
        m_lasso << point;
        // Only the new edge of the outline is repainted.
        repaintImageRect(QRectF(last, point).normalized().toAlignedRect().adjusted(-2, -2, 2, 2));
        return;
    }
    if (!m_stroking) {
        return;
    }
    if (m_lineFrom) {
        // The line follows the pointer: the stroke's pixels go back, the line is redrawn.
        restoreStrokeArea();
        paintStroke(*m_lineFrom, point, false);
        m_lastPoint = point;
        return;
    }
    paintStroke(m_lastPoint, point, false);
    m_lastPoint = point;
}

void MaskCanvas::pointerRelease(QPointF widgetPoint) {
    m_panFrom.reset();
    if (!m_lasso.isEmpty()) {
        m_lasso << widgetToImage(widgetPoint);
        finishLasso();
        return;
    }
    if (m_shapeFrom) {
        const QPointF to = widgetToImage(widgetPoint);
        fillShape(m_tool, QRectF(*m_shapeFrom, to).normalized().toAlignedRect());
        m_shapeFrom.reset();
        return;
    }
    if (m_stroking) {
        m_strokeEnd = m_lastPoint;
        m_lineFrom.reset();
        finishStroke();
    }
}

void MaskCanvas::finishLasso() {
    const QPolygonF polygon = std::exchange(m_lasso, {});
    const QRect outline = polygon.boundingRect().toAlignedRect().adjusted(-2, -2, 2, 2);
    const QRect rect = outline.intersected(m_mask.rect());
    if (rect.isEmpty()) {
        repaintImageRect(outline);
        return;
    }
    const QImage before = m_mask.copy(rect);
    fillLasso(m_mask, polygon, m_brush.erase ? 0 : 255);
    pushEdit(m_brush.erase ? tr("Lasso erase") : tr("Lasso fill"), rect, before);
    repaintImageRect(outline); // the dashed outline goes
}

MaskBrush MaskCanvas::strokeBrush() const {
    MaskBrush brush = m_brush;
    brush.size =
        std::max(MaskBrush::kMinSize, static_cast<int>(std::lround(m_brush.size * m_pressure)));
    return brush;
}

bool MaskCanvas::replaceMask(const QImage& mask, const QString& undoText) {
    if (mask.size() != m_mask.size() || m_mask.isNull()) {
        return false;
    }
    const QImage before = m_mask.copy();
    m_mask = mask.convertToFormat(QImage::Format_Grayscale8);
    pushEdit(undoText, m_mask.rect(), before);
    return true;
}

bool MaskCanvas::hasMarkedPixels() const {
    for (int y = 0; y < m_mask.height(); ++y) {
        const uchar* row = m_mask.constScanLine(y);
        if (std::any_of(row, row + m_mask.width(), [](uchar v) { return v != 0; })) {
            return true;
        }
    }
    return false;
}

void MaskCanvas::wheelEvent(QWheelEvent* event) {
    const int steps = event->angleDelta().y() / 120;
    if (steps != 0) {
        zoomAround(event->position(), std::pow(1.25, steps));
    }
    event->accept();
}

void MaskCanvas::keyReleaseEvent(QKeyEvent* event) {
    if (event->key() == Qt::Key_Space && !event->isAutoRepeat()) {
        m_spaceHeld = false;
        m_panFrom.reset();
        return;
    }
    QWidget::keyReleaseEvent(event);
}

void MaskCanvas::paintStroke(QPointF from, QPointF to, bool first) {
    const double radius = m_brush.size / 2.0 + 1;
    const QRect reach =
        QRectF(QPointF(std::min(from.x(), to.x()) - radius, std::min(from.y(), to.y()) - radius),
               QPointF(std::max(from.x(), to.x()) + radius, std::max(from.y(), to.y()) + radius))
            .toAlignedRect()
            .intersected(m_mask.rect());
    saveTilesBefore(reach);
    const MaskBrush brush = strokeBrush();
    const QRect touched = first ? brush.dab(m_mask, to) : brush.segment(m_mask, from, to);
    m_strokeRect |= touched;
    repaintImageRect(touched);
    if (!touched.isEmpty()) {
        emit maskChanged(touched);
    }
}

void MaskCanvas::saveTilesBefore(const QRect& imageRect) {
    if (imageRect.isEmpty()) {
        return;
    }
    for (int ty = imageRect.top() / kTile; ty <= imageRect.bottom() / kTile; ++ty) {
        for (int tx = imageRect.left() / kTile; tx <= imageRect.right() / kTile; ++tx) {
            const auto key = std::make_pair(tx, ty);
            if (!m_tilesBefore.contains(key)) {
                m_tilesBefore.emplace(
                    key,
                    m_mask.copy(
                        QRect(tx * kTile, ty * kTile, kTile, kTile).intersected(m_mask.rect())));
            }
        }
    }
}

void MaskCanvas::restoreStrokeArea() {
    for (const auto& [key, saved] : m_tilesBefore) {
        const QRect tile(key.first * kTile, key.second * kTile, saved.width(), saved.height());
        const QRect overlap = tile.intersected(m_strokeRect);
        if (!overlap.isEmpty()) {
            copyRows(saved, overlap.translated(-tile.topLeft()), m_mask, overlap.topLeft());
        }
    }
    repaintImageRect(m_strokeRect);
}

void MaskCanvas::finishStroke() {
    m_stroking = false;
    if (m_strokeRect.isEmpty()) {
        return;
    }
    const QRect rect = m_strokeRect;
    QImage before = m_mask.copy(rect); // the stroke's result, overwritten below where it changed
    for (const auto& [key, saved] : m_tilesBefore) {
        const QRect tile(key.first * kTile, key.second * kTile, saved.width(), saved.height());
        const QRect overlap = tile.intersected(rect);
        if (!overlap.isEmpty()) {
            copyRows(saved, overlap.translated(-tile.topLeft()), before,
                     overlap.topLeft() - rect.topLeft());
        }
    }
    m_tilesBefore.clear();
    pushEdit(m_brush.erase ? tr("Erase mask") : tr("Paint mask"), rect, before);
}

void MaskCanvas::writePatch(const QRect& imageRect, const QImage& patch) {
    copyRows(patch, patch.rect(), m_mask, imageRect.topLeft());
    repaintImageRect(imageRect);
    emit maskChanged(imageRect);
}

void MaskCanvas::setMaskOnly(bool maskOnly) {
    m_maskOnly = maskOnly;
    update();
}

void MaskCanvas::fillShape(Tool shape, const QRect& imageRect) {
    const QRect rect = imageRect.intersected(m_mask.rect());
    if (rect.isEmpty() || shape == Tool::Brush || shape == Tool::Lasso) {
        return;
    }
    const QImage before = m_mask.copy(rect);
    const uchar value = m_brush.erase ? 0 : 255;
    const double cx = imageRect.x() + imageRect.width() / 2.0;
    const double cy = imageRect.y() + imageRect.height() / 2.0;
    const double rx = imageRect.width() / 2.0;
    const double ry = imageRect.height() / 2.0;
    for (int y = rect.top(); y <= rect.bottom(); ++y) {
        uchar* row = m_mask.scanLine(y);
        for (int x = rect.left(); x <= rect.right(); ++x) {
            const double dx = (x + 0.5 - cx) / rx;
            const double dy = (y + 0.5 - cy) / ry;
            if (shape == Tool::Rectangle || dx * dx + dy * dy <= 1.0) {
                row[x] = value;
            }
        }
    }
    pushEdit(shape == Tool::Rectangle ? tr("Rectangle fill") : tr("Ellipse fill"), rect, before);
}

void MaskCanvas::pushEdit(const QString& text, const QRect& rect, const QImage& before) {
    m_undo->push(new MaskStrokeCommand(
        text, rect, before, m_mask.copy(rect),
        [this](const QRect& r, const QImage& patch) { writePatch(r, patch); }));
    repaintImageRect(rect);
    emit maskChanged(rect);
}

void MaskCanvas::applyEdit(MaskEdit edit, int pixels) {
    if (m_mask.isNull()) {
        return;
    }
    const QImage before = m_mask.copy();
    applyMaskEdit(MaskPixels{m_mask.bits(), m_mask.width(), m_mask.height(),
                             static_cast<std::size_t>(m_mask.bytesPerLine())},
                  edit, pixels);
    static const char* const kNames[] = {"Invert mask", "Clear mask", "Grow mask", "Shrink mask",
                                         "Feather mask"};
    pushEdit(tr(kNames[static_cast<int>(edit)]), m_mask.rect(), before);
}

void MaskCanvas::keyPressEvent(QKeyEvent* event) {
    if (event->matches(QKeySequence::Undo)) {
        m_undo->undo();
        return;
    }
    if (event->matches(QKeySequence::Redo)) {
        m_undo->redo();
        return;
    }
    MaskBrush brush = m_brush;
    switch (event->key()) {
    case Qt::Key_BracketLeft:
        brush.size = std::min(brush.size - 1, static_cast<int>(std::lround(brush.size / 1.25)));
        setBrush(brush);
        return;
    case Qt::Key_BracketRight:
        brush.size = std::max(brush.size + 1, static_cast<int>(std::lround(brush.size * 1.25)));
        setBrush(brush);
        return;
    case Qt::Key_B:
        setTool(Tool::Brush);
        setErasing(false);
        return;
    case Qt::Key_E:
        setErasing(true);
        return;
    case Qt::Key_O:
    case Qt::Key_H:
        setOverlayVisible(!m_overlayVisible);
        return;
    case Qt::Key_1:
        zoomAround(QPointF(width() / 2.0, height() / 2.0), 1.0 / m_zoom);
        return;
    case Qt::Key_0:
        fitToWidget();
        return;
    case Qt::Key_Space:
        m_spaceHeld = true;
        return;
    case Qt::Key_R:
        setTool(Tool::Rectangle);
        return;
    case Qt::Key_U:
        setTool(Tool::Ellipse);
        return;
    case Qt::Key_L:
        setTool(Tool::Lasso);
        return;
    case Qt::Key_M:
        setMaskOnly(!m_maskOnly);
        return;
    default:
        QWidget::keyPressEvent(event);
    }
}

} // namespace ripen::ui

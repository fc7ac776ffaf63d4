#include "upscale/UpscaleCompareCanvas.h"

#include <QKeyEvent>
#include <QMouseEvent>
#include <QPainter>
#include <QPainterPath>
#include <QWheelEvent>
#include <algorithm>
#include <cmath>

namespace ripen::ui {
namespace {

constexpr double kGap = 2;          // between side-by-side panes
constexpr double kSplitGrab = 8;    // how near the split a press grabs it
constexpr double kMaxZoom = 32;     // pixel-peeping beyond 32x shows nothing new
constexpr double kWheelStep = 1.25; // per notch
constexpr double kLoupeRadius = 90;
constexpr double kLoupeMagnification = 4;

} // namespace

UpscaleCompareCanvas::UpscaleCompareCanvas(QWidget* parent) : QWidget(parent) {
    setFocusPolicy(Qt::StrongFocus);
    setMouseTracking(true);
    setMinimumSize(320, 240);
    setAttribute(Qt::WA_OpaquePaintEvent);
}

void UpscaleCompareCanvas::setImages(const QImage& original, const QImage& upscaled) {
    m_original = original;
    m_upscaled = upscaled;
    zoomToFit();
}

void UpscaleCompareCanvas::setOverlay(const QImage& overlay) {
    m_overlay = overlay;
    update();
}

void UpscaleCompareCanvas::setMode(Mode mode) {
    m_mode = mode;
    if (m_fitted) {
        zoomToFit();
    }
    update();
}

void UpscaleCompareCanvas::setLoupe(bool on) {
    m_loupe = on;
    update();
}

QRectF UpscaleCompareCanvas::paneRect(int pane) const {
    const QRectF all(rect());
    if (m_mode == Mode::Wipe) {
        return all;
    }
    const double half = (all.width() - kGap) / 2;
    return pane == 0 ? QRectF(0, 0, half, all.height())
                     : QRectF(half + kGap, 0, half, all.height());
}

double UpscaleCompareCanvas::fitZoom() const {
    if (m_upscaled.isNull()) {
        return 1.0;
    }
    const QRectF pane = paneRect(0);
    return std::min(pane.width() / m_upscaled.width(), pane.height() / m_upscaled.height());
}

QPointF UpscaleCompareCanvas::imageToWidget(int pane, QPointF imagePoint) const {
    return paneRect(pane).center() + (imagePoint - m_center) * m_zoom;
}

QPointF UpscaleCompareCanvas::widgetToImage(int pane, QPointF widgetPoint) const {
    return m_center + (widgetPoint - paneRect(pane).center()) / m_zoom;
}

QRectF UpscaleCompareCanvas::visibleImageRect(int pane) const {
    const QRectF r = paneRect(pane);
    const QRectF shown(widgetToImage(pane, r.topLeft()), widgetToImage(pane, r.bottomRight()));
    return shown.intersected(QRectF(QPointF(0, 0), QSizeF(m_upscaled.size())));
}

void UpscaleCompareCanvas::setView(double zoom, QPointF center) {
    m_zoom = std::clamp(zoom, std::min(fitZoom(), 1.0) / 2, kMaxZoom);
    const QSizeF size(m_upscaled.size());
    m_center = QPointF(std::clamp(center.x(), 0.0, size.width()),
                       std::clamp(center.y(), 0.0, size.height()));
    update();
    emit viewChanged(m_zoom, m_center);
}

void UpscaleCompareCanvas::zoomToFit() {
    m_fitted = true;
    setView(fitZoom(), QPointF(m_upscaled.width() / 2.0, m_upscaled.height() / 2.0));
}

void UpscaleCompareCanvas::zoomToActualSize() {
    m_fitted = false;
    setView(1.0, m_center);
}

void UpscaleCompareCanvas::showAtActualSize(const QRectF& imageRect) {
    m_fitted = false;
    setView(1.0, imageRect.center());
}

int UpscaleCompareCanvas::paneAt(QPointF widgetPoint) const {
    return m_mode == Mode::SideBySide && widgetPoint.x() >= paneRect(1).left() ? 1 : 0;
}

double UpscaleCompareCanvas::splitX() const {
    return m_split * width();
}

void UpscaleCompareCanvas::wheelEvent(QWheelEvent* event) {
    const double notches = event->angleDelta().y() / 120.0;
    if (notches == 0 || m_upscaled.isNull()) {
        return;
    }
    const QPointF at = event->position();
    const int pane = paneAt(at);
    const QPointF anchor = widgetToImage(pane, at);
    const double zoom =
        std::clamp(m_zoom * std::pow(kWheelStep, notches), std::min(fitZoom(), 1.0) / 2, kMaxZoom);
    // Keep the image point under the pointer where it is.
    m_fitted = false;
    setView(zoom, anchor - (at - paneRect(pane).center()) / zoom);
    event->accept();
}

void UpscaleCompareCanvas::mousePressEvent(QMouseEvent* event) {
    if (event->button() != Qt::LeftButton) {
        return;
    }
    m_dragFrom = event->position();
    m_drag = m_mode == Mode::Wipe && std::abs(event->position().x() - splitX()) <= kSplitGrab
                 ? Drag::Split
                 : Drag::Pan;
    if (m_drag == Drag::Pan) {
        setCursor(Qt::ClosedHandCursor);
    }
}

void UpscaleCompareCanvas::mouseMoveEvent(QMouseEvent* event) {
    m_pointer = event->position();
    if (m_drag == Drag::Split) {
        m_split = std::clamp(event->position().x() / std::max(1, width()), 0.0, 1.0);
        update();
        emit splitChanged(m_split);
        return;
    }
    if (m_drag == Drag::Pan) {
        const QPointF delta = event->position() - m_dragFrom;
        m_dragFrom = event->position();
        m_fitted = false;
        setView(m_zoom, m_center - delta / m_zoom);
        return;
    }
    if (m_mode == Mode::Wipe) {
        setCursor(std::abs(event->position().x() - splitX()) <= kSplitGrab ? Qt::SplitHCursor
                                                                           : Qt::OpenHandCursor);
    }
    if (m_loupe) {
        update();
    }
}

void UpscaleCompareCanvas::mouseReleaseEvent(QMouseEvent*) {
    m_drag = Drag::None;
    unsetCursor();
}

void UpscaleCompareCanvas::leaveEvent(QEvent*) {
    m_pointer = QPointF(-1, -1);
    update();
}

void UpscaleCompareCanvas::keyPressEvent(QKeyEvent* event) {
    switch (event->key()) {
    case Qt::Key_Z:
        zoomToActualSize();
        break;
    case Qt::Key_F:
        zoomToFit();
        break;
    case Qt::Key_L:
        setLoupe(!m_loupe);
        break;
    default:
        QWidget::keyPressEvent(event);
        return;
    }
    event->accept();
}

void UpscaleCompareCanvas::resizeEvent(QResizeEvent*) {
    if (m_fitted) {
        zoomToFit();
    }
}

void UpscaleCompareCanvas::paintPane(QPainter& painter, int pane, const QImage& image,
                                     bool withOverlay) {
    const QRectF whole(imageToWidget(pane, {0, 0}),
                       imageToWidget(pane, QPointF(image.width(), image.height())));
    // Below 100% smooth, at and above it the pixels as they are: that is what a review is for.
    painter.setRenderHint(QPainter::SmoothPixmapTransform, m_zoom < 1.0);
    const QRectF source = visibleImageRect(pane);
    const QRectF target(imageToWidget(pane, source.topLeft()),
                        imageToWidget(pane, source.bottomRight()));
    painter.drawImage(target, image, source);
    if (withOverlay && !m_overlay.isNull()) {
        painter.setRenderHint(QPainter::SmoothPixmapTransform, false);
        painter.drawImage(whole, m_overlay);
    }
}

void UpscaleCompareCanvas::paintLabel(QPainter& painter, QPointF at, const QString& text) {
    const QFontMetricsF metrics(font());
    const QRectF box(at, QSizeF(metrics.horizontalAdvance(text) + 12, metrics.height() + 6));
    painter.fillRect(box, QColor(0, 0, 0, 150));
    painter.setPen(Qt::white);
    painter.drawText(box, Qt::AlignCenter, text);
}

void UpscaleCompareCanvas::paintLoupe(QPainter& painter) {
    if (!m_loupe || m_pointer.x() < 0 || m_upscaled.isNull()) {
        return;
    }
    const int pane = paneAt(m_pointer);
    const bool showsOriginal = m_mode == Mode::SideBySide ? pane == 0 : m_pointer.x() < splitX();
    const QImage& image = showsOriginal ? m_original : m_upscaled;
    const QPointF at = widgetToImage(pane, m_pointer);
    const double zoom = std::max(1.0, m_zoom) * kLoupeMagnification;
    const double half = kLoupeRadius / zoom;
    const QRectF source(at - QPointF(half, half), at + QPointF(half, half));
    const QRectF target(m_pointer - QPointF(kLoupeRadius, kLoupeRadius),
                        m_pointer + QPointF(kLoupeRadius, kLoupeRadius));
    painter.save();
    QPainterPath circle;
    circle.addEllipse(target);
    painter.setClipPath(circle);
    painter.fillRect(target, palette().window());
    painter.setRenderHint(QPainter::SmoothPixmapTransform, false);
    painter.drawImage(target, image, source);
    painter.restore();
    painter.setRenderHint(QPainter::Antialiasing, true);
    painter.setPen(QPen(Qt::white, 2));
    painter.drawEllipse(target);
}

void UpscaleCompareCanvas::paintEvent(QPaintEvent*) {
    QPainter painter(this);
    painter.fillRect(rect(), palette().color(QPalette::Base).darker(115));
    if (m_upscaled.isNull()) {
        return;
    }
    const QString originalText = tr("Original (Lanczos)");
    const QString upscaleText = tr("Upscale");
    if (m_mode == Mode::SideBySide) {
        for (int pane = 0; pane < 2; ++pane) {
            painter.save();
            painter.setClipRect(paneRect(pane));
            paintPane(painter, pane, pane == 0 ? m_original : m_upscaled, pane == 1);
            painter.restore();
        }
        paintLabel(painter, paneRect(0).topLeft() + QPointF(8, 8), originalText);
        paintLabel(painter, paneRect(1).topLeft() + QPointF(8, 8), upscaleText);
    } else {
        const double x = splitX();
        painter.save();
        painter.setClipRect(QRectF(0, 0, x, height()));
        paintPane(painter, 0, m_original, false);
        painter.restore();
        painter.save();
        painter.setClipRect(QRectF(x, 0, width() - x, height()));
        paintPane(painter, 0, m_upscaled, true);
        painter.restore();
        painter.setPen(QPen(Qt::white, 2));
        painter.drawLine(QPointF(x, 0), QPointF(x, height()));
        painter.setBrush(Qt::white);
        painter.drawEllipse(QPointF(x, height() / 2.0), 6, 6);
        paintLabel(painter, QPointF(8, 8), originalText);
        paintLabel(
            painter,
            QPointF(width() - 8 - QFontMetricsF(font()).horizontalAdvance(upscaleText) - 12, 8),
            upscaleText);
    }
    painter.setPen(Qt::white);
    paintLabel(painter, QPointF(8, height() - 28), tr("%1%").arg(std::lround(m_zoom * 100)));
    paintLoupe(painter);
}

} // namespace ripen::ui

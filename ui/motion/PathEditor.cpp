#include "motion/PathEditor.h"

#include "video/CameraMove.h"

#include <QKeyEvent>
#include <QMouseEvent>
#include <QPainter>
#include <QWheelEvent>
#include <algorithm>
#include <cmath>

namespace ripen::ui {
namespace {

// The still is drawn from a copy no larger than this: enough for a sharp editor on a
// large screen, small enough to repaint on every mouse move.
constexpr int kDrawnSide = 1600;
// New keys without a selected one to copy take this fraction of the largest crop.
constexpr double kNewKeyFraction = 0.6;
// One wheel notch (120 units) zooms a key by this factor.
constexpr double kWheelZoom = 1.1;
// Keys closer in time than this are the same key.
constexpr double kSameTime = 1e-3;

const QColor kKeyColour(255, 196, 0);
const QColor kSelectedColour(0, 200, 255);
const QColor kRouteColour(255, 255, 255, 110);

} // namespace

PathEditor::PathEditor(QWidget* parent) : QWidget(parent) {
    setObjectName(QStringLiteral("motionPathEditor"));
    setFocusPolicy(Qt::StrongFocus);
    setMouseTracking(false);
    setMinimumSize(320, 180);
}

void PathEditor::setStill(const QImage& still, QSize sourceSize) {
    m_still =
        still.width() > kDrawnSide || still.height() > kDrawnSide
            ? still.scaled(kDrawnSide, kDrawnSide, Qt::KeepAspectRatio, Qt::SmoothTransformation)
            : still;
    m_source = sourceSize;
    setKeys(m_keys);
}

void PathEditor::setOutputAspect(double aspect) {
    if (aspect <= 0 || std::abs(aspect - m_aspect) < 1e-9) {
        return;
    }
    m_aspect = aspect;
    const int selected = m_selected;
    setKeys(m_keys);
    selectKey(selected);
}

void PathEditor::setKeys(std::vector<ripen::PathKey> keys) {
    m_keys = std::move(keys);
    for (ripen::PathKey& key : m_keys) {
        key.rect = fitted(key.rect, key.rect.width);
    }
    std::ranges::sort(m_keys, {}, &ripen::PathKey::timeSeconds);
    m_selected = -1;
    m_dragging = false;
    update();
    emit keysChanged();
    emit selectionChanged(m_selected);
}

void PathEditor::selectKey(int index) {
    const int valid = index >= 0 && index < static_cast<int>(m_keys.size()) ? index : -1;
    if (valid == m_selected) {
        return;
    }
    m_selected = valid;
    update();
    emit selectionChanged(m_selected);
}

ripen::CropRect PathEditor::fitted(const ripen::CropRect& crop, double width) const {
    if (m_source.isEmpty()) {
        return crop;
    }
    return ripen::fittedCrop(crop.centerX(), crop.centerY(), width, m_aspect, m_source.width(),
                             m_source.height());
}

int PathEditor::addKey(QPointF sourcePoint) {
    if (m_source.isEmpty()) {
        return -1;
    }
    const double width =
        m_selected >= 0 ? m_keys[static_cast<std::size_t>(m_selected)].rect.width
                        : ripen::largestCrop(m_source.width(), m_source.height(), m_aspect).width *
                              kNewKeyFraction;
    ripen::PathKey key;
    key.timeSeconds = m_newKeyTime;
    key.rect = ripen::fittedCrop(sourcePoint.x(), sourcePoint.y(), width, m_aspect,
                                 m_source.width(), m_source.height());
    std::erase_if(m_keys, [&](const ripen::PathKey& other) {
        return std::abs(other.timeSeconds - key.timeSeconds) < kSameTime;
    });
    m_keys.push_back(key);
    sortKeys();
    const auto at = std::ranges::find_if(
        m_keys, [&](const ripen::PathKey& other) { return other.timeSeconds == key.timeSeconds; });
    m_selected = static_cast<int>(at - m_keys.begin());
    update();
    emit keysChanged();
    emit selectionChanged(m_selected);
    return m_selected;
}

void PathEditor::deleteSelectedKey() {
    if (m_selected < 0) {
        return;
    }
    m_keys.erase(m_keys.begin() + m_selected);
    m_selected = -1;
    update();
    emit keysChanged();
    emit selectionChanged(m_selected);
}

bool PathEditor::setSelectedTime(double seconds) {
    if (m_selected < 0) {
        return false;
    }
    for (std::size_t i = 0; i < m_keys.size(); ++i) {
        if (static_cast<int>(i) != m_selected &&
            std::abs(m_keys[i].timeSeconds - seconds) < kSameTime) {
            return false;
        }
    }
    m_keys[static_cast<std::size_t>(m_selected)].timeSeconds = seconds;
    sortKeys();
    m_selected = static_cast<int>(std::ranges::find(m_keys, seconds, &ripen::PathKey::timeSeconds) -
                                  m_keys.begin());
    update();
    emit keysChanged();
    emit selectionChanged(m_selected);
    return true;
}

void PathEditor::setSelectedEasing(ripen::Easing easing) {
    if (m_selected < 0 || m_keys[static_cast<std::size_t>(m_selected)].easing == easing) {
        return;
    }
    m_keys[static_cast<std::size_t>(m_selected)].easing = easing;
    update();
    emit keysChanged();
}

void PathEditor::setSelectedWidth(double width) {
    if (m_selected < 0) {
        return;
    }
    ripen::CropRect& rect = m_keys[static_cast<std::size_t>(m_selected)].rect;
    const ripen::CropRect resized = fitted(rect, width);
    if (std::abs(resized.width - rect.width) < 1e-6 && std::abs(resized.x - rect.x) < 1e-6 &&
        std::abs(resized.y - rect.y) < 1e-6) {
        return;
    }
    rect = resized;
    update();
    emit keysChanged();
}

void PathEditor::sortKeys() {
    std::ranges::stable_sort(m_keys, {}, &ripen::PathKey::timeSeconds);
}

QRectF PathEditor::imageRect() const {
    if (m_source.isEmpty()) {
        return {};
    }
    const QSizeF fitted = QSizeF(m_source).scaled(QSizeF(size()), Qt::KeepAspectRatio);
    return QRectF(QPointF((width() - fitted.width()) / 2, (height() - fitted.height()) / 2),
                  fitted);
}

QPointF PathEditor::sourceToWidget(QPointF point) const {
    const QRectF image = imageRect();
    if (image.isEmpty()) {
        return {};
    }
    const double scale = image.width() / m_source.width();
    return image.topLeft() + point * scale;
}

QRectF PathEditor::sourceToWidget(const ripen::CropRect& crop) const {
    return QRectF(sourceToWidget(QPointF(crop.x, crop.y)),
                  sourceToWidget(QPointF(crop.x + crop.width, crop.y + crop.height)));
}

QPointF PathEditor::widgetToSource(QPointF point) const {
    const QRectF image = imageRect();
    if (image.isEmpty()) {
        return {};
    }
    return (point - image.topLeft()) * (m_source.width() / image.width());
}

std::vector<ripen::CropRect> PathEditor::routeRects() const {
    std::vector<ripen::CropRect> route;
    if (m_keys.size() < 2) {
        return route;
    }
    const ripen::CameraPath camera(m_keys);
    const double from = m_keys.front().timeSeconds;
    const double to = m_keys.back().timeSeconds;
    for (int i = 1; i < kRouteSamples; ++i) {
        route.push_back(camera.at(from + (to - from) * i / kRouteSamples));
    }
    return route;
}

int PathEditor::keyAt(QPointF widgetPoint) const {
    if (m_selected >= 0 &&
        sourceToWidget(m_keys[static_cast<std::size_t>(m_selected)].rect).contains(widgetPoint)) {
        return m_selected;
    }
    // The smallest key under the point: a small key inside a large one stays reachable.
    int found = -1;
    double area = 0;
    for (std::size_t i = 0; i < m_keys.size(); ++i) {
        const QRectF drawn = sourceToWidget(m_keys[i].rect);
        const double here = drawn.width() * drawn.height();
        if (drawn.contains(widgetPoint) && (found < 0 || here < area)) {
            found = static_cast<int>(i);
            area = here;
        }
    }
    return found;
}

void PathEditor::paintEvent(QPaintEvent*) {
    QPainter painter(this);
    painter.fillRect(rect(), palette().color(QPalette::Base).darker(150));
    const QRectF image = imageRect();
    if (image.isEmpty()) {
        painter.setPen(palette().color(QPalette::Text));
        painter.drawText(rect(), Qt::AlignCenter, tr("No keyframe"));
        return;
    }
    painter.setRenderHint(QPainter::SmoothPixmapTransform);
    painter.drawImage(image, m_still);
    painter.setRenderHint(QPainter::Antialiasing);
    painter.setPen(QPen(kRouteColour, 1, Qt::DashLine));
    for (const ripen::CropRect& crop : routeRects()) {
        painter.drawRect(sourceToWidget(crop));
    }
    if (m_keys.size() >= 2) {
        QPolygonF centres;
        for (const ripen::PathKey& key : m_keys) {
            centres << sourceToWidget(QPointF(key.rect.centerX(), key.rect.centerY()));
        }
        painter.setPen(QPen(kKeyColour, 1.5));
        painter.drawPolyline(centres);
    }
    for (std::size_t i = 0; i < m_keys.size(); ++i) {
        const bool selected = static_cast<int>(i) == m_selected;
        const QRectF drawn = sourceToWidget(m_keys[i].rect);
        painter.setPen(QPen(selected ? kSelectedColour : kKeyColour, selected ? 3 : 2));
        painter.drawRect(drawn);
        const QString label = tr("%1 · %2 s").arg(i + 1).arg(m_keys[i].timeSeconds, 0, 'f', 1);
        const QRectF tag(drawn.topLeft() + QPointF(2, 2),
                         QSizeF(painter.fontMetrics().horizontalAdvance(label) + 8,
                                painter.fontMetrics().height() + 2));
        painter.fillRect(tag, QColor(0, 0, 0, 160));
        painter.drawText(tag, Qt::AlignCenter, label);
    }
}

void PathEditor::mousePressEvent(QMouseEvent* event) {
    if (event->button() != Qt::LeftButton || m_source.isEmpty()) {
        QWidget::mousePressEvent(event);
        return;
    }
    setFocus(Qt::MouseFocusReason);
    const QPointF source = widgetToSource(event->position());
    int index = keyAt(event->position());
    if (index < 0) {
        if (!imageRect().contains(event->position())) {
            return;
        }
        index = addKey(source);
    } else {
        selectKey(index);
    }
    const ripen::CropRect& grabbed = m_keys[static_cast<std::size_t>(index)].rect;
    m_grab = source - QPointF(grabbed.centerX(), grabbed.centerY());
    m_dragging = true;
}

void PathEditor::mouseMoveEvent(QMouseEvent* event) {
    if (!m_dragging || m_selected < 0) {
        return;
    }
    ripen::CropRect& rect = m_keys[static_cast<std::size_t>(m_selected)].rect;
    const QPointF centre = widgetToSource(event->position()) - m_grab;
    rect = ripen::fittedCrop(centre.x(), centre.y(), rect.width, m_aspect, m_source.width(),
                             m_source.height());
    update();
    emit keysChanged();
}

void PathEditor::mouseReleaseEvent(QMouseEvent* event) {
    if (event->button() == Qt::LeftButton) {
        m_dragging = false;
    }
}

void PathEditor::wheelEvent(QWheelEvent* event) {
    const int index = keyAt(event->position());
    if (index < 0 || event->angleDelta().y() == 0) {
        event->ignore();
        return;
    }
    selectKey(index);
    // Wheel up zooms in: a narrower crop.
    const double notches = event->angleDelta().y() / 120.0;
    setSelectedWidth(m_keys[static_cast<std::size_t>(index)].rect.width /
                     std::pow(kWheelZoom, notches));
    event->accept();
}

void PathEditor::keyPressEvent(QKeyEvent* event) {
    if ((event->key() == Qt::Key_Delete || event->key() == Qt::Key_Backspace) && m_selected >= 0) {
        deleteSelectedKey();
        event->accept();
        return;
    }
    QWidget::keyPressEvent(event);
}

} // namespace ripen::ui

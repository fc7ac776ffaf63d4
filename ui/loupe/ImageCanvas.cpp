#include "loupe/ImageCanvas.h"

#include <QMouseEvent>
#include <QPainter>
#include <algorithm>

namespace ripen::ui {

ImageCanvas::ImageCanvas(QWidget* parent) : QWidget(parent) {
    setObjectName(QStringLiteral("imageCanvas"));
    setAttribute(Qt::WA_OpaquePaintEvent);
    setMinimumSize(64, 64);
    setFocusPolicy(Qt::StrongFocus);
}

void ImageCanvas::setImage(const QImage& image) {
    const bool sameSize = !m_image.isNull() && image.size() == m_image.size();
    m_image = image;
    m_placeholder.clear();
    if (!sameSize) {
        m_center = QPointF(image.width() / 2.0, image.height() / 2.0);
    }
    clampCenter();
    update();
}

void ImageCanvas::setPlaceholder(const QString& text) {
    m_image = QImage();
    m_placeholder = text;
    update();
}

double ImageCanvas::fitScale() const {
    if (m_image.isNull()) {
        return 1.0;
    }
    // Fit, but never enlarge a small image past 100%.
    const double sx = static_cast<double>(width()) / m_image.width();
    const double sy = static_cast<double>(height()) / m_image.height();
    return std::min({sx, sy, 1.0});
}

double ImageCanvas::scale() const {
    return m_actualSize ? 1.0 : fitScale();
}

QRectF ImageCanvas::imageRect() const {
    const double s = scale();
    const QSizeF size(m_image.width() * s, m_image.height() * s);
    if (!m_actualSize) {
        QRectF rect(QPointF(0, 0), size);
        rect.moveCenter(QRectF(this->rect()).center());
        return rect;
    }
    const QPointF widgetCenter(width() / 2.0, height() / 2.0);
    return QRectF(widgetCenter - m_center, size);
}

QPointF ImageCanvas::center() const {
    if (m_image.isNull()) {
        return {0.5, 0.5};
    }
    const QPointF c =
        m_actualSize ? m_center : QPointF(m_image.width() / 2.0, m_image.height() / 2.0);
    return {c.x() / m_image.width(), c.y() / m_image.height()};
}

void ImageCanvas::clampCenter() {
    if (m_image.isNull()) {
        return;
    }
    // An image larger than the view may not be panned past its edges; a smaller one stays
    // centred on that axis.
    const auto clampAxis = [](double c, double image, double view) {
        if (image <= view) {
            return image / 2.0;
        }
        return std::clamp(c, view / 2.0, image - view / 2.0);
    };
    m_center.setX(clampAxis(m_center.x(), m_image.width(), width()));
    m_center.setY(clampAxis(m_center.y(), m_image.height(), height()));
}

void ImageCanvas::toggleZoom(QPointF widgetPos) {
    if (m_image.isNull()) {
        return;
    }
    if (m_actualSize) {
        m_actualSize = false;
    } else {
        const QRectF fitted = imageRect();
        const double s = scale();
        const QPointF imagePoint = (widgetPos - fitted.topLeft()) / s;
        // Keep that image point under the pointer at 100%.
        m_center = imagePoint - (widgetPos - QPointF(width() / 2.0, height() / 2.0));
        m_actualSize = true;
        clampCenter();
    }
    update();
    emitView();
}

void ImageCanvas::toggleZoom() {
    toggleZoom(QPointF(width() / 2.0, height() / 2.0));
}

void ImageCanvas::setView(bool actualSize, QPointF normalisedCenter) {
    m_actualSize = actualSize;
    if (!m_image.isNull()) {
        m_center = QPointF(normalisedCenter.x() * m_image.width(),
                           normalisedCenter.y() * m_image.height());
        clampCenter();
    }
    update();
}

void ImageCanvas::emitView() {
    emit viewChanged(m_actualSize, center());
}

void ImageCanvas::paintEvent(QPaintEvent*) {
    QPainter painter(this);
    const QPalette& pal = palette();
    painter.fillRect(rect(), pal.color(QPalette::Base).darker(115));
    if (m_image.isNull()) {
        painter.setPen(pal.color(QPalette::PlaceholderText));
        painter.drawText(rect(), Qt::AlignCenter | Qt::TextWordWrap, m_placeholder);
        return;
    }
    painter.setRenderHint(QPainter::SmoothPixmapTransform, !m_actualSize);
    painter.drawImage(imageRect(), m_image);
}

void ImageCanvas::mousePressEvent(QMouseEvent* event) {
    if (event->button() == Qt::LeftButton) {
        emit clicked();
        if (m_actualSize) {
            m_dragging = true;
            m_dragFrom = event->position();
            setCursor(Qt::ClosedHandCursor);
        }
    }
    QWidget::mousePressEvent(event);
}

void ImageCanvas::mouseMoveEvent(QMouseEvent* event) {
    if (m_dragging) {
        m_center -= event->position() - m_dragFrom;
        m_dragFrom = event->position();
        clampCenter();
        update();
        emitView();
    }
    QWidget::mouseMoveEvent(event);
}

void ImageCanvas::mouseReleaseEvent(QMouseEvent* event) {
    if (event->button() == Qt::LeftButton && m_dragging) {
        m_dragging = false;
        unsetCursor();
    }
    QWidget::mouseReleaseEvent(event);
}

void ImageCanvas::mouseDoubleClickEvent(QMouseEvent* event) {
    if (event->button() == Qt::LeftButton) {
        m_dragging = false;
        toggleZoom(event->position());
    }
}

void ImageCanvas::resizeEvent(QResizeEvent* event) {
    clampCenter();
    QWidget::resizeEvent(event);
}

} // namespace ripen::ui

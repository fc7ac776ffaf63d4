#include "motion/ConsistencyStrip.h"

#include <QMouseEvent>
#include <QPainter>
#include <algorithm>

namespace ripen::ui {
namespace {

constexpr int kMarkerHeight = 8; // the flag marks above the bars

} // namespace

ConsistencyStrip::ConsistencyStrip(QWidget* parent) : QWidget(parent) {
    setObjectName(QStringLiteral("motionConsistencyStrip"));
    setToolTip(tr("Change between neighbouring frames that the camera does not explain; "
                  "red marks a spike (morphing, flicker). Click to go there."));
    setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Fixed);
    setFixedHeight(sizeHint().height());
}

void ConsistencyStrip::setReport(const ripen::ConsistencyReport& report, double clipSeconds) {
    m_report = report;
    m_seconds = clipSeconds > 0 ? clipSeconds
                                : (report.changes.empty() ? 0 : report.changes.back().seconds);
    update();
}

void ConsistencyStrip::clear() {
    m_report = {};
    m_seconds = 0;
    m_cursor = -1;
    update();
}

void ConsistencyStrip::setCursorSeconds(double seconds) {
    m_cursor = seconds;
    update();
}

double ConsistencyStrip::xForSeconds(double seconds) const {
    return m_seconds > 0 ? std::clamp(seconds / m_seconds, 0.0, 1.0) * width() : 0;
}

double ConsistencyStrip::secondsAtX(double x) const {
    return width() > 0 ? std::clamp(x / width(), 0.0, 1.0) * m_seconds : 0;
}

double ConsistencyStrip::scaleTop() const {
    double top = m_report.structuralThreshold * 1.5;
    for (const ripen::FrameChange& change : m_report.changes) {
        top = std::max(top, change.structural);
    }
    return top > 0 ? top : 1.0;
}

void ConsistencyStrip::paintEvent(QPaintEvent*) {
    QPainter painter(this);
    painter.fillRect(rect(), palette().color(QPalette::Base));
    if (m_report.changes.empty() || m_seconds <= 0) {
        painter.setPen(palette().color(QPalette::PlaceholderText));
        painter.drawText(rect(), Qt::AlignCenter, tr("Play a clip to check it for morphing"));
        return;
    }
    const double plotHeight = height() - kMarkerHeight - 1;
    const double top = scaleTop();
    const double barWidth =
        std::max(1.0, static_cast<double>(width()) / static_cast<double>(m_report.changes.size()));
    const QColor calm = palette().color(QPalette::Highlight);
    const QColor alarm(230, 50, 50);
    for (const ripen::FrameChange& change : m_report.changes) {
        const double x = xForSeconds(change.seconds) - barWidth;
        const double h = std::max(1.0, plotHeight * change.structural / top);
        painter.fillRect(QRectF(x, height() - h, barWidth, h), change.flagged ? alarm : calm);
        if (change.flagged) {
            const double mid = x + barWidth / 2;
            painter.setPen(Qt::NoPen);
            painter.setBrush(alarm);
            painter.drawPolygon(QPolygonF{QPointF(mid - 4, 0), QPointF(mid + 4, 0),
                                          QPointF(mid, kMarkerHeight - 1)});
        }
    }
    if (m_report.structuralThreshold > 0) {
        const double y = height() - plotHeight * m_report.structuralThreshold / top;
        painter.setPen(QPen(palette().color(QPalette::Text), 1, Qt::DashLine));
        painter.drawLine(QPointF(0, y), QPointF(width(), y));
    }
    if (m_cursor >= 0) {
        painter.setPen(QPen(palette().color(QPalette::Text), 1));
        const double x = xForSeconds(m_cursor);
        painter.drawLine(QPointF(x, 0), QPointF(x, height()));
    }
}

void ConsistencyStrip::mousePressEvent(QMouseEvent* event) {
    if (event->button() == Qt::LeftButton && hasReport()) {
        emit seekRequested(secondsAtX(event->position().x()));
    }
}

} // namespace ripen::ui

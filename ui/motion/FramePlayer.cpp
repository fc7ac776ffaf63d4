#include "motion/FramePlayer.h"

#include <QPainter>
#include <algorithm>
#include <cmath>

namespace ripen::ui {
namespace {

constexpr int kInsetSide = 160; // px, the still's inset with the crop drawn on it

} // namespace

FramePlayer::FramePlayer(QWidget* parent) : QWidget(parent) {
    setAttribute(Qt::WA_OpaquePaintEvent);
    setMinimumSize(320, 180);
    m_timer.setTimerType(Qt::PreciseTimer);
    connect(&m_timer, &QTimer::timeout, this, [this] {
        if (!m_frames.isEmpty()) {
            showFrame((m_current + 1) % frameCount());
        }
    });
}

void FramePlayer::setFrames(QVector<QImage> frames, double fps, QVector<QRectF> crops) {
    m_frames = std::move(frames);
    m_crops = std::move(crops);
    m_fps = fps;
    m_current = 0;
    if (m_fps > 0) {
        m_timer.setInterval(static_cast<int>(std::lround(1000.0 / m_fps)));
    }
    if (m_frames.isEmpty()) {
        setPlaying(false);
    }
    update();
    emit frameChanged(0);
}

void FramePlayer::setStill(const QImage& still) {
    m_still = still.isNull() ? QImage()
                             : still.scaled(kInsetSide, kInsetSide, Qt::KeepAspectRatio,
                                            Qt::SmoothTransformation);
    update();
}

void FramePlayer::clear() {
    setFrames({}, 0);
}

void FramePlayer::showFrame(int index) {
    if (m_frames.isEmpty()) {
        return;
    }
    m_current = std::clamp(index, 0, frameCount() - 1);
    update();
    emit frameChanged(m_current);
}

void FramePlayer::setPlaying(bool playing) {
    const bool can = playing && !m_frames.isEmpty() && m_fps > 0;
    if (can == m_timer.isActive()) {
        return;
    }
    if (can) {
        m_timer.start();
    } else {
        m_timer.stop();
    }
    emit playingChanged(can);
}

void FramePlayer::paintEvent(QPaintEvent*) {
    QPainter painter(this);
    painter.fillRect(rect(), Qt::black);
    if (m_frames.isEmpty()) {
        painter.setPen(palette().color(QPalette::PlaceholderText));
        painter.drawText(rect(), Qt::AlignCenter, tr("Choose a keyframe and a camera move"));
        return;
    }
    const QImage& frame = m_frames[m_current];
    const QSize fitted = frame.size().scaled(size(), Qt::KeepAspectRatio);
    const QRect target(QPoint((width() - fitted.width()) / 2, (height() - fitted.height()) / 2),
                       fitted);
    painter.setRenderHint(QPainter::SmoothPixmapTransform);
    painter.drawImage(target, frame);
    if (m_still.isNull() || m_current >= m_crops.size()) {
        return;
    }
    // The still in the bottom-right corner with this frame's crop on it.
    const QRect inset(QPoint(width() - m_still.width() - 8, height() - m_still.height() - 8),
                      m_still.size());
    painter.setOpacity(0.85);
    painter.drawImage(inset, m_still);
    painter.setOpacity(1);
    const QRectF crop = m_crops[m_current];
    painter.setPen(QPen(QColor(255, 210, 0), 2));
    painter.setBrush(Qt::NoBrush);
    painter.drawRect(QRectF(inset.x() + crop.x() * inset.width(),
                            inset.y() + crop.y() * inset.height(), crop.width() * inset.width(),
                            crop.height() * inset.height()));
    painter.setPen(QPen(Qt::white, 1));
    painter.drawRect(inset.adjusted(0, 0, -1, -1));
}

} // namespace ripen::ui

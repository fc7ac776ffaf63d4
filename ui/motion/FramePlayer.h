#pragma once

#include <QImage>
#include <QRectF>
#include <QTimer>
#include <QVector>
#include <QWidget>

namespace ripen::ui {

// Plays decoded frames in a loop (a move's preview, a rendered clip): play/pause, a frame
// to show, and optionally the still with each frame's crop drawn over it in a corner, so
// the path of the camera can be seen. Holds the frames it is given; decodes nothing.
//
// Thread affinity: GUI thread.
class FramePlayer final : public QWidget {
    Q_OBJECT
public:
    explicit FramePlayer(QWidget* parent = nullptr);

    // `crops` (fractions of the still, one per frame) may be empty: no path inset.
    void setFrames(QVector<QImage> frames, double fps, QVector<QRectF> crops = {});
    void setStill(const QImage& still);
    void clear();

    int frameCount() const { return static_cast<int>(m_frames.size()); }
    int currentFrame() const { return m_current; }
    void showFrame(int index);
    double fps() const { return m_fps; }
    bool isPlaying() const { return m_timer.isActive(); }
    void setPlaying(bool playing);

    QSize sizeHint() const override { return {640, 360}; }

signals:
    void frameChanged(int index);
    void playingChanged(bool playing);

protected:
    void paintEvent(QPaintEvent* event) override;

private:
    QVector<QImage> m_frames;
    QVector<QRectF> m_crops;
    QImage m_still; // a small copy, for the inset
    double m_fps = 0;
    int m_current = 0;
    QTimer m_timer;
};

} // namespace ripen::ui

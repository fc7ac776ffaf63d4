#pragma once

#include "video/CameraMove.h"

#include <QImage>
#include <QObject>
#include <QRectF>
#include <QSize>
#include <QThreadPool>
#include <QVector>
#include <atomic>
#include <memory>

namespace ripen::ui {

// A camera move previewed at a small size: core renders the frames (the same sampling as
// the MP4) on this object's worker, and they come back as one list to play. Clips decode
// the same way (core's frame reader), to be played inside Ripen. A new request
// cancels the one in flight; at most kMaxFrames frames are kept (the preview's frame rate
// drops on long moves so it still plays in real time).
//
// Thread affinity: GUI thread; the worker is drained by the destructor.
class MovePreview final : public QObject {
    Q_OBJECT
public:
    static constexpr int kMaxFrames = 240;
    static constexpr QSize kBox{480, 270}; // the preview frame is fitted into this

    struct Frames {
        QVector<QImage> images;
        QVector<QRectF> crops; // each frame's crop as a fraction of the still (0..1)
        double fps = 0;        // the preview's rate
    };

    explicit MovePreview(QObject* parent = nullptr);
    ~MovePreview() override;
    MovePreview(const MovePreview&) = delete;
    MovePreview& operator=(const MovePreview&) = delete;

    // `outputSize` is the video's (its aspect is the preview's); `fps` the video's rate.
    void render(const QImage& still, ripen::CameraMove move, double seconds, QSize outputSize,
                int fps);
    // The same for a keyframed path over the still (keys in the still's pixels).
    void renderPath(const QImage& still, const ripen::CameraPath& path, double seconds,
                    QSize outputSize, int fps);
    // Decodes a clip (a rendered move, a provider's video) at preview size to play it in
    // Ripen: every frame up to kMaxFrames, then every Nth so the whole clip fits.
    void decodeClip(const QString& file, double fps, double seconds);
    bool isBusy() const { return m_pending > 0; }

    // The preview's frame size and rate for a video of `outputSize` at `fps` lasting
    // `seconds`.
    static QSize frameSize(QSize outputSize);
    static double previewFps(double seconds, int fps);

signals:
    void framesReady(const ripen::ui::MovePreview::Frames& frames);
    void failed(const QString& message);

private:
    template <class Work> void start(Work work);

    QThreadPool m_pool;
    std::shared_ptr<std::atomic<bool>> m_cancel;
    quint64 m_generation = 0;
    int m_pending = 0;
};

} // namespace ripen::ui

Q_DECLARE_METATYPE(ripen::ui::MovePreview::Frames)

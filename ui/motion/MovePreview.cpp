#include "motion/MovePreview.h"

#include "PathText.h"
#include "internal/QueuedProgressSink.h"
#include "video/PreviewFrames.h"
#include "video/VideoProbe.h"

#include <QMetaObject>
#include <QtConcurrent/QtConcurrentRun>
#include <algorithm>
#include <cmath>

namespace ripen::ui {
namespace {

QImage copyOf(const ripen::Pixels3& pixels, QImage::Format format) {
    return QImage(pixels.data, pixels.width, pixels.height, static_cast<qsizetype>(pixels.stride),
                  format)
        .copy();
}

MovePreview::Frames renderFrames(const QImage& still, ripen::CameraMove move,
                                 const std::optional<ripen::CameraPath>& path, double seconds,
                                 QSize outputSize, int fps, ripen::ProgressSink& progress,
                                 QString* error) {
    MovePreview::Frames frames;
    const QImage rgb = still.convertToFormat(QImage::Format_RGB888);
    const QSize size = MovePreview::frameSize(outputSize);
    ripen::MovePreviewRequest request;
    request.move = move;
    request.path = path;
    request.durationSeconds = seconds;
    request.outputAspect = static_cast<double>(outputSize.width()) / outputSize.height();
    request.width = size.width();
    request.height = size.height();
    request.fps = std::max(1, static_cast<int>(MovePreview::previewFps(seconds, fps)));
    frames.fps = request.fps;
    auto rendered = ripen::renderMovePreview(
        ripen::Pixels3{rgb.constBits(), rgb.width(), rgb.height(),
                       static_cast<std::size_t>(rgb.bytesPerLine())},
        request,
        [&](const ripen::Pixels3& frame, const ripen::CropRect& crop) -> ripen::Status {
            frames.images.push_back(copyOf(frame, QImage::Format_RGB888));
            frames.crops.push_back(QRectF(crop.x / rgb.width(), crop.y / rgb.height(),
                                          crop.width / rgb.width(), crop.height / rgb.height()));
            return {};
        },
        progress);
    if (!rendered) {
        *error = QString::fromStdString(rendered.error().message);
        return {};
    }
    return frames;
}

MovePreview::Frames decodeFrames(const QString& file, double fps, double seconds,
                                 ripen::ProgressSink& progress, QString* error) {
    MovePreview::Frames frames;
    if (fps <= 0) {
        // A clip whose provenance has no rate (a provider's, stored before the queue kept
        // it): the file's own rate, never a guess. On this worker thread, like the decode.
        if (const auto info = ripen::probeVideo(PathText::toPath(file));
            info && info->frameRateNum > 0 && info->frameRateDen > 0) {
            fps = static_cast<double>(info->frameRateNum) / info->frameRateDen;
        }
    }
    const double total = std::max(1.0, fps * seconds);
    const int step = std::max(1, static_cast<int>(std::ceil(total / MovePreview::kMaxFrames)));
    frames.fps = fps > 0 ? fps / step : 24;
    auto decoded = ripen::decodeClipFrames(
        PathText::toPath(file), MovePreview::kBox.width(),
        [&](int index, const ripen::Pixels3& frame) -> ripen::Status {
            if (index % step == 0 && frames.images.size() < MovePreview::kMaxFrames) {
                frames.images.push_back(copyOf(frame, QImage::Format_BGR888));
            }
            return {};
        },
        progress);
    if (!decoded) {
        *error = QString::fromStdString(decoded.error().message);
        return {};
    }
    return frames;
}

} // namespace

MovePreview::MovePreview(QObject* parent) : QObject(parent) {
    m_pool.setMaxThreadCount(1);
    qRegisterMetaType<ripen::ui::MovePreview::Frames>();
}

MovePreview::~MovePreview() {
    if (m_cancel) {
        m_cancel->store(true);
    }
    m_pool.waitForDone();
}

QSize MovePreview::frameSize(QSize outputSize) {
    if (outputSize.isEmpty()) {
        return kBox;
    }
    const QSize fitted = outputSize.scaled(kBox, Qt::KeepAspectRatio);
    return QSize(std::max(2, fitted.width() & ~1), std::max(2, fitted.height() & ~1));
}

double MovePreview::previewFps(double seconds, int fps) {
    if (seconds <= 0) {
        return fps;
    }
    return std::clamp(std::floor(kMaxFrames / seconds), 1.0, static_cast<double>(fps));
}

// Runs `work(progress, error) -> Frames` on the worker, cancelling the one before.
template <class Work> void MovePreview::start(Work work) {
    if (m_cancel) {
        m_cancel->store(true); // the older frames are no longer wanted
    }
    auto cancel = std::make_shared<std::atomic<bool>>(false);
    m_cancel = cancel;
    const quint64 generation = ++m_generation;
    ++m_pending;
    (void)QtConcurrent::run(&m_pool, [this, work = std::move(work), cancel, generation] {
        QueuedProgressSink progress(this, cancel, [](qint64, qint64, const QString&) {});
        QString error;
        Frames frames = work(progress, &error);
        QMetaObject::invokeMethod(
            this,
            [this, frames = std::move(frames), error, generation] {
                --m_pending;
                if (generation != m_generation) {
                    return; // newer frames are on their way
                }
                if (!error.isEmpty()) {
                    emit failed(error);
                    return;
                }
                emit framesReady(frames);
            },
            Qt::QueuedConnection);
    });
}

void MovePreview::render(const QImage& still, ripen::CameraMove move, double seconds,
                         QSize outputSize, int fps) {
    start([still, move, seconds, outputSize, fps](ripen::ProgressSink& progress, QString* error) {
        return renderFrames(still, move, std::nullopt, seconds, outputSize, fps, progress, error);
    });
}

void MovePreview::renderPath(const QImage& still, const ripen::CameraPath& path, double seconds,
                             QSize outputSize, int fps) {
    start([still, path, seconds, outputSize, fps](ripen::ProgressSink& progress, QString* error) {
        return renderFrames(still, ripen::CameraMove::ZoomIn, path, seconds, outputSize, fps,
                            progress, error);
    });
}

void MovePreview::decodeClip(const QString& file, double fps, double seconds) {
    start([file, fps, seconds](ripen::ProgressSink& progress, QString* error) {
        return decodeFrames(file, fps, seconds, progress, error);
    });
}

} // namespace ripen::ui

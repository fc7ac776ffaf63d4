#include "gallery/ThumbnailCache.h"

#include <QFileInfo>
#include <QImageReader>
#include <QMetaObject>
#include <QThread>
#include <QtConcurrent/QtConcurrentRun>
#include <algorithm>

namespace ripen::ui {

namespace {

QImage readScaled(const QString& file, int maxEdge) {
    QImageReader reader(file);
    reader.setAutoTransform(true);
    const QSize size = reader.size();
    if (size.isValid() && (size.width() > maxEdge || size.height() > maxEdge)) {
        // Lets JPEG decode at a fraction of full size, and bounds memory for the rest.
        reader.setScaledSize(size.scaled(maxEdge, maxEdge, Qt::KeepAspectRatio));
    }
    QImage image = reader.read();
    if (!image.isNull() && (image.width() > maxEdge || image.height() > maxEdge)) {
        image = image.scaled(maxEdge, maxEdge, Qt::KeepAspectRatio, Qt::SmoothTransformation);
    }
    return image;
}

} // namespace

ThumbnailCache::ThumbnailCache(int maxEdge, QObject* parent)
    : QObject(parent), m_maxEdge(maxEdge),
      m_maxInFlight(std::clamp(QThread::idealThreadCount() / 2, 2, 6)) {
    m_pool.setMaxThreadCount(m_maxInFlight);
    setMemoryLimit(qint64{192} * 1024 * 1024);
}

ThumbnailCache::~ThumbnailCache() {
    m_queue.clear();
    m_pool.waitForDone();
}

void ThumbnailCache::setMemoryLimit(qint64 bytes) {
    m_cache.setMaxCost(std::max<qint64>(bytes / 1024, 1));
}

QPixmap ThumbnailCache::thumbnail(const QString& key, const QString& thumbnailFile,
                                  const QString& sourceFile) {
    if (const QPixmap* cached = m_cache.object(key)) {
        return *cached;
    }
    if (m_failed.contains(key)) {
        return {};
    }
    if (!m_wanted.contains(key)) {
        m_wanted.insert(key);
        m_queue.append(Request{key, thumbnailFile, sourceFile});
        if (m_queue.size() > kMaxBacklog) {
            // The oldest requests are for rows long scrolled past; a repaint asks again.
            m_wanted.remove(m_queue.front().key);
            m_queue.removeFirst();
        }
        // Deferred so that a burst of data() calls from one paint is served newest first.
        QMetaObject::invokeMethod(this, &ThumbnailCache::pump, Qt::QueuedConnection);
    }
    return {};
}

void ThumbnailCache::prefetch(const QString& key, const QString& thumbnailFile,
                              const QString& sourceFile) {
    // contains(), unlike object(), leaves the LRU order alone: a prefetch is not a use.
    if (m_cache.contains(key) || m_failed.contains(key) || m_wanted.contains(key) ||
        m_queue.size() >= kMaxBacklog) {
        return;
    }
    m_wanted.insert(key);
    m_queue.prepend(Request{key, thumbnailFile, sourceFile}); // served from the back: last
    QMetaObject::invokeMethod(this, &ThumbnailCache::pump, Qt::QueuedConnection);
}

ThumbnailCache::State ThumbnailCache::state(const QString& key) const {
    if (m_cache.contains(key)) {
        return State::Ready;
    }
    return m_failed.contains(key) ? State::Failed : State::Loading;
}

void ThumbnailCache::clear() {
    m_cache.clear();
    m_failed.clear();
    for (const Request& request : std::as_const(m_queue)) {
        m_wanted.remove(request.key);
    }
    m_queue.clear();
}

void ThumbnailCache::pump() {
    while (m_inFlight < m_maxInFlight && !m_queue.isEmpty()) {
        Request request = m_queue.takeLast();
        ++m_inFlight;
        (void)QtConcurrent::run(&m_pool, [this, request, maxEdge = m_maxEdge] {
            const QImage image = decode(request.thumbnailFile, request.sourceFile, maxEdge);
            // This object waits for the pool in its destructor, so it is alive here.
            QMetaObject::invokeMethod(
                this, [this, key = request.key, image] { finish(key, image); },
                Qt::QueuedConnection);
        });
    }
}

void ThumbnailCache::finish(const QString& key, const QImage& image) {
    --m_inFlight;
    m_wanted.remove(key);
    if (image.isNull()) {
        m_failed.insert(key);
        emit thumbnailFailed(key);
    } else {
        auto* pixmap = new QPixmap(QPixmap::fromImage(image));
        const qint64 cost = std::max<qint64>(pixmap->width() * pixmap->height() * 4 / 1024, 1);
        m_cache.insert(key, pixmap, cost);
        emit thumbnailReady(key);
    }
    pump();
}

QImage ThumbnailCache::decode(const QString& thumbnailFile, const QString& sourceFile,
                              int maxEdge) {
    if (!thumbnailFile.isEmpty() && QFileInfo::exists(thumbnailFile)) {
        QImage image = readScaled(thumbnailFile, maxEdge);
        if (!image.isNull()) {
            return image;
        }
    }
    if (sourceFile.isEmpty()) {
        return {};
    }
    return readScaled(sourceFile, maxEdge);
}

} // namespace ripen::ui

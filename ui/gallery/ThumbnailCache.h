#pragma once

#include <QCache>
#include <QImage>
#include <QList>
#include <QObject>
#include <QPixmap>
#include <QSet>
#include <QString>
#include <QThreadPool>

namespace ripen::ui {

// Thumbnails for item models that must never block (STYLE.md rule 8). thumbnail() answers
// at once: the cached pixmap, or nothing and a load is scheduled. A load reads the
// library's thumbnail file (thumbs/ab/<sha>.jpg) with QImageReader on a worker; when that
// file is missing or unreadable it decodes the original at reduced size instead. When a
// load lands, thumbnailReady(key) is emitted so the model can repaint that one row.
//
// Requests are served newest first and the backlog is bounded, so scrolling quickly
// through a large grid does not queue decodes for rows that went out of view long ago.
//
// Thread affinity: GUI thread; decoding runs on an internal pool that the destructor
// drains.
class ThumbnailCache final : public QObject {
    Q_OBJECT
public:
    enum class State { Loading, Ready, Failed };

    explicit ThumbnailCache(int maxEdge = 256, QObject* parent = nullptr);
    ~ThumbnailCache() override;
    ThumbnailCache(const ThumbnailCache&) = delete;
    ThumbnailCache& operator=(const ThumbnailCache&) = delete;

    // The longest edge, in pixels, of decoded thumbnails.
    int maxEdge() const { return m_maxEdge; }

    // The cached pixmap for `key` (e.g. the asset's SHA-256), or a null pixmap after
    // scheduling a load from `thumbnailFile`, falling back to `sourceFile`.
    QPixmap thumbnail(const QString& key, const QString& thumbnailFile, const QString& sourceFile);
    // Loads `key` ahead of need (rows just outside the view), behind every request a paint
    // made, so it never delays a visible thumbnail. Does nothing when the thumbnail is
    // cached, failed or already wanted, or when the backlog is full.
    void prefetch(const QString& key, const QString& thumbnailFile, const QString& sourceFile);
    State state(const QString& key) const;

    // Bytes of pixmap data kept in memory (least recently used evicted first).
    void setMemoryLimit(qint64 bytes);
    bool isBusy() const { return m_inFlight > 0 || !m_queue.isEmpty(); }
    // Forgets everything cached, queued and failed; loads in flight still report.
    void clear();

    // Decodes one thumbnail; the worker-side half, public for tests.
    static QImage decode(const QString& thumbnailFile, const QString& sourceFile, int maxEdge);

signals:
    void thumbnailReady(const QString& key);
    void thumbnailFailed(const QString& key);

private:
    struct Request {
        QString key;
        QString thumbnailFile;
        QString sourceFile;
    };

    void pump();
    void finish(const QString& key, const QImage& image);

    static constexpr int kMaxBacklog = 512;

    int m_maxEdge;
    int m_maxInFlight;
    QCache<QString, QPixmap> m_cache; // cost in KiB
    QSet<QString> m_failed;
    QSet<QString> m_wanted; // queued or in flight
    QList<Request> m_queue; // oldest first; served from the back
    int m_inFlight = 0;
    QThreadPool m_pool;
};

} // namespace ripen::ui

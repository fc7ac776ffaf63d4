#pragma once

#include <QCache>
#include <QImage>
#include <QObject>
#include <QSet>
#include <QString>
#include <QThreadPool>

namespace ripen::ui {

// Decodes full-size images for the loupe and compare views on worker threads
// (QImageReader, EXIF orientation applied, refused above kMaxPixels so that a hostile
// file cannot exhaust memory), keeping the last few in memory so that stepping back and
// forth through a shoot does not decode the same file again.
//
// Thread affinity: GUI thread; decodes run on its own pool, drained by the destructor.
class FullImageLoader final : public QObject {
    Q_OBJECT
public:
    static constexpr qint64 kMaxPixels = 100'000'000; // 100 MP, core's image limit

    explicit FullImageLoader(QObject* parent = nullptr);
    ~FullImageLoader() override;
    FullImageLoader(const FullImageLoader&) = delete;
    FullImageLoader& operator=(const FullImageLoader&) = delete;

    // The decoded image for `file` now, or a null image after scheduling its decode
    // (imageReady or imageFailed follows).
    QImage image(const QString& file);
    bool isBusy() const { return !m_inFlight.isEmpty(); }

    // The worker-side half, public for tests: decodes `file` or says why not.
    static QImage decode(const QString& file, QString* error);

signals:
    void imageReady(const QString& file);
    void imageFailed(const QString& file, const QString& message);

private:
    QCache<QString, QImage> m_cache; // cost in KiB
    QSet<QString> m_inFlight;
    QString m_lastFile; // the newest decode, kept even when the cache cannot hold it
    QImage m_last;
    QThreadPool m_pool;
};

} // namespace ripen::ui

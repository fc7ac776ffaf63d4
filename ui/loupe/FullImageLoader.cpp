#include "loupe/FullImageLoader.h"

#include <QImageReader>
#include <QMetaObject>
#include <QtConcurrent/QtConcurrentRun>
#include <algorithm>
#include <climits>

namespace ripen::ui {

FullImageLoader::FullImageLoader(QObject* parent) : QObject(parent) {
    m_cache.setMaxCost(512 * 1024); // 512 MiB of decoded pixels
    m_pool.setMaxThreadCount(2);
}

FullImageLoader::~FullImageLoader() {
    m_pool.clear();
    m_pool.waitForDone();
}

QImage FullImageLoader::decode(const QString& file, QString* error) {
    QImageReader reader(file);
    reader.setAutoTransform(true);
    const QSize size = reader.size();
    if (size.isValid() && static_cast<qint64>(size.width()) * size.height() > kMaxPixels) {
        *error = QObject::tr("%1 × %2 px is larger than the viewer shows")
                     .arg(size.width())
                     .arg(size.height());
        return {};
    }
    QImage image = reader.read();
    if (image.isNull()) {
        *error = reader.errorString();
    }
    return image;
}

QImage FullImageLoader::image(const QString& file) {
    if (const QImage* cached = m_cache.object(file)) {
        return *cached;
    }
    if (file == m_lastFile) {
        return m_last; // too large for the cache
    }
    if (file.isEmpty() || m_inFlight.contains(file)) {
        return {};
    }
    m_inFlight.insert(file);
    (void)QtConcurrent::run(&m_pool, [this, file] {
        QString error;
        const QImage decoded = decode(file, &error);
        QMetaObject::invokeMethod(
            this,
            [this, file, decoded, error] {
                m_inFlight.remove(file);
                if (decoded.isNull()) {
                    emit imageFailed(file, error);
                    return;
                }
                const qint64 kib = std::max<qint64>(1, decoded.sizeInBytes() / 1024);
                m_lastFile = file;
                m_last = decoded;
                m_cache.insert(file, new QImage(decoded),
                               static_cast<int>(std::min<qint64>(kib, INT_MAX)));
                emit imageReady(file);
            },
            Qt::QueuedConnection);
    });
    return {};
}

} // namespace ripen::ui

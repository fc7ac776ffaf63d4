#pragma once

#include <QImage>
#include <QObject>
#include <QSize>
#include <QString>
#include <QStringList>
#include <QThreadPool>

namespace ripen::ui {

// A first demo library with no key and no download: Ripen draws a set of landscapes itself
// (Qt's raster engine on a worker thread) and writes them as PNGs whose "parameters" text
// (AUTOMATIC1111's format, which import reads) holds a prompt, "Provider: ripen" and the
// licence (CC0: drawn by Ripen), so the imported assets can be searched, culled, rated and
// used as references at once. Files are written atomically; the caller imports the folder.
//
// Thread affinity: GUI thread; the destructor waits for the worker.
class DemoLibraryMaker final : public QObject {
    Q_OBJECT
public:
    static constexpr int kDefaultCount = 12;

    explicit DemoLibraryMaker(QObject* parent = nullptr);
    ~DemoLibraryMaker() override;

    // Draws `count` scenes into `folder` (created); answers finished.
    void make(const QString& folder, int count = kDefaultCount, QSize size = {1024, 768});
    bool isBusy() const { return m_busy; }

    // Scene `index` (its palette and hills follow the index), and the prompt describing it.
    static QImage drawScene(int index, QSize size);
    static QString promptOf(int index);

signals:
    // The files written (all of them, or none and a reason).
    void finished(const QStringList& files, const QString& error);

private:
    QThreadPool m_pool;
    bool m_busy = false;
};

} // namespace ripen::ui

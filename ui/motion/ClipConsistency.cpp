#include "motion/ClipConsistency.h"

#include "PathText.h"
#include "internal/QueuedProgressSink.h"

#include <QMetaObject>
#include <QtConcurrent/QtConcurrentRun>

namespace ripen::ui {

ClipConsistency::ClipConsistency(QObject* parent) : QObject(parent) {
    m_pool.setMaxThreadCount(1);
    qRegisterMetaType<ripen::ConsistencyReport>();
}

ClipConsistency::~ClipConsistency() {
    if (m_cancel) {
        m_cancel->store(true);
    }
    m_pool.waitForDone();
}

void ClipConsistency::check(const QString& clipFile) {
    if (m_cancel) {
        m_cancel->store(true); // the older clip's figures are no longer wanted
    }
    auto cancel = std::make_shared<std::atomic<bool>>(false);
    m_cancel = cancel;
    const quint64 generation = ++m_generation;
    ++m_pending;
    (void)QtConcurrent::run(&m_pool, [this, clipFile, cancel, generation] {
        QueuedProgressSink progress(this, cancel, [](qint64, qint64, const QString&) {});
        auto report = ripen::checkConsistency(PathText::toPath(clipFile), progress);
        QMetaObject::invokeMethod(
            this,
            [this, clipFile, report = std::move(report), generation] {
                --m_pending;
                if (generation != m_generation) {
                    return; // a newer clip is being checked
                }
                if (!report) {
                    emit failed(clipFile, QString::fromStdString(report.error().message));
                    return;
                }
                emit checked(clipFile, *report);
            },
            Qt::QueuedConnection);
    });
}

} // namespace ripen::ui

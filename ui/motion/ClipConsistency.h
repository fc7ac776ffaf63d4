#pragma once

#include "video/ConsistencyCheck.h"

#include <QMetaType>
#include <QObject>
#include <QString>
#include <QThreadPool>
#include <atomic>
#include <memory>

namespace ripen::ui {

// Runs core's temporal consistency check (core/video/ConsistencyCheck) on a clip file off
// the GUI thread, one clip at a time: a new check cancels the one before, whose answer is
// then dropped. Answers `checked` or `failed` on the GUI thread, naming the file.
//
// Thread affinity: GUI thread; the worker is drained by the destructor.
class ClipConsistency final : public QObject {
    Q_OBJECT
public:
    explicit ClipConsistency(QObject* parent = nullptr);
    ~ClipConsistency() override;
    ClipConsistency(const ClipConsistency&) = delete;
    ClipConsistency& operator=(const ClipConsistency&) = delete;

    void check(const QString& clipFile);
    bool isBusy() const { return m_pending > 0; }

signals:
    void checked(const QString& clipFile, const ripen::ConsistencyReport& report);
    void failed(const QString& clipFile, const QString& message);

private:
    QThreadPool m_pool;
    std::shared_ptr<std::atomic<bool>> m_cancel;
    quint64 m_generation = 0;
    int m_pending = 0;
};

} // namespace ripen::ui

Q_DECLARE_METATYPE(ripen::ConsistencyReport)

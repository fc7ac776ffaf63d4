#pragma once

#include "jobs/Job.h"

#include <QList>
#include <QSet>
#include <QString>
#include <vector>

namespace ripen::ui {

// The jobs an editor view queued and is waiting for (an inpaint, an image-to-video), so it
// can pick up their results when the job lane lists them as finished.
//
// Thread affinity: GUI thread (it reads the lane's job list).
class JobWatch {
public:
    void add(const QList<qint64>& ids);
    void clear() { m_ids.clear(); }
    bool isEmpty() const { return m_ids.isEmpty(); }

    // The watched jobs that are final in `jobs` (the lane's list), no longer watched.
    std::vector<ripen::Job> takeFinished(const std::vector<ripen::Job>& jobs);

    // "Job 7 failed: <reason>" for a job that did not succeed, `succeeded` for one that did.
    static QString describe(const ripen::Job& job, const QString& succeeded);

private:
    QSet<qint64> m_ids;
};

} // namespace ripen::ui

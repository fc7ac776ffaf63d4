#include "queue/JobWatch.h"

#include <QCoreApplication>

namespace ripen::ui {

void JobWatch::add(const QList<qint64>& ids) {
    for (const qint64 id : ids) {
        m_ids.insert(id);
    }
}

std::vector<ripen::Job> JobWatch::takeFinished(const std::vector<ripen::Job>& jobs) {
    std::vector<ripen::Job> finished;
    for (const ripen::Job& job : jobs) {
        if (m_ids.contains(job.id) && ripen::isFinal(job.state)) {
            m_ids.remove(job.id);
            finished.push_back(job);
        }
    }
    return finished;
}

QString JobWatch::describe(const ripen::Job& job, const QString& succeeded) {
    if (job.state == ripen::JobState::Succeeded) {
        return succeeded;
    }
    return QCoreApplication::translate("JobWatch", "Job %1 %2: %3")
        .arg(job.id)
        .arg(QString::fromUtf8(ripen::toString(job.state).data()),
             QString::fromStdString(job.error));
}

} // namespace ripen::ui

#include "queue/JobTableModel.h"

#include "MoneyText.h"
#include "queue/JobLane.h"
#include "theme/Theme.h"

#include <QBrush>
#include <algorithm>

namespace ripen::ui {

namespace {

// States whose stored error is what the user needs to read (the provider's words, or why
// the charge is unknown) instead of the prompt.
bool stoppedWithError(ripen::JobState state) {
    return state == ripen::JobState::Failed || state == ripen::JobState::Interrupted ||
           state == ripen::JobState::Canceled;
}

// Whether a listing changed anything a row shows (the request never changes once queued).
bool showsTheSame(const ripen::Job& shown, const ripen::Job& listed) {
    return shown.state == listed.state && shown.priority == listed.priority &&
           shown.cost == listed.cost && shown.estimate == listed.estimate &&
           shown.unit == listed.unit && shown.error == listed.error;
}

} // namespace

JobTableModel::JobTableModel(JobLane& lane, QObject* parent)
    : QAbstractTableModel(parent), m_lane(lane) {
    connect(&m_lane, &JobLane::jobsChanged, this, &JobTableModel::sync);
    connect(&m_lane, &JobLane::jobUpdated, this, &JobTableModel::onJobUpdated);
    connect(&m_lane, &JobLane::jobsUpdated, this, &JobTableModel::onJobsUpdated);
    sync();
}

int JobTableModel::rowCount(const QModelIndex& parent) const {
    return parent.isValid() ? 0 : static_cast<int>(m_rows.size());
}

int JobTableModel::columnCount(const QModelIndex& parent) const {
    return parent.isValid() ? 0 : ColumnCount;
}

const ripen::Job* JobTableModel::jobAt(int row) const {
    return row >= 0 && row < rowCount() ? &m_rows[static_cast<std::size_t>(row)] : nullptr;
}

int JobTableModel::rowOf(ripen::JobId id) const {
    return m_rowById.value(id, -1);
}

QString JobTableModel::stateText(ripen::JobState state) {
    switch (state) {
    case ripen::JobState::Queued:
        return tr("Queued");
    case ripen::JobState::Submitting:
        return tr("Sending");
    case ripen::JobState::Running:
        return tr("Running");
    case ripen::JobState::Storing:
        return tr("Saving");
    case ripen::JobState::Succeeded:
        return tr("Done");
    case ripen::JobState::Failed:
        return tr("Failed");
    case ripen::JobState::Canceled:
        return tr("Canceled");
    case ripen::JobState::Interrupted:
        return tr("Interrupted (charge unknown)");
    }
    return {};
}

QString JobTableModel::costText(const ripen::Job& job) const {
    if (job.cost) {
        return MoneyText::format(*job.cost, job.unit);
    }
    // Not settled yet: the estimate, marked as such.
    return QStringLiteral("≈ ") + MoneyText::format(job.estimate, job.unit);
}

QVariant JobTableModel::data(const QModelIndex& index, int role) const {
    const ripen::Job* job = index.isValid() ? jobAt(index.row()) : nullptr;
    if (job == nullptr || index.column() >= ColumnCount) {
        return {};
    }
    switch (role) {
    case JobIdRole:
        return QVariant::fromValue<qint64>(job->id);
    case StateRole:
        return static_cast<int>(job->state);
    case PriorityRole:
        return job->priority;
    case ProgressRole: {
        if (job->state == ripen::JobState::Succeeded) {
            return 1.0;
        }
        const auto progress = m_lane.progressOf(job->id);
        return progress ? QVariant(*progress) : QVariant();
    }
    case Qt::TextAlignmentRole:
        if (index.column() == IdColumn || index.column() == CostColumn) {
            return QVariant::fromValue(Qt::AlignRight | Qt::AlignVCenter);
        }
        return QVariant::fromValue(Qt::AlignLeft | Qt::AlignVCenter);
    case Qt::ForegroundRole:
        if (index.column() == MessageColumn && !job->error.empty() &&
            job->state != ripen::JobState::Canceled && stoppedWithError(job->state)) {
            return QBrush(Theme::labelColor(ripen::ColorLabel::Red));
        }
        return {};
    case Qt::ToolTipRole:
        if (index.column() == MessageColumn || index.column() == ModelColumn) {
            return QString::fromStdString(job->error.empty() ? job->request.prompt : job->error);
        }
        if (index.column() == CostColumn) {
            return job->cost ? tr("Settled charge") : tr("Estimate from the price book");
        }
        return {};
    case Qt::DisplayRole:
        break;
    default:
        return {};
    }
    switch (index.column()) {
    case IdColumn:
        return QString::number(job->id);
    case ModelColumn:
        return QStringLiteral("%1 · %2").arg(QString::fromStdString(job->request.provider),
                                             QString::fromStdString(job->request.model));
    case StateColumn: {
        QString text = stateText(job->state);
        if (job->priority != 0 && job->state == ripen::JobState::Queued) {
            text += tr(" (priority %1)").arg(job->priority);
        }
        return text;
    }
    case ProgressColumn: {
        const QVariant progress = data(index.siblingAtColumn(ProgressColumn), ProgressRole);
        return progress.isValid() ? QStringLiteral("%1%").arg(qRound(progress.toDouble() * 100))
                                  : QString();
    }
    case CostColumn:
        return costText(*job);
    case MessageColumn: {
        if (!job->error.empty() && stoppedWithError(job->state)) {
            return QString::fromStdString(job->error);
        }
        const QString message = m_lane.messageOf(job->id);
        return message.isEmpty() ? QString::fromStdString(job->request.prompt) : message;
    }
    default:
        return {};
    }
}

QVariant JobTableModel::headerData(int section, Qt::Orientation orientation, int role) const {
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole) {
        return QAbstractTableModel::headerData(section, orientation, role);
    }
    switch (section) {
    case IdColumn:
        return tr("Job");
    case ModelColumn:
        return tr("Provider · Model");
    case StateColumn:
        return tr("State");
    case ProgressColumn:
        return tr("Progress");
    case CostColumn:
        return tr("Cost");
    case MessageColumn:
        return tr("Prompt or error");
    default:
        return {};
    }
}

// New jobs arrive at the top (the lane lists newest first); known jobs are updated in
// place. Anything else (a job that disappeared) falls back to a reset.
void JobTableModel::sync() {
    const auto& fresh = m_lane.jobs();
    std::size_t added = 0;
    while (added < fresh.size() && !m_rowById.contains(fresh[added].id)) {
        ++added;
    }
    const bool sameTail =
        fresh.size() - added == m_rows.size() &&
        std::equal(m_rows.begin(), m_rows.end(), fresh.begin() + static_cast<std::ptrdiff_t>(added),
                   [](const ripen::Job& a, const ripen::Job& b) { return a.id == b.id; });
    if (!sameTail) {
        beginResetModel();
        m_rows = fresh;
        indexRows();
        endResetModel();
        return;
    }
    if (added > 0) {
        beginInsertRows({}, 0, static_cast<int>(added) - 1);
        m_rows.insert(m_rows.begin(), fresh.begin(),
                      fresh.begin() + static_cast<std::ptrdiff_t>(added));
        indexRows();
        endInsertRows();
    }
    std::vector<int> changed;
    for (std::size_t i = added; i < fresh.size(); ++i) {
        if (!showsTheSame(m_rows[i], fresh[i])) {
            m_rows[i] = fresh[i];
            changed.push_back(static_cast<int>(i));
        }
    }
    emitChangedRows(changed);
}

void JobTableModel::indexRows() {
    m_rowById.clear();
    m_rowById.reserve(static_cast<qsizetype>(m_rows.size()));
    for (std::size_t row = 0; row < m_rows.size(); ++row) {
        m_rowById.insert(m_rows[row].id, static_cast<int>(row));
    }
}

// Progress and messages are read from the lane when painted; the state is kept here.
void JobTableModel::onJobUpdated(qint64 id) {
    const int row = rowOf(id);
    if (row < 0) {
        return;
    }
    if (const ripen::Job* live = m_lane.job(id)) {
        m_rows[static_cast<std::size_t>(row)].state = live->state;
    }
    m_updatedRows.push_back(row);
}

void JobTableModel::onJobsUpdated() {
    emitChangedRows(m_updatedRows);
}

void JobTableModel::emitChangedRows(std::vector<int>& rows) {
    std::ranges::sort(rows);
    const auto end = std::unique(rows.begin(), rows.end());
    for (auto first = rows.begin(); first != end;) {
        auto last = first;
        while (last + 1 != end && *(last + 1) == *last + 1) {
            ++last;
        }
        emit dataChanged(index(*first, 0), index(*last, ColumnCount - 1));
        first = last + 1;
    }
    rows.clear();
}

} // namespace ripen::ui

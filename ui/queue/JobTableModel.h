#pragma once

#include "jobs/Job.h"

#include <QAbstractTableModel>
#include <QHash>
#include <vector>

namespace ripen::ui {

class JobLane;

// The queue as a table, newest job first: job number, provider and model, state, progress,
// cost (the estimate until the job settles, then the charge) and the error or latest
// message. It mirrors the JobLane's list: rows update in place when a job changes and new
// jobs are inserted at the top, so a selection survives the queue's activity. A batch of
// runner events, or a new listing, changes only the rows whose jobs changed (one
// dataChanged per run of neighbouring rows), so a busy queue repaints what moved.
//
// Thread affinity: GUI thread.
class JobTableModel final : public QAbstractTableModel {
    Q_OBJECT
public:
    enum Column {
        IdColumn,
        ModelColumn,
        StateColumn,
        ProgressColumn,
        CostColumn,
        MessageColumn,
        ColumnCount
    };
    enum Role {
        JobIdRole = Qt::UserRole + 1,
        StateRole,    // int(ripen::JobState)
        ProgressRole, // double 0..1, or invalid when unknown
        PriorityRole,
    };

    explicit JobTableModel(JobLane& lane, QObject* parent = nullptr);

    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation,
                        int role = Qt::DisplayRole) const override;

    const ripen::Job* jobAt(int row) const;
    int rowOf(ripen::JobId id) const;
    // "Queued", "Interrupted (charge unknown)", ...
    static QString stateText(ripen::JobState state);

private:
    void sync();
    void onJobUpdated(qint64 id);
    void onJobsUpdated();
    void indexRows();
    // dataChanged for each run of neighbouring rows in `rows` (any order; emptied).
    void emitChangedRows(std::vector<int>& rows);
    QString costText(const ripen::Job& job) const;

    JobLane& m_lane;
    std::vector<ripen::Job> m_rows;
    QHash<qint64, int> m_rowById;
    std::vector<int> m_updatedRows; // rows changed by the batch of events being delivered
};

} // namespace ripen::ui

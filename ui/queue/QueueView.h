#pragma once

#include "jobs/Job.h"

#include <QWidget>
#include <vector>

class QAction;
class QLabel;
class QTableView;
class QTimer;
class QToolBar;

namespace ripen::ui {

class JobLane;
class JobTableModel;

// The queue dock's content: a toolbar (pause or resume all, cancel, retry, priority up and
// down) over the job table. Actions apply to every selected job; retrying a job that was
// interrupted with its charge unknown asks first, because it may be charged twice. A line
// under the toolbar names each provider a 429 holds and until when.
//
// Thread affinity: GUI thread.
class QueueView final : public QWidget {
    Q_OBJECT
public:
    explicit QueueView(JobLane& lane, QWidget* parent = nullptr);

    JobTableModel& model() { return *m_model; }
    QTableView& table() { return *m_table; }
    QAction* pauseAction() const { return m_pause; }
    QAction* cancelAction() const { return m_cancel; }
    QAction* retryAction() const { return m_retry; }
    QAction* raiseAction() const { return m_raise; }
    QAction* lowerAction() const { return m_lower; }

    // The selected jobs, in table order.
    std::vector<ripen::Job> selectedJobs() const;

private:
    void createActions();
    void updateActions();
    void cancelSelected();
    void retrySelected();
    void shiftPriority(int delta);
    void updateSummary();
    void showDiskFullNote();
    // Shows the providers held by a rate limit, and hides each line when its hold ends.
    void updateHolds();

    JobLane& m_lane;
    JobTableModel* m_model;
    QToolBar* m_toolBar;
    QTableView* m_table;
    QLabel* m_summary;
    QLabel* m_error;
    QLabel* m_pauseNote; // why the queue paused itself (a full disk) and what to do
    QLabel* m_held;     // the providers a rate limit holds; hidden when none
    QTimer* m_holdEnds; // fires when the first shown hold ends
    QLabel* m_empty;    // shown instead of the table while there are no jobs
    QAction* m_pause = nullptr;
    QAction* m_cancel = nullptr;
    QAction* m_retry = nullptr;
    QAction* m_raise = nullptr;
    QAction* m_lower = nullptr;
};

} // namespace ripen::ui

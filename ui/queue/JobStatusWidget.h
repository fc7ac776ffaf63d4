#pragma once

#include <QWidget>

class QLabel;

namespace ripen::ui {

class JobLane;

// The status bar's view of the queue: how many jobs are at a provider now and what the
// ledger charged today (local calendar day, all providers, in USD). Clicking it is not
// needed: the queue dock has the details.
//
// Thread affinity: GUI thread.
class JobStatusWidget final : public QWidget {
    Q_OBJECT
public:
    explicit JobStatusWidget(JobLane& lane, QWidget* parent = nullptr);

    QString runningText() const;
    QString spendText() const;

private:
    void refreshText();

    JobLane& m_lane;
    QLabel* m_running;
    QLabel* m_spend;
};

} // namespace ripen::ui

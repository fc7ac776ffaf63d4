#include "queue/JobStatusWidget.h"

#include "MoneyText.h"
#include "queue/JobLane.h"

#include <QHBoxLayout>
#include <QLabel>

namespace ripen::ui {

JobStatusWidget::JobStatusWidget(JobLane& lane, QWidget* parent)
    : QWidget(parent), m_lane(lane), m_running(new QLabel(this)), m_spend(new QLabel(this)) {
    setObjectName(QStringLiteral("jobStatus"));
    m_running->setObjectName(QStringLiteral("jobStatusRunning"));
    m_spend->setObjectName(QStringLiteral("jobStatusSpend"));
    m_spend->setToolTip(tr("Charged by providers today, from the credit ledger"));
    auto* layout = new QHBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(0);
    layout->addWidget(m_running);
    layout->addWidget(m_spend);
    connect(&m_lane, &JobLane::jobsChanged, this, &JobStatusWidget::refreshText);
    connect(&m_lane, &JobLane::jobsUpdated, this, &JobStatusWidget::refreshText);
    connect(&m_lane, &JobLane::spendChanged, this, &JobStatusWidget::refreshText);
    connect(&m_lane, &JobLane::pausedChanged, this, &JobStatusWidget::refreshText);
    refreshText();
}

QString JobStatusWidget::runningText() const {
    return m_running->text();
}

QString JobStatusWidget::spendText() const {
    return m_spend->text();
}

void JobStatusWidget::refreshText() {
    const int running = m_lane.activeCount();
    QString text = running == 1 ? tr("1 job running") : tr("%1 jobs running").arg(running);
    if (const int waiting = m_lane.queuedCount(); waiting > 0) {
        text += tr(", %1 waiting").arg(waiting);
    }
    if (m_lane.isPaused()) {
        text += m_lane.diskFullMessage().isEmpty() ? tr(" (paused)") : tr(" (paused: disk full)");
    }
    m_running->setText(text);
    m_spend->setText(tr("Today %1").arg(MoneyText::usd(m_lane.spentTodayUsd())));
}

} // namespace ripen::ui

#include "queue/QueueView.h"

#include "queue/JobLane.h"
#include "queue/JobTableModel.h"
#include "theme/Theme.h"

#include <QAction>
#include <QDateTime>
#include <QHeaderView>
#include <QLabel>
#include <QLocale>
#include <QMessageBox>
#include <QTableView>
#include <QTimer>
#include <QToolBar>
#include <QVBoxLayout>
#include <algorithm>
#include <optional>

namespace ripen::ui {

namespace {

void setToolTipWithShortcut(QAction* action, const QString& what) {
    QString text = what;
    if (!action->shortcut().isEmpty()) {
        text += QStringLiteral(" (%1)").arg(action->shortcut().toString(QKeySequence::NativeText));
    }
    action->setToolTip(text);
}

} // namespace

QueueView::QueueView(JobLane& lane, QWidget* parent)
    : QWidget(parent), m_lane(lane), m_model(new JobTableModel(lane, this)),
      m_toolBar(new QToolBar(this)), m_table(new QTableView(this)), m_summary(new QLabel(this)),
      m_error(new QLabel(this)), m_pauseNote(new QLabel(this)), m_held(new QLabel(this)),
      m_holdEnds(new QTimer(this)), m_empty(new QLabel(this)) {
    setObjectName(QStringLiteral("queueView"));
    createActions();

    m_table->setObjectName(QStringLiteral("queueTable"));
    m_table->setModel(m_model);
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_table->setSelectionMode(QAbstractItemView::ExtendedSelection);
    m_table->setAlternatingRowColors(true);
    m_table->setShowGrid(false);
    m_table->setWordWrap(false);
    m_table->verticalHeader()->hide();
    m_table->verticalHeader()->setDefaultSectionSize(3 * Theme::kGrid);
    QHeaderView* header = m_table->horizontalHeader();
    header->setHighlightSections(false);
    header->setSectionResizeMode(QHeaderView::Interactive);
    header->setStretchLastSection(true);
    m_table->setColumnWidth(JobTableModel::IdColumn, 6 * Theme::kGrid);
    m_table->setColumnWidth(JobTableModel::ModelColumn, 26 * Theme::kGrid);
    m_table->setColumnWidth(JobTableModel::StateColumn, 26 * Theme::kGrid);
    m_table->setColumnWidth(JobTableModel::ProgressColumn, 9 * Theme::kGrid);
    m_table->setColumnWidth(JobTableModel::CostColumn, 11 * Theme::kGrid);

    m_toolBar->setToolButtonStyle(Qt::ToolButtonTextOnly);
    m_toolBar->setIconSize(QSize(2 * Theme::kGrid, 2 * Theme::kGrid));
    m_summary->setObjectName(QStringLiteral("queueSummary"));
    m_error->setObjectName(QStringLiteral("queueError"));
    m_error->setWordWrap(true);
    m_error->hide();
    m_pauseNote->setObjectName(QStringLiteral("queuePauseNote"));
    m_pauseNote->setWordWrap(true);
    m_pauseNote->setText(tr("The disk is full. Results already paid for are kept and saved once "
                            "there is space; no new requests are sent. Free some space, then "
                            "press Resume All."));
    m_pauseNote->hide();
    m_held->setObjectName(QStringLiteral("queueHeld"));
    m_held->setWordWrap(true);
    m_held->setContentsMargins(Theme::kGrid, Theme::kGrid / 2, Theme::kGrid, Theme::kGrid / 2);
    m_held->hide();
    m_holdEnds->setSingleShot(true);
    connect(m_holdEnds, &QTimer::timeout, this, &QueueView::updateHolds);

    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(0);
    auto* bar = new QWidget(this);
    bar->setObjectName(QStringLiteral("queueBar"));
    auto* barLayout = new QHBoxLayout(bar);
    barLayout->setContentsMargins(Theme::kGrid / 2, 0, Theme::kGrid, 0);
    barLayout->addWidget(m_toolBar);
    barLayout->addStretch(1);
    barLayout->addWidget(m_summary);
    layout->addWidget(bar);
    layout->addWidget(m_error);
    layout->addWidget(m_pauseNote);
    layout->addWidget(m_held);
    layout->addWidget(m_table, 1);
    layout->addWidget(m_empty, 1);
    m_empty->setObjectName(QStringLiteral("queueEmpty"));
    m_empty->setAlignment(Qt::AlignCenter);
    m_empty->setWordWrap(true);
    m_empty->setForegroundRole(QPalette::PlaceholderText);
    m_empty->setText(
        tr("No jobs yet. Write a prompt in Generate and press Generate (%1); "
           "each image becomes a job here, with its state and cost.")
            .arg(QKeySequence(Qt::CTRL | Qt::Key_Return).toString(QKeySequence::NativeText)));

    connect(m_table->selectionModel(), &QItemSelectionModel::selectionChanged, this,
            &QueueView::updateActions);
    connect(m_model, &QAbstractItemModel::dataChanged, this, &QueueView::updateActions);
    connect(m_model, &QAbstractItemModel::modelReset, this, &QueueView::updateActions);
    connect(&m_lane, &JobLane::jobsChanged, this, &QueueView::updateSummary);
    connect(&m_lane, &JobLane::jobsChanged, this, &QueueView::updateHolds);
    const auto showTableOrEmpty = [this] {
        const bool empty = m_model->rowCount() == 0;
        m_table->setVisible(!empty);
        m_empty->setVisible(empty);
    };
    connect(m_model, &QAbstractItemModel::modelReset, this, showTableOrEmpty);
    connect(m_model, &QAbstractItemModel::rowsInserted, this, showTableOrEmpty);
    showTableOrEmpty();
    connect(&m_lane, &JobLane::jobsUpdated, this, &QueueView::updateSummary);
    const auto showPaused = [this](bool paused) {
        m_pause->setChecked(paused);
        m_pause->setText(paused ? tr("Resume All") : tr("Pause All"));
        showDiskFullNote();
        updateSummary();
    };
    connect(&m_lane, &JobLane::pausedChanged, this, showPaused);
    showPaused(m_lane.isPaused());
    connect(&m_lane, &JobLane::actionFailed, this, [this](const ripen::Error& error) {
        m_error->setText(QString::fromStdString(error.message));
        m_error->show();
    });
    updateActions();
    updateSummary();
    updateHolds();
}

void QueueView::createActions() {
    m_pause = m_toolBar->addAction(tr("Pause All"));
    m_pause->setCheckable(true);
    m_pause->setShortcut(QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_P));
    m_pause->setShortcutContext(Qt::WindowShortcut);
    setToolTipWithShortcut(m_pause, tr("Pause or resume sending new requests; results already "
                                       "paid for are still saved"));
    connect(m_pause, &QAction::triggered, this,
            [this](bool paused) { paused ? m_lane.pauseAll() : m_lane.resumeAll(); });
    m_toolBar->addSeparator();

    m_cancel = m_toolBar->addAction(tr("Cancel"), this, &QueueView::cancelSelected);
    m_cancel->setShortcut(QKeySequence::Delete);
    m_retry = m_toolBar->addAction(tr("Retry"), this, &QueueView::retrySelected);
    m_retry->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_R));
    m_raise = m_toolBar->addAction(tr("Priority +"), this, [this] { shiftPriority(+1); });
    m_raise->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_Up));
    m_lower = m_toolBar->addAction(tr("Priority −"), this, [this] { shiftPriority(-1); });
    m_lower->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_Down));
    // Job shortcuts act on the table's selection, so they apply only while the queue has focus.
    for (QAction* action : {m_cancel, m_retry, m_raise, m_lower}) {
        action->setShortcutContext(Qt::WidgetWithChildrenShortcut);
        addAction(action);
    }
    setToolTipWithShortcut(m_cancel, tr("Cancel the selected jobs; a job already at the provider "
                                        "may still be charged"));
    setToolTipWithShortcut(m_retry, tr("Queue the selected failed, canceled or interrupted jobs "
                                       "again"));
    setToolTipWithShortcut(m_raise, tr("Run the selected queued jobs earlier"));
    setToolTipWithShortcut(m_lower, tr("Run the selected queued jobs later"));
}

std::vector<ripen::Job> QueueView::selectedJobs() const {
    std::vector<ripen::Job> jobs;
    QModelIndexList rows = m_table->selectionModel()->selectedRows();
    std::ranges::sort(rows, {}, &QModelIndex::row);
    for (const QModelIndex& index : rows) {
        if (const ripen::Job* job = m_model->jobAt(index.row())) {
            jobs.push_back(*job);
        }
    }
    return jobs;
}

void QueueView::updateActions() {
    bool cancelable = false;
    bool retryable = false;
    bool queued = false;
    for (const auto& job : selectedJobs()) {
        cancelable = cancelable || !ripen::isFinal(job.state);
        retryable = retryable || job.state == ripen::JobState::Failed ||
                    job.state == ripen::JobState::Canceled ||
                    job.state == ripen::JobState::Interrupted;
        queued = queued || job.state == ripen::JobState::Queued;
    }
    m_cancel->setEnabled(cancelable);
    m_retry->setEnabled(retryable);
    m_raise->setEnabled(queued);
    m_lower->setEnabled(queued);
}

void QueueView::cancelSelected() {
    for (const auto& job : selectedJobs()) {
        if (!ripen::isFinal(job.state)) {
            m_lane.cancel(job.id);
        }
    }
}

void QueueView::retrySelected() {
    std::vector<ripen::Job> jobs = selectedJobs();
    std::erase_if(jobs, [](const ripen::Job& job) {
        return job.state != ripen::JobState::Failed && job.state != ripen::JobState::Canceled &&
               job.state != ripen::JobState::Interrupted;
    });
    const auto interrupted =
        std::ranges::count(jobs, ripen::JobState::Interrupted, &ripen::Job::state);
    if (interrupted > 0) {
        const auto answer = QMessageBox::warning(
            this, tr("Retry Interrupted Jobs"),
            tr("%n job(s) were at the provider when Ripen stopped, and may already have been "
               "charged. Retrying sends them again and may charge them twice.",
               nullptr, static_cast<int>(interrupted)),
            QMessageBox::Retry | QMessageBox::Cancel, QMessageBox::Cancel);
        if (answer != QMessageBox::Retry) {
            return;
        }
    }
    m_error->hide();
    for (const auto& job : jobs) {
        m_lane.retry(job.id);
    }
}

void QueueView::shiftPriority(int delta) {
    for (const auto& job : selectedJobs()) {
        if (job.state == ripen::JobState::Queued) {
            m_lane.setPriority(job.id, job.priority + delta);
        }
    }
}

void QueueView::updateSummary() {
    const int active = m_lane.activeCount();
    const int queued = m_lane.queuedCount();
    QString text = tr("%1 running · %2 waiting").arg(active).arg(queued);
    if (m_lane.isPaused()) {
        text += m_lane.diskFullMessage().isEmpty() ? tr(" · paused") : tr(" · paused: disk full");
    }
    m_summary->setText(text);
}

void QueueView::showDiskFullNote() {
    const QString& reason = m_lane.diskFullMessage();
    // The runner's own words (the file and the error) are the tooltip; the line says what to do.
    m_pauseNote->setToolTip(reason);
    m_pauseNote->setVisible(!reason.isEmpty());
}

void QueueView::updateHolds() {
    const qint64 now = QDateTime::currentMSecsSinceEpoch();
    QStringList lines;
    std::optional<qint64> firstEnd;
    for (const ripen::ProviderHold& hold : m_lane.providerHolds()) {
        if (hold.untilMs <= now) {
            continue;
        }
        firstEnd = std::min<qint64>(firstEnd.value_or(hold.untilMs), hold.untilMs);
        QString line =
            tr("%1 is rate limited: nothing is sent to it until %2 (Retry-After).")
                .arg(QString::fromStdString(m_lane.displayNameOf(hold.provider)),
                     QLocale().toString(QDateTime::fromMSecsSinceEpoch(hold.untilMs).time(),
                                        QLocale::LongFormat));
        if (!hold.reason.empty()) {
            line += QLatin1Char(' ') + QString::fromStdString(hold.reason);
        }
        lines << line;
    }
    m_held->setText(lines.join(QLatin1Char('\n')));
    m_held->setVisible(!lines.isEmpty());
    if (firstEnd) {
        m_holdEnds->start(static_cast<int>(std::min<qint64>(*firstEnd - now + 1, 3'600'000)));
    } else {
        m_holdEnds->stop();
    }
}

} // namespace ripen::ui

#include "import/ImportStatusWidget.h"

#include "CoreBridge.h"
#include "import/ImportReportDialog.h"
#include "theme/Theme.h"

#include <QHBoxLayout>
#include <QLabel>
#include <QProgressBar>
#include <QToolButton>

namespace ripen::ui {

ImportStatusWidget::ImportStatusWidget(CoreBridge& bridge, QWidget* parent)
    : QWidget(parent), m_bridge(bridge), m_label(new QLabel(this)),
      m_progress(new QProgressBar(this)), m_cancel(new QToolButton(this)),
      m_details(new QToolButton(this)) {
    m_progress->setObjectName(QStringLiteral("importProgress"));
    m_progress->setTextVisible(false);
    m_progress->setMaximumWidth(25 * Theme::kGrid);
    m_cancel->setText(tr("Cancel"));
    m_cancel->setToolTip(tr("Stop the import after the current file"));
    m_details->setText(tr("Details…"));
    m_details->setToolTip(tr("List the skipped files and why they were skipped"));
    m_label->setTextFormat(Qt::PlainText);
    m_label->setMaximumWidth(50 * Theme::kGrid);

    auto* layout = new QHBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(Theme::kGrid);
    layout->addWidget(m_label);
    layout->addWidget(m_progress);
    layout->addWidget(m_cancel);
    layout->addWidget(m_details);

    m_progress->hide();
    m_cancel->hide();
    m_details->hide();
    hide();

    connect(m_cancel, &QToolButton::clicked, this, [this] {
        m_bridge.cancelImport();
        m_cancel->setEnabled(false);
        m_label->setText(tr("Cancelling…"));
    });
    connect(m_details, &QToolButton::clicked, this, &ImportStatusWidget::showDetails);
    connect(&m_bridge, &CoreBridge::importStarted, this, &ImportStatusWidget::onStarted);
    connect(&m_bridge, &CoreBridge::importProgress, this, &ImportStatusWidget::onProgress);
    connect(&m_bridge, &CoreBridge::importOutcome, this, &ImportStatusWidget::onOutcome);
    connect(&m_bridge, &CoreBridge::importFinished, this, &ImportStatusWidget::onFinished);
}

QString ImportStatusWidget::summaryText() const {
    return m_label->text();
}

void ImportStatusWidget::showDetails() {
    auto* dialog = new ImportReportDialog(m_imported, m_skipped, window());
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    dialog->show();
}

void ImportStatusWidget::onStarted(int pathCount) {
    m_skipped.clear();
    m_imported = 0;
    m_label->setText(pathCount == 1 ? tr("Importing…") : tr("Importing %1 items…").arg(pathCount));
    m_progress->setRange(0, 0); // busy until the first report gives a total
    m_progress->show();
    m_cancel->setEnabled(true);
    m_cancel->show();
    m_details->hide();
    show();
}

void ImportStatusWidget::onProgress(qint64 done, qint64 total, const QString& message) {
    if (total > 0) {
        // QProgressBar is int-based; scale to per-mille so byte counts cannot overflow it.
        m_progress->setRange(0, 1000);
        m_progress->setValue(static_cast<int>(std::min<qint64>(done, total) * 1000 / total));
    }
    if (!message.isEmpty() && m_cancel->isEnabled()) {
        m_label->setText(message);
        m_label->setToolTip(message);
    }
}

void ImportStatusWidget::onOutcome(const ripen::ImportOutcome& outcome) {
    if (outcome.imported) {
        ++m_imported;
    } else {
        m_skipped.push_back(outcome);
    }
}

void ImportStatusWidget::onFinished(const ripen::ImportSummary& summary) {
    if (m_bridge.isImporting()) {
        return; // another import is queued; its importStarted resets the widget
    }
    m_imported = summary.imported;
    QString text = tr("Imported %1, skipped %2").arg(summary.imported).arg(summary.skipped);
    if (summary.cancelled) {
        text += tr(" (cancelled)");
    }
    m_label->setText(text);
    m_label->setToolTip(text);
    m_progress->hide();
    m_cancel->hide();
    m_details->setVisible(!m_skipped.empty());
    show();
}

} // namespace ripen::ui

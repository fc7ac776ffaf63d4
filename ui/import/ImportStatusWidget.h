#pragma once

#include "catalog/Importer.h"

#include <QWidget>
#include <vector>

class QLabel;
class QProgressBar;
class QToolButton;

namespace ripen::ui {

class CoreBridge;

// The status-bar piece for imports: while one runs, what it is doing, a progress bar and
// Cancel; afterwards the summary ("Imported 12, skipped 2") and, when files were
// skipped, a Details… button that lists them with their reasons.
//
// Thread affinity: GUI thread.
class ImportStatusWidget final : public QWidget {
    Q_OBJECT
public:
    explicit ImportStatusWidget(CoreBridge& bridge, QWidget* parent = nullptr);

    QString summaryText() const;
    const std::vector<ripen::ImportOutcome>& skipped() const { return m_skipped; }
    // Opens the list of skipped files (non-modal).
    void showDetails();

private:
    void onStarted(int pathCount);
    void onProgress(qint64 done, qint64 total, const QString& message);
    void onOutcome(const ripen::ImportOutcome& outcome);
    void onFinished(const ripen::ImportSummary& summary);

    CoreBridge& m_bridge;
    QLabel* m_label;
    QProgressBar* m_progress;
    QToolButton* m_cancel;
    QToolButton* m_details;
    std::vector<ripen::ImportOutcome> m_skipped;
    int m_imported = 0;
};

} // namespace ripen::ui

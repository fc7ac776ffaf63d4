#include "import/ImportReportDialog.h"

#include "theme/Theme.h"

#include <QApplication>
#include <QClipboard>
#include <QDialogButtonBox>
#include <QHeaderView>
#include <QLabel>
#include <QPushButton>
#include <QTreeWidget>
#include <QVBoxLayout>

namespace ripen::ui {

ImportReportDialog::ImportReportDialog(int imported,
                                       const std::vector<ripen::ImportOutcome>& skipped,
                                       QWidget* parent)
    : QDialog(parent), m_list(new QTreeWidget(this)) {
    setWindowTitle(tr("Import details"));
    resize(90 * Theme::kGrid, 50 * Theme::kGrid);

    auto* summary = new QLabel(
        tr("Imported %1, skipped %2.").arg(imported).arg(static_cast<int>(skipped.size())), this);
    m_list->setColumnCount(2);
    m_list->setHeaderLabels({tr("File"), tr("Reason")});
    m_list->setRootIsDecorated(false);
    m_list->setAlternatingRowColors(true);
    m_list->setWordWrap(true);
    m_list->header()->setSectionResizeMode(0, QHeaderView::Interactive);
    m_list->header()->resizeSection(0, 40 * Theme::kGrid);
    QStringList lines;
    for (const auto& outcome : skipped) {
        const QString file = QString::fromStdString(outcome.displayPath);
        const QString reason = QString::fromStdString(outcome.error.message);
        auto* item = new QTreeWidgetItem(m_list, {file, reason});
        item->setToolTip(0, file);
        item->setToolTip(1, reason);
        lines << file + QLatin1Char('\t') + reason;
    }

    auto* buttons = new QDialogButtonBox(QDialogButtonBox::Close, this);
    auto* copy = buttons->addButton(tr("Copy List"), QDialogButtonBox::ActionRole);
    connect(copy, &QPushButton::clicked, this,
            [lines] { QApplication::clipboard()->setText(lines.join(QLatin1Char('\n'))); });
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);

    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(2 * Theme::kGrid, 2 * Theme::kGrid, 2 * Theme::kGrid,
                               2 * Theme::kGrid);
    layout->setSpacing(Theme::kGrid);
    layout->addWidget(summary);
    layout->addWidget(m_list, 1);
    layout->addWidget(buttons);
}

} // namespace ripen::ui

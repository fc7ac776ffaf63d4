#pragma once

#include "catalog/Importer.h"

#include <QDialog>
#include <vector>

class QTreeWidget;

namespace ripen::ui {

// Lists the files an import skipped and why, so the user can fix them and import again.
class ImportReportDialog final : public QDialog {
    Q_OBJECT
public:
    ImportReportDialog(int imported, const std::vector<ripen::ImportOutcome>& skipped,
                       QWidget* parent = nullptr);

    QTreeWidget& list() { return *m_list; }

private:
    QTreeWidget* m_list;
};

} // namespace ripen::ui

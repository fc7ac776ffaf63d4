#pragma once

#include <QMetaType>
#include <QStringList>

namespace ripen::ui {

// How an export run ended: the files written and, one line each, the assets that were not.
struct ExportSummary {
    QStringList written;
    QStringList failures;
    bool cancelled = false;
};

} // namespace ripen::ui

Q_DECLARE_METATYPE(ripen::ui::ExportSummary)

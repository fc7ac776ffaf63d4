#pragma once

#include <QMetaType>
#include <QString>

namespace ripen::ui {

// A restore of the newest verified backup over a damaged catalog (CoreBridge::
// restoreNewestBackup): which backup, when it was taken, and where the damaged catalog went.
struct CatalogRestoreSummary {
    QString backupFile;
    qint64 backupTakenAtMs = 0; // UTC milliseconds since the epoch
    QString damagedKeptAs;
};

} // namespace ripen::ui

Q_DECLARE_METATYPE(ripen::ui::CatalogRestoreSummary)

#pragma once

#include "CatalogRestoreSummary.h"
#include "common/Error.h"

#include <QDialog>

class QLabel;
class QPushButton;

namespace ripen::ui {

class CoreBridge;

// The "Cannot open the library" box for a damaged catalog, with a one-click restore: the
// Restore Newest Backup button asks the bridge to put the newest verified backup in place
// (off the GUI thread, as `ripen-cli catalog restore` does; the damaged catalog is kept
// beside it) and to open the library again. The box stays up meanwhile and then says which
// backup was restored, when it was taken and what is lost since. Closing it without a
// restore emits givenUp. Named "libraryOpenError", as the plain box is. A QDialog, not a
// QMessageBox: a message box closes on every button, this one must stay while it restores.
//
// Thread affinity: GUI thread. The bridge must outlive the box.
class CatalogRestoreBox final : public QDialog {
    Q_OBJECT
public:
    // `closeText` names the other button (Quit at start-up, Close when switching).
    CatalogRestoreBox(CoreBridge& bridge, const QString& message, const QString& closeText,
                      QWidget* parent = nullptr);

    QString text() const;
    QPushButton* restoreButton() const { return m_restore; }
    bool restored() const { return m_restored; }

    // Shows the box over `window` instead (a switch replaced the window it was over),
    // as it was.
    void moveOver(QWidget* window);

    // What the box says after a restore; `nowMs` for the age of the backup.
    static QString restoredText(const CatalogRestoreSummary& summary, qint64 nowMs);

signals:
    void givenUp();

protected:
    void done(int result) override;

private:
    void startRestore();
    void onRestored(const CatalogRestoreSummary& summary);
    void onRestoreFailed(const ripen::Error& error);

    CoreBridge& m_bridge;
    QString m_message;
    QLabel* m_icon = nullptr;
    QLabel* m_text = nullptr;
    QPushButton* m_restore = nullptr;
    QPushButton* m_close = nullptr;
    bool m_restoring = false;
    bool m_restored = false;
};

} // namespace ripen::ui

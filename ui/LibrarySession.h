#pragma once

#include "common/Error.h"

#include <QObject>
#include <QPointer>
#include <QString>
#include <functional>
#include <memory>
#include <vector>

namespace ripen::ui {

class CatalogRestoreBox;
class CoreBridge;
class MainWindow;

// The open library: its CoreBridge and the MainWindow on it, and the switch to another one
// without a restart (File > Open Library… / New Library…). A switch builds a bridge and a
// hidden window on the new folder and opens it on the bridge's workers; once it is open the
// new window takes the old one's place (geometry, docks and settings carried over), the old
// window goes, and the old bridge closes its library on a worker before it is deleted. A
// library that fails to open is reported with LibraryOpenError's words (a window-modal box
// named "libraryOpenError") and the previous library stays open. With remembering on, the
// folder of each library that opens is kept in QSettings for the next start.
//
// Thread affinity: GUI thread.
class LibrarySession final : public QObject {
    Q_OBJECT
public:
    static constexpr const char* kLastLibrarySetting = "library/last";
    // Wires what the app adds (providers, keys) into each bridge and window made, before
    // its library opens.
    using Wiring = std::function<void(CoreBridge&, MainWindow&)>;

    explicit LibrarySession(Wiring wiring = {}, QObject* parent = nullptr);
    ~LibrarySession() override;

    // The folder of the library that opened last, or empty.
    static QString lastLibrary();
    void setRemembering(bool remember) { m_remember = remember; }
    // When a library fails to open with a damaged catalog (the first one, or one chosen with
    // File > Open Library…), show a box that offers to restore the newest backup
    // (CatalogRestoreBox) before openFailed; off by default (the screenshot tool must never
    // wait on a box). A restore during a switch opens the restored library in place of the
    // current one, and the box moves to the new window to say what was restored.
    void setOfferingRestore(bool offer) { m_offerRestore = offer; }

    // Makes the first bridge and window (shown by the caller) and opens `folder` (created if
    // missing). Emits opened, or openFailed with keptPrevious false.
    void start(const QString& folder);
    // Opens `folder` in place of the current library (one switch at a time). With
    // `mustExist` a folder that holds no library fails instead of becoming one.
    void switchTo(const QString& folder, bool mustExist);

    CoreBridge& bridge() const;
    MainWindow& window() const;
    QString folder() const;
    // A switch is opening, or an old library is still closing (for tests).
    bool isSwitching() const { return m_next != nullptr || !m_closing.empty(); }

signals:
    void opened(const QString& folder);
    // `shown`: the user has already seen `message` (in the restore box) and declined.
    void openFailed(const QString& folder, const QString& message, bool keptPrevious, bool shown);

private:
    struct Open;
    std::unique_ptr<Open> make(const QString& folder);
    void onOpened(const Open* which);
    void onFailed(const Open* which, const ripen::Error& error);
    void offerRestore(const Open& which, const QString& message, bool first);
    void replaceWindow(MainWindow& previous, MainWindow& next) const;
    // Deletes the window now and the bridge once its library is closed on a worker.
    void retire(std::unique_ptr<Open> old);

    Wiring m_wiring;
    std::unique_ptr<Open> m_current;
    std::unique_ptr<Open> m_next;
    std::vector<std::unique_ptr<CoreBridge>> m_closing;
    bool m_remember = false;
    bool m_offerRestore = false;
    QPointer<CatalogRestoreBox> m_restoreBox; // while it is up
};

} // namespace ripen::ui

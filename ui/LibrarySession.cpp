#include "LibrarySession.h"

#include "CatalogRestoreBox.h"
#include "CoreBridge.h"
#include "LibraryOpenError.h"
#include "MainWindow.h"
#include "PathText.h"

#include <QMessageBox>
#include <QSettings>
#include <QStatusBar>
#include <utility>

namespace ripen::ui {

// Declared bridge first: the window, which holds a reference to it, goes first.
struct LibrarySession::Open {
    QString folder;
    std::unique_ptr<CoreBridge> bridge;
    std::unique_ptr<MainWindow> window;
};

LibrarySession::LibrarySession(Wiring wiring, QObject* parent)
    : QObject(parent), m_wiring(std::move(wiring)) {}

LibrarySession::~LibrarySession() {
    m_next.reset();
    m_current.reset();
}

QString LibrarySession::lastLibrary() {
    return QSettings().value(kLastLibrarySetting).toString();
}

std::unique_ptr<LibrarySession::Open> LibrarySession::make(const QString& folder) {
    auto made = std::make_unique<Open>();
    made->folder = folder;
    made->bridge = std::make_unique<CoreBridge>(PathText::toPath(folder));
    made->window = std::make_unique<MainWindow>(*made->bridge);
    if (m_wiring) {
        m_wiring(*made->bridge, *made->window);
    }
    const Open* which = made.get();
    connect(made->window.get(), &MainWindow::libraryRequested, this, &LibrarySession::switchTo);
    connect(made->bridge.get(), &CoreBridge::libraryOpened, this,
            [this, which] { onOpened(which); });
    connect(made->bridge.get(), &CoreBridge::libraryOpenFailed, this,
            [this, which](const ripen::Error& error) { onFailed(which, error); });
    return made;
}

void LibrarySession::start(const QString& folder) {
    m_current = make(folder);
    m_current->bridge->openLibrary();
}

void LibrarySession::switchTo(const QString& folder, bool mustExist) {
    if (m_next || folder.isEmpty()) {
        return;
    }
    m_next = make(folder);
    m_next->bridge->openLibrary(mustExist);
}

void LibrarySession::onOpened(const Open* which) {
    if (which == m_current.get()) { // the first library
        if (m_remember) {
            QSettings().setValue(kLastLibrarySetting, m_current->folder);
        }
        emit opened(m_current->folder);
        return;
    }
    if (which != m_next.get()) {
        return;
    }
    std::unique_ptr<Open> previous = std::exchange(m_current, std::move(m_next));
    if (previous) {
        replaceWindow(*previous->window, *m_current->window);
        if (m_restoreBox && m_restoreBox->parentWidget() == previous->window.get()) {
            // The box that restored this library says what it did over the new window.
            m_restoreBox->moveOver(m_current->window.get());
        }
        retire(std::move(previous));
    }
    if (m_remember) {
        QSettings().setValue(kLastLibrarySetting, m_current->folder);
    }
    emit opened(m_current->folder);
}

// The new window where the old one was, as big, with the same docks and sidebar width.
void LibrarySession::replaceWindow(MainWindow& previous, MainWindow& next) const {
    if (previous.remembersSettings()) {
        previous.saveSettings();
        next.restoreSettings();
    } else {
        next.resize(previous.size());
        next.restoreState(previous.saveState());
    }
    next.move(previous.pos());
    if (previous.isVisible()) {
        next.show();
    }
}

void LibrarySession::onFailed(const Open* which, const ripen::Error& error) {
    const bool first = which == m_current.get();
    if (!first && which != m_next.get()) {
        return;
    }
    const QString folder = which->folder;
    const QString text = LibraryOpenError::message(error, folder);
    if (m_offerRestore && error.code == ErrorCode::Corrupt) {
        offerRestore(*which, text, first);
        return;
    }
    if (first) {
        emit openFailed(folder, text, false, false);
        return;
    }
    retire(std::exchange(m_next, nullptr));
    auto* box = new QMessageBox(QMessageBox::Critical, LibraryOpenError::title(), text,
                                QMessageBox::Ok, m_current->window.get());
    box->setObjectName(QStringLiteral("libraryOpenError"));
    box->setAttribute(Qt::WA_DeleteOnClose);
    box->open();
    m_current->window->statusBar()->clearMessage();
    emit openFailed(folder, text, true, true);
}

// A restore that succeeds opens the library again through `which`'s bridge: onOpened takes
// it from there. Given up, a switch ends as any failed one (the open library stays).
void LibrarySession::offerRestore(const Open& which, const QString& message, bool first) {
    auto* box = new CatalogRestoreBox(*which.bridge, message, first ? tr("Quit") : tr("Close"),
                                      m_current->window.get());
    box->setAttribute(Qt::WA_DeleteOnClose);
    connect(box, &CatalogRestoreBox::givenUp, this, [this, folder = which.folder, message, first] {
        if (!first) {
            retire(std::exchange(m_next, nullptr));
            m_current->window->statusBar()->clearMessage();
        }
        emit openFailed(folder, message, !first, true);
    });
    m_restoreBox = box;
    box->open();
}

void LibrarySession::retire(std::unique_ptr<Open> old) {
    old->window.reset();
    CoreBridge* bridge = old->bridge.get();
    m_closing.push_back(std::move(old->bridge));
    connect(
        bridge, &CoreBridge::libraryClosed, this,
        [this, bridge] {
            std::erase_if(m_closing,
                          [bridge](const auto& closing) { return closing.get() == bridge; });
        },
        Qt::QueuedConnection); // not deleted while it emits
    bridge->closeLibrary();
}

CoreBridge& LibrarySession::bridge() const {
    return *m_current->bridge;
}

MainWindow& LibrarySession::window() const {
    return *m_current->window;
}

QString LibrarySession::folder() const {
    return m_current ? m_current->folder : QString();
}

} // namespace ripen::ui

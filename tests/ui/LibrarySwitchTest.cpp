#include "CoreBridge.h"
#include "DemoLibrary.h"
#include "LibraryOpenError.h"
#include "LibrarySession.h"
#include "MainWindow.h"
#include "UiTestSupport.h"
#include "gallery/GalleryModel.h"
#include "gallery/GalleryView.h"
#include "support/TempDir.h"

#include <QMessageBox>
#include <QPointer>
#include <QSettings>
#include <QSignalSpy>
#include <catch2/catch.hpp>
#include <fstream>

using ripen::test::TempDir;
using ripen::test::uiApp;
using ripen::test::waitUntil;
using ripen::ui::LibrarySession;
using ripen::ui::MainWindow;

namespace {

QString text(const std::filesystem::path& path) {
    return QString::fromStdString(path.string());
}

bool settled(const LibrarySession& session) {
    return !session.isSwitching() && !session.window().isBusy();
}

// The open-error box the session shows over the window, once it is up.
QMessageBox* openErrorBox(MainWindow& window) {
    QMessageBox* box = nullptr;
    waitUntil([&] {
        box = window.findChild<QMessageBox*>(QStringLiteral("libraryOpenError"));
        return box != nullptr && box->isVisible();
    });
    return box;
}

} // namespace

TEST_CASE("File > Open Library switches libraries without a restart and remembers the last",
          "[ui][window][library]") {
    uiApp();
    QSettings().remove(LibrarySession::kLastLibrarySetting);
    TempDir dir;
    const auto first = dir / "first";
    const auto second = dir / "second";
    {
        auto library = ripen::Library::open(first);
        REQUIRE(library);
        ripen::test::populateDemoLibrary(**library);
    }
    {
        auto library = ripen::Library::open(second);
        REQUIRE(library);
        ripen::test::addGeneratedAssets(**library, 3, true);
    }

    LibrarySession session;
    session.setRemembering(true);
    QSignalSpy opened(&session, &LibrarySession::opened);
    QSignalSpy failed(&session, &LibrarySession::openFailed);
    session.start(text(first));
    session.window().resize(1100, 700);
    session.window().show();
    REQUIRE(opened.wait(10000));
    REQUIRE(waitUntil([&] { return settled(session); }, 20000));
    CHECK(session.window().gallery().model().rowCount() == 24);
    CHECK(LibrarySession::lastLibrary() == text(first));

    // Open the second library: a new window on it replaces the old one, same size.
    QPointer<MainWindow> firstWindow(&session.window());
    const QSize firstSize = session.window().size();
    session.window().requestLibrary(text(second), true);
    REQUIRE(waitUntil([&] { return session.folder() == text(second) && settled(session); }, 20000));
    CHECK(firstWindow.isNull());
    MainWindow& window = session.window();
    CHECK(window.isVisible());
    CHECK(window.size() == firstSize);
    CHECK(window.gallery().model().rowCount() == 3);
    CHECK(window.assetCountText() == QStringLiteral("3 assets in the library"));
    CHECK(window.windowTitle() == QStringLiteral("Ripen"));
    CHECK(LibrarySession::lastLibrary() == text(second)); // the next start opens it
    CHECK(failed.isEmpty());

    SECTION("a folder that is no library is refused and the open one stays") {
        const auto plain = dir / "holiday-photos";
        std::filesystem::create_directories(plain);
        window.requestLibrary(text(plain), true);
        QMessageBox* box = openErrorBox(window);
        REQUIRE(box != nullptr);
        CHECK(box->text().contains(QStringLiteral("no catalog.sqlite")));
        CHECK(box->text().contains(text(plain)));
        box->accept();
        REQUIRE(failed.size() == 1);
        CHECK(failed.front().at(2).toBool()); // kept the previous library
        REQUIRE(waitUntil([&] { return settled(session); }));
        CHECK(&session.window() == &window);
        CHECK(session.folder() == text(second));
        CHECK_FALSE(std::filesystem::exists(plain / "catalog.sqlite"));
        // The open library still answers.
        window.gallery().reload();
        REQUIRE(waitUntil([&] { return !window.isBusy(); }));
        CHECK(window.gallery().model().rowCount() == 3);
        CHECK(LibrarySession::lastLibrary() == text(second));
    }

    SECTION("a damaged catalog is reported with the usual advice and the open one stays") {
        const auto damaged = dir / "damaged";
        std::filesystem::create_directories(damaged);
        std::ofstream(damaged / "catalog.sqlite") << std::string(8192, 'x');
        window.requestLibrary(text(damaged), true);
        QMessageBox* box = openErrorBox(window);
        REQUIRE(box != nullptr);
        CHECK(box->windowTitle() == ripen::ui::LibraryOpenError::title());
        CHECK(box->text().contains(QStringLiteral("catalog may be damaged")));
        box->accept();
        REQUIRE(waitUntil([&] { return settled(session); }));
        CHECK(session.folder() == text(second));
        CHECK(window.gallery().model().rowCount() == 3);
    }

    SECTION("New Library makes an empty one and switches to it") {
        const auto fresh = dir / "fresh";
        window.requestLibrary(text(fresh), false);
        REQUIRE(
            waitUntil([&] { return session.folder() == text(fresh) && settled(session); }, 20000));
        CHECK(std::filesystem::exists(fresh / "catalog.sqlite"));
        CHECK(session.window().gallery().isShowingEmptyState());
        CHECK(session.window().assetCountText() == QStringLiteral("0 assets in the library"));
        // And back to the first, which still holds its 24.
        session.window().requestLibrary(text(first), true);
        REQUIRE(
            waitUntil([&] { return session.folder() == text(first) && settled(session); }, 20000));
        CHECK(session.window().gallery().model().rowCount() == 24);
        CHECK(LibrarySession::lastLibrary() == text(first));
    }
    QSettings().remove(LibrarySession::kLastLibrarySetting);
}

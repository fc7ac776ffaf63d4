// A library whose catalog was damaged while Ripen was closed: the start-up box offers a
// one-click restore of the newest verified backup, which runs off the GUI thread through
// the same core path as `ripen-cli catalog restore`, keeps the damaged catalog aside,
// opens the library and says what was restored and what is lost since.
#include "CatalogRestoreBox.h"
#include "CoreBridge.h"
#include "DemoLibrary.h"
#include "LibrarySession.h"
#include "MainWindow.h"
#include "UiTestSupport.h"
#include "catalog/CatalogBackup.h"
#include "gallery/GalleryModel.h"
#include "gallery/GalleryView.h"
#include "support/CatalogDamage.h"
#include "support/TempDir.h"

#include <QPointer>
#include <QPushButton>
#include <QSignalSpy>
#include <algorithm>
#include <catch2/catch.hpp>

using ripen::test::TempDir;
using ripen::test::uiApp;
using ripen::test::waitUntil;
using ripen::ui::CatalogRestoreBox;
using ripen::ui::LibrarySession;

namespace {

// 24 assets in the backup, 3 more added after it, then the catalog damaged while closed.
std::filesystem::path damagedLibraryWithBackup(const TempDir& dir) {
    const auto root = dir / "library";
    {
        auto library = ripen::Library::open(root);
        REQUIRE(library);
        ripen::test::populateDemoLibrary(**library);
    }
    REQUIRE(ripen::CatalogBackup::take(root));
    {
        auto library = ripen::Library::open(root);
        REQUIRE(library);
        ripen::test::addGeneratedAssets(**library, 3, true);
    }
    ripen::test::damagePageHeaders(root / "catalog.sqlite");
    return root;
}

CatalogRestoreBox* restoreBox(LibrarySession& session) {
    CatalogRestoreBox* box = nullptr;
    waitUntil([&] {
        box = session.window().findChild<CatalogRestoreBox*>(QStringLiteral("libraryOpenError"));
        return box != nullptr && box->isVisible();
    });
    return box;
}

bool hasDamagedCopy(const std::filesystem::path& root) {
    for (const auto& entry : std::filesystem::directory_iterator(root)) {
        if (entry.path().filename().string().starts_with("catalog.sqlite.damaged-")) {
            return true;
        }
    }
    return false;
}

} // namespace

TEST_CASE("a damaged catalog is restored from the newest backup with one click",
          "[ui][library][restore]") {
    uiApp();
    TempDir dir;
    const auto root = damagedLibraryWithBackup(dir);

    LibrarySession session;
    session.setOfferingRestore(true);
    QSignalSpy opened(&session, &LibrarySession::opened);
    QSignalSpy failed(&session, &LibrarySession::openFailed);
    session.start(QString::fromStdString(root.string()));
    session.window().resize(1100, 700);
    session.window().show();

    CatalogRestoreBox* box = restoreBox(session);
    REQUIRE(box != nullptr);
    CHECK(box->text().contains(QStringLiteral("catalog may be damaged")));
    CHECK(box->text().contains(QStringLiteral("backups/catalog-")));
    REQUIRE(box->restoreButton()->isVisible());
    CHECK(opened.isEmpty());
    REQUIRE(box->grab().save(ripen::test::screenshotDir() + QStringLiteral("/restore-offer.png")));

    SECTION("Restore: the backup is put in place, the library opens, the box says what") {
        box->restoreButton()->click();
        const bool reopened = opened.wait(20000);
        INFO(box->text().toStdString());
        REQUIRE(reopened);
        REQUIRE(waitUntil([&] { return box->restored(); }));
        CHECK(box->isVisible()); // it stays to say what happened
        CHECK(box->text().contains(QStringLiteral("restored from the backup taken")));
        CHECK(box->text().contains(QStringLiteral("not in it")));
        CHECK(box->text().contains(QStringLiteral("catalog.sqlite.damaged-")));
        CHECK(hasDamagedCopy(root)); // kept aside, not deleted
        REQUIRE(
            box->grab().save(ripen::test::screenshotDir() + QStringLiteral("/restore-done.png")));
        // The library holds what the backup held: the 3 later assets are lost.
        REQUIRE(waitUntil([&] { return !session.window().isBusy(); }, 20000));
        CHECK(session.window().gallery().model().rowCount() == 24);
        CHECK(ripen::CatalogBackup::checkCatalog(root));
        QPointer<CatalogRestoreBox> guard(box); // deleted once closed
        box->restoreButton()->click();          // Continue
        REQUIRE(waitUntil([&] { return guard.isNull() || !guard->isVisible(); }));
        CHECK(failed.isEmpty());
    }

    SECTION("Quit: nothing is restored and the failure is reported as already shown") {
        box->reject();
        REQUIRE(failed.size() == 1);
        CHECK_FALSE(failed.front().at(2).toBool()); // no previous library to keep
        CHECK(failed.front().at(3).toBool());       // the user saw the message
        CHECK_FALSE(hasDamagedCopy(root));
        CHECK(opened.isEmpty());
    }
}

TEST_CASE("a damaged library chosen with File > Open Library is restored with one click too",
          "[ui][library][restore]") {
    uiApp();
    TempDir dir;
    const auto open = dir / "open";
    {
        auto library = ripen::Library::open(open);
        REQUIRE(library);
        ripen::test::addGeneratedAssets(**library, 3, true);
    }
    const auto damaged = damagedLibraryWithBackup(dir);

    LibrarySession session;
    session.setOfferingRestore(true);
    QSignalSpy opened(&session, &LibrarySession::opened);
    QSignalSpy failed(&session, &LibrarySession::openFailed);
    session.start(QString::fromStdString(open.string()));
    session.window().resize(1100, 700);
    session.window().show();
    REQUIRE(opened.wait(10000));
    opened.clear();

    session.window().requestLibrary(QString::fromStdString(damaged.string()), true);
    CatalogRestoreBox* box = restoreBox(session);
    REQUIRE(box != nullptr);
    CHECK(box->text().contains(QStringLiteral("catalog may be damaged")));
    CHECK(box->text().contains(QString::fromStdString(damaged.string())));
    REQUIRE(box->restoreButton()->isVisible());
    REQUIRE(box->grab().save(ripen::test::screenshotDir() +
                             QStringLiteral("/restore-offer-open-library.png")));

    SECTION("Restore: the restored library opens in place of the open one, the box says what") {
        QPointer<CatalogRestoreBox> guard(box);
        box->restoreButton()->click();
        const bool switched = opened.wait(20000);
        INFO((guard ? guard->text() : QString()).toStdString());
        REQUIRE(switched);
        CHECK(session.folder() == QString::fromStdString(damaged.string()));
        REQUIRE(guard);
        REQUIRE(waitUntil([&] { return guard->restored() && guard->isVisible(); }));
        CHECK(guard->parentWidget() == &session.window()); // over the new window
        CHECK(guard->text().contains(QStringLiteral("restored from the backup taken")));
        const auto buttons = guard->findChildren<QPushButton*>();
        CHECK(std::count_if(buttons.begin(), buttons.end(),
                            [](const QPushButton* b) { return b->isVisible(); }) == 1); // Continue
        CHECK(hasDamagedCopy(damaged));
        REQUIRE(guard->grab().save(ripen::test::screenshotDir() +
                                   QStringLiteral("/restore-done-open-library.png")));
        REQUIRE(waitUntil([&] { return !session.window().isBusy(); }, 20000));
        CHECK(session.window().gallery().model().rowCount() == 24);
        guard->restoreButton()->click(); // Continue
        REQUIRE(waitUntil([&] { return guard.isNull() || !guard->isVisible(); }));
        CHECK(failed.isEmpty());
    }

    SECTION("Close: nothing is restored and the open library stays") {
        box->reject();
        REQUIRE(failed.size() == 1);
        CHECK(failed.front().at(2).toBool()); // the previous library is kept
        CHECK(failed.front().at(3).toBool()); // the user saw the message
        REQUIRE(waitUntil([&] { return !session.isSwitching(); }));
        CHECK(session.folder() == QString::fromStdString(open.string()));
        CHECK_FALSE(hasDamagedCopy(damaged));
        CHECK(opened.isEmpty());
    }
}

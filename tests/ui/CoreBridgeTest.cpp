#include "CoreBridge.h"

#include "DemoLibrary.h"
#include "LibraryOpenError.h"
#include "UiTestSupport.h"
#include "import/ImportStatusWidget.h"
#include "support/TempDir.h"
#include "support/TestImages.h"

#include <QApplication>
#include <QFileInfo>
#include <QSignalSpy>
#include <QTest>
#include <QThread>
#include <catch2/catch.hpp>

using ripen::test::TempDir;
using ripen::test::uiApp;
using ripen::ui::CoreBridge;

namespace {

void makeLibrary(const std::filesystem::path& root, int assets) {
    auto library = ripen::Library::open(root);
    REQUIRE(library);
    ripen::test::addGeneratedAssets(**library, assets, false, 24);
}

} // namespace

TEST_CASE("CoreBridge opens a library and answers on the GUI thread", "[ui][bridge]") {
    uiApp();
    TempDir dir;
    const auto root = dir / "library";
    makeLibrary(root, 3);

    CoreBridge bridge(root);
    QThread* const gui = QThread::currentThread();
    bool onGui = true;
    ripen::ui::LibraryOverview overview;
    QObject::connect(&bridge, &CoreBridge::libraryOpened,
                     [&](const ripen::ui::LibraryOverview& received) {
                         onGui = onGui && QThread::currentThread() == gui;
                         overview = received;
                     });
    QObject::connect(&bridge, &CoreBridge::assetsReady, [&](quint64, const auto&) {
        onGui = onGui && QThread::currentThread() == gui;
    });
    QSignalSpy opened(&bridge, &CoreBridge::libraryOpened);
    bridge.openLibrary();
    REQUIRE(opened.wait(10000));
    CHECK(bridge.isOpen());
    CHECK(overview.assetCount == 3);
    CHECK(overview.projects.size() == 3);
    CHECK(overview.clients.size() == 2);

    SECTION("queries come back paged, with the library's files resolved") {
        QSignalSpy ready(&bridge, &CoreBridge::assetsReady);
        ripen::AssetQuery query;
        query.limit = 2;
        const auto id = bridge.queryAssets(query);
        REQUIRE(ready.wait(10000));
        CHECK(ready.at(0).at(0).value<quint64>() == id);
        const auto records = ready.at(0).at(1).value<ripen::ui::AssetRecords>();
        REQUIRE(records.size() == 2);
        for (const auto& record : records) {
            CHECK(record.thumbnailFile.endsWith(QString::fromStdString(record.asset.sha256) +
                                                QStringLiteral(".jpg")));
            CHECK(QFileInfo::exists(record.blobFile));
        }
        CHECK(onGui);
    }

    SECTION("counts ignore paging") {
        QSignalSpy counted(&bridge, &CoreBridge::assetCountReady);
        ripen::AssetQuery query;
        query.limit = 1;
        const auto id = bridge.countAssets(query);
        REQUIRE(counted.wait(10000));
        CHECK(counted.at(0).at(0).value<quint64>() == id);
        CHECK(counted.at(0).at(1).value<qint64>() == 3);
    }

    SECTION("the overview follows the catalog") {
        QSignalSpy ready(&bridge, &CoreBridge::overviewReady);
        bridge.loadOverview();
        REQUIRE(ready.wait(10000));
        CHECK(ready.at(0).at(1).value<ripen::ui::LibraryOverview>().assetCount == 3);
    }
}

TEST_CASE("CoreBridge refuses queries before the library is open", "[ui][bridge]") {
    uiApp();
    TempDir dir;
    CoreBridge bridge(dir / "library");
    QSignalSpy failed(&bridge, &CoreBridge::requestFailed);
    const auto id = bridge.queryAssets({});
    REQUIRE(failed.wait(10000));
    CHECK(failed.at(0).at(0).value<quint64>() == id);
    CHECK(failed.at(0).at(1).value<ripen::Error>().code == ripen::ErrorCode::NotFound);
}

TEST_CASE("CoreBridge reports a library written by a newer Ripen", "[ui][bridge]") {
    uiApp();
    TempDir dir;
    const auto root = dir / "library";
    {
        auto library = ripen::Library::open(root);
        REQUIRE(library);
        REQUIRE((*library)->catalog().database().exec("PRAGMA user_version = 999"));
    }
    CoreBridge bridge(root);
    QSignalSpy failed(&bridge, &CoreBridge::libraryOpenFailed);
    bridge.openLibrary();
    REQUIRE(failed.wait(10000));
    const auto error = failed.at(0).at(0).value<ripen::Error>();
    CHECK(error.code == ripen::ErrorCode::SchemaTooNew);
    CHECK_FALSE(bridge.isOpen());
    const QString text = ripen::ui::LibraryOpenError::message(error, bridge.libraryRootText());
    CHECK(text.contains(bridge.libraryRootText()));
    CHECK(text.contains(QStringLiteral("newer version of Ripen")));
}

TEST_CASE("CoreBridge imports on a worker and reports every file", "[ui][bridge][import]") {
    uiApp();
    TempDir dir;
    const auto root = dir / "library";
    const auto inbox = dir / "inbox";
    for (int i = 0; i < 3; ++i) {
        ripen::test::writeTestImage(inbox / ("image" + std::to_string(i) + ".png"),
                                    ripen::test::makeTestImage(64, 48, i + 1));
    }
    ripen::test::writeBytes(inbox / "broken.png", "this is not a PNG");

    CoreBridge bridge(root);
    ripen::ui::ImportStatusWidget status(bridge);
    QSignalSpy opened(&bridge, &CoreBridge::libraryOpened);
    bridge.openLibrary();
    REQUIRE(opened.wait(10000));

    QThread* const gui = QThread::currentThread();
    bool onGui = true;
    int outcomes = 0;
    QObject::connect(&bridge, &CoreBridge::importOutcome, [&](const ripen::ImportOutcome&) {
        onGui = onGui && QThread::currentThread() == gui;
        ++outcomes;
    });
    QSignalSpy started(&bridge, &CoreBridge::importStarted);
    QSignalSpy finished(&bridge, &CoreBridge::importFinished);
    QSignalSpy changed(&bridge, &CoreBridge::libraryChanged);
    bridge.importPaths({QString::fromStdString(inbox.string())});
    CHECK(bridge.isImporting());
    REQUIRE(finished.wait(30000));
    CHECK(started.size() == 1);
    const auto summary = finished.at(0).at(0).value<ripen::ImportSummary>();
    CHECK(summary.imported == 3);
    CHECK(summary.skipped >= 1);
    CHECK_FALSE(summary.cancelled);
    CHECK(outcomes == summary.imported + summary.skipped);
    CHECK(onGui);
    CHECK(changed.size() == 1);
    CHECK_FALSE(bridge.isImporting());
    CHECK(status.summaryText().startsWith(QStringLiteral("Imported 3, skipped")));
    REQUIRE_FALSE(status.skipped().empty());
    CHECK(QString::fromStdString(status.skipped().front().displayPath).contains("broken.png"));

    // The reader lane sees what the import lane wrote.
    QSignalSpy counted(&bridge, &CoreBridge::assetCountReady);
    bridge.countAssets({});
    REQUIRE(counted.wait(10000));
    CHECK(counted.at(0).at(1).value<qint64>() == 3);
}

TEST_CASE("CoreBridge cancels an import", "[ui][bridge][import]") {
    uiApp();
    TempDir dir;
    const auto inbox = dir / "inbox";
    for (int i = 0; i < 20; ++i) {
        ripen::test::writeTestImage(inbox / ("image" + std::to_string(i) + ".png"),
                                    ripen::test::makeTestImage(64, 48, i + 1));
    }
    CoreBridge bridge(dir / "library");
    QSignalSpy opened(&bridge, &CoreBridge::libraryOpened);
    bridge.openLibrary();
    REQUIRE(opened.wait(10000));
    QSignalSpy finished(&bridge, &CoreBridge::importFinished);
    bridge.importPaths({QString::fromStdString(inbox.string())});
    bridge.cancelImport();
    REQUIRE(finished.wait(30000));
    const auto summary = finished.at(0).at(0).value<ripen::ImportSummary>();
    CHECK(summary.cancelled);
    CHECK(summary.imported < 20);
}

TEST_CASE("CoreBridge waits for its workers when destroyed", "[ui][bridge]") {
    uiApp();
    TempDir dir;
    makeLibrary(dir / "library", 2);
    auto bridge = std::make_unique<CoreBridge>(dir / "library");
    bridge->openLibrary();
    for (int i = 0; i < 20; ++i) {
        bridge->queryAssets({});
    }
    bridge.reset(); // must neither crash nor deliver to a dead object
    QTest::qWait(50);
    SUCCEED();
}

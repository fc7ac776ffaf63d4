#include "MainWindow.h"

#include "CoreBridge.h"
#include "DemoLibrary.h"
#include "UiTestSupport.h"
#include "credits/CreditsDashboard.h"
#include "gallery/EmptyStateWidget.h"
#include "gallery/GalleryModel.h"
#include "gallery/GalleryView.h"
#include "sidebar/LibrarySidebar.h"
#include "sidebar/SidebarItemDelegate.h"
#include "support/TempDir.h"
#include "support/TestImages.h"
#include "theme/Theme.h"
#include "tools/WidgetScreenshot.h"

#include <QAction>
#include <QApplication>
#include <QImage>
#include <QLineEdit>
#include <QListView>
#include <QMimeData>
#include <QSignalSpy>
#include <QTest>
#include <QTreeWidget>
#include <QUrl>
#include <catch2/catch.hpp>

using ripen::test::TempDir;
using ripen::test::uiApp;
using ripen::test::waitUntil;
using ripen::ui::CoreBridge;
using ripen::ui::MainWindow;

namespace {

// Opens the window on `root`, waits until it has settled and renders it to `name`.
QImage renderWindow(MainWindow& window, CoreBridge& bridge, const QString& name) {
    window.resize(1280, 800);
    window.show();
    QSignalSpy opened(&bridge, &CoreBridge::libraryOpened);
    if (!bridge.isOpen()) {
        bridge.openLibrary();
        REQUIRE(opened.wait(10000));
    }
    REQUIRE(waitUntil([&] { return !window.isBusy(); }, 20000));
    QTest::qWait(200); // batched layout and repaints
    REQUIRE(waitUntil([&] { return !window.isBusy(); }, 20000));
    const QString file = ripen::test::screenshotDir() + QLatin1Char('/') + name;
    REQUIRE(ripen::ui::WidgetScreenshot::save(window, file));
    QImage image(file);
    REQUIRE_FALSE(image.isNull());
    return image;
}

QString countOf(const QTreeWidgetItem* item) {
    return item->data(0, ripen::ui::SidebarItemDelegate::kCountRole).toString();
}

} // namespace

TEST_CASE("The theme is dark by default and its stylesheet is compiled in", "[ui][theme]") {
    uiApp();
    CHECK_FALSE(ripen::ui::Theme::styleSheet().isEmpty());
    const QPalette dark = ripen::ui::Theme::palette(ripen::ui::ThemeMode::Dark);
    CHECK(dark.color(QPalette::Window) == QColor(0x2b2b2b));
    CHECK(dark.color(QPalette::Base) == QColor(0x1f1f1f));
    const QPalette light = ripen::ui::Theme::palette(ripen::ui::ThemeMode::Light);
    CHECK(light.color(QPalette::Window).lightness() > 200);
    CHECK(ripen::ui::Theme::fromString("LIGHT") == ripen::ui::ThemeMode::Light);
    CHECK_FALSE(ripen::ui::Theme::fromString("sepia"));
}

TEST_CASE("An empty library explains what to do", "[ui][window]") {
    uiApp();
    TempDir dir;
    CoreBridge bridge(dir / "library");
    MainWindow window(bridge);
    const QImage image = renderWindow(window, bridge, QStringLiteral("empty.png"));
    CHECK(image.size() == QSize(1280, 800));
    auto& gallery = window.gallery();
    REQUIRE(gallery.isShowingEmptyState());
    CHECK(gallery.emptyState().title() == QStringLiteral("No assets yet"));
    CHECK(gallery.emptyState().body().contains(QStringLiteral("Ctrl+I")));
    CHECK(window.assetCountText() == QStringLiteral("0 assets in the library"));
    // Dark theme: the middle of the gallery is the dark base colour.
    CHECK(QColor(image.pixel(900, 650)).lightness() < 60);
}

TEST_CASE("A populated library fills the grid, the sidebar and the status bar", "[ui][window]") {
    uiApp();
    TempDir dir;
    {
        auto library = ripen::Library::open(dir / "library");
        REQUIRE(library);
        ripen::test::populateDemoLibrary(**library);
    }
    CoreBridge bridge(dir / "library");
    MainWindow window(bridge);
    renderWindow(window, bridge, QStringLiteral("gallery.png"));
    auto& gallery = window.gallery();
    CHECK_FALSE(gallery.isShowingEmptyState());
    CHECK(gallery.model().rowCount() == 24);
    CHECK(window.assetCountText() == QStringLiteral("24 assets in the library"));

    // Sidebar: All assets, the PROJECTS heading with three projects, CLIENTS with two,
    // COLLECTIONS (none yet), then the built-in SMART FILTERS.
    QTreeWidget& tree = window.sidebar().tree();
    REQUIRE(tree.topLevelItemCount() == 5);
    CHECK(countOf(tree.topLevelItem(0)) == QStringLiteral("24"));
    CHECK(tree.topLevelItem(1)->childCount() == 3);
    CHECK(tree.topLevelItem(2)->childCount() == 2);
    CHECK(tree.topLevelItem(3)->text(0) == QStringLiteral("COLLECTIONS"));
    CHECK(tree.topLevelItem(3)->child(0)->text(0) == QStringLiteral("No collections yet"));
    CHECK(tree.topLevelItem(4)->text(0) == QStringLiteral("SMART FILTERS"));
    CHECK(tree.topLevelItem(4)->childCount() ==
          static_cast<int>(ripen::ui::LibrarySidebar::builtInFilters().size()));

    SECTION("choosing a project narrows the gallery") {
        QTreeWidgetItem* concepts = nullptr;
        for (int i = 0; i < tree.topLevelItem(1)->childCount(); ++i) {
            if (tree.topLevelItem(1)->child(i)->text(0) == QStringLiteral("Concepts")) {
                concepts = tree.topLevelItem(1)->child(i);
            }
        }
        REQUIRE(concepts != nullptr);
        CHECK(countOf(concepts) == QStringLiteral("6"));
        tree.setCurrentItem(concepts);
        REQUIRE(waitUntil([&] { return !window.isBusy(); }));
        CHECK(gallery.model().rowCount() == 6);
        CHECK(window.sidebar().scope().project == std::optional<std::string>("Concepts"));
    }

    SECTION("searching is debounced and an empty result says so") {
        gallery.searchField().setText(QStringLiteral("castle"));
        CHECK(gallery.model().query().search.empty()); // not yet: debounced
        REQUIRE(waitUntil([&] { return gallery.model().query().search == "castle"; }, 2000));
        REQUIRE(waitUntil([&] { return !window.isBusy(); }));
        CHECK(gallery.model().rowCount() == 4);
        gallery.searchField().setText(QStringLiteral("zebra"));
        REQUIRE(waitUntil([&] { return gallery.isShowingEmptyState(); }, 3000));
        CHECK(gallery.emptyState().title() == QStringLiteral("No matches"));
        renderWindow(window, bridge, QStringLiteral("no-matches.png"));
    }

    SECTION("the light theme renders too") {
        ripen::ui::Theme::apply(ripen::ui::ThemeMode::Light);
        const QImage light = renderWindow(window, bridge, QStringLiteral("gallery-light.png"));
        ripen::ui::Theme::apply(ripen::ui::ThemeMode::Dark);
        CHECK(QColor(light.pixel(5, 790)).lightness() > 180); // the status bar
    }
}

// Not run by default: `RIPEN_DEMO_LIBRARY=DIR test_ui "[.demo]"` fills DIR with the demo
// library, for `ripen --library DIR --screenshot docs/screenshot.png`.
TEST_CASE("Write the demo library", "[.demo]") {
    const QByteArray dir = qgetenv("RIPEN_DEMO_LIBRARY");
    REQUIRE_FALSE(dir.isEmpty());
    auto library = ripen::Library::open(std::filesystem::path(dir.toStdString()));
    REQUIRE(library);
    ripen::test::populateDemoLibrary(**library);
}

TEST_CASE("Files dropped on the window are imported", "[ui][window][import]") {
    uiApp();
    TempDir dir;
    ripen::test::writeTestImage(dir / "inbox" / "dropped.png",
                                ripen::test::makeTestImage(40, 30, 9));
    CoreBridge bridge(dir / "library");
    MainWindow window(bridge);
    QSignalSpy opened(&bridge, &CoreBridge::libraryOpened);
    bridge.openLibrary();
    REQUIRE(opened.wait(10000));

    QMimeData mime;
    mime.setUrls({QUrl::fromLocalFile(QString::fromStdString((dir / "inbox").string()))});
    QDragEnterEvent enter(QPoint(600, 400), Qt::CopyAction, &mime, Qt::LeftButton, Qt::NoModifier);
    QApplication::sendEvent(&window, &enter);
    CHECK(enter.isAccepted());
    QSignalSpy finished(&bridge, &CoreBridge::importFinished);
    QDropEvent drop(QPointF(600, 400), Qt::CopyAction, &mime, Qt::LeftButton, Qt::NoModifier);
    QApplication::sendEvent(&window, &drop);
    REQUIRE(finished.wait(30000));
    CHECK(finished.at(0).at(0).value<ripen::ImportSummary>().imported == 1);
    // The gallery and the status bar follow the import.
    REQUIRE(
        waitUntil([&] { return window.gallery().model().rowCount() == 1 && !window.isBusy(); }));
    CHECK(window.assetCountText() == QStringLiteral("1 asset in the library"));
}

TEST_CASE("View > Credits shows the credit dashboard in the main window", "[ui][window]") {
    uiApp();
    TempDir dir;
    {
        auto library = ripen::Library::open(dir / "library");
        REQUIRE(library);
        ripen::test::populateDemoLibrary(**library);
    }
    CoreBridge bridge(dir / "library");
    MainWindow window(bridge);
    renderWindow(window, bridge, QStringLiteral("before-credits.png"));
    QAction* credits = nullptr;
    for (QAction* action : window.findChildren<QAction*>()) {
        if (action->text() == QStringLiteral("&Credits")) {
            credits = action;
        }
    }
    REQUIRE(credits != nullptr);
    auto* dashboard = window.findChild<ripen::ui::CreditsDashboard*>();
    REQUIRE(dashboard != nullptr);
    QSignalSpy refreshed(dashboard, &ripen::ui::CreditsDashboard::refreshed);
    credits->trigger();
    REQUIRE(refreshed.wait(20000));
    CHECK(dashboard->isVisible());
    CHECK_FALSE(window.gallery().isVisible());
    const QImage image = renderWindow(window, bridge, QStringLiteral("main-credits.png"));
    CHECK(image.size() == QSize(1280, 800)); // the dashboard scrolls; it does not grow the window
}

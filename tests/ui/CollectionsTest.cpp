#include "catalog/Collections.h"

#include "CoreBridge.h"
#include "DemoLibrary.h"
#include "MainWindow.h"
#include "UiTestSupport.h"
#include "gallery/GalleryModel.h"
#include "gallery/GalleryView.h"
#include "sidebar/CollectionActions.h"
#include "sidebar/LibrarySidebar.h"
#include "sidebar/SidebarItemDelegate.h"
#include "support/TempDir.h"
#include "tools/WidgetScreenshot.h"

#include <QAction>
#include <QApplication>
#include <QDropEvent>
#include <QInputDialog>
#include <QItemSelectionModel>
#include <QListView>
#include <QMenu>
#include <QMenuBar>
#include <QMessageBox>
#include <QMimeData>
#include <QPushButton>
#include <QSignalSpy>
#include <QStatusBar>
#include <QTest>
#include <QTreeWidget>
#include <algorithm>
#include <catch2/catch.hpp>
#include <memory>

using ripen::test::TempDir;
using ripen::test::uiApp;
using ripen::test::waitUntil;
using ripen::ui::CoreBridge;
using ripen::ui::MainWindow;

namespace {

QString countOf(const QTreeWidgetItem* item) {
    return item->data(0, ripen::ui::SidebarItemDelegate::kCountRole).toString();
}

QTreeWidgetItem* entryNamed(QTreeWidget& tree, const QString& heading, const QString& name) {
    for (int i = 0; i < tree.topLevelItemCount(); ++i) {
        QTreeWidgetItem* top = tree.topLevelItem(i);
        if (top->text(0) != heading) {
            continue;
        }
        for (int j = 0; j < top->childCount(); ++j) {
            if (top->child(j)->text(0) == name) {
                return top->child(j);
            }
        }
    }
    return nullptr;
}

QTreeWidgetItem* collectionsHeading(QTreeWidget& tree) {
    for (int i = 0; i < tree.topLevelItemCount(); ++i) {
        if (tree.topLevelItem(i)->text(0) == QStringLiteral("COLLECTIONS")) {
            return tree.topLevelItem(i);
        }
    }
    return nullptr;
}

// Right-clicks `item` and triggers the menu entry whose text starts with `entry`.
void chooseFromContextMenu(ripen::ui::LibrarySidebar& sidebar, QTreeWidgetItem* item,
                           const QString& entry) {
    QTreeWidget& tree = sidebar.tree();
    emit tree.customContextMenuRequested(tree.visualItemRect(item).center());
    QMenu* menu = nullptr;
    for (QMenu* candidate : sidebar.findChildren<QMenu*>()) {
        if (candidate->isVisible()) {
            menu = candidate;
        }
    }
    REQUIRE(menu != nullptr);
    QAction* chosen = nullptr;
    for (QAction* action : menu->actions()) {
        if (action->text().startsWith(entry)) {
            chosen = action;
        }
    }
    REQUIRE(chosen != nullptr);
    chosen->trigger();
    menu->close();
}

// Types `name` into the open "collectionName" dialog and presses OK.
void answerNameDialog(QWidget& window, const QString& name) {
    QInputDialog* ask = nullptr;
    REQUIRE(waitUntil([&] {
        ask = window.findChild<QInputDialog*>(QStringLiteral("collectionName"));
        return ask != nullptr && ask->isVisible();
    }));
    ask->setTextValue(name);
    ask->accept();
}

// Selects the grid's rows `rows` and drops them, as a drag from the grid does, on `target`.
std::vector<ripen::AssetId> dropRowsOn(ripen::ui::GalleryView& gallery, QTreeWidget& tree,
                                       QTreeWidgetItem* target, const std::vector<int>& rows) {
    QListView& grid = gallery.grid();
    grid.selectionModel()->clearSelection();
    QModelIndexList indexes;
    std::vector<ripen::AssetId> ids;
    for (int row : rows) {
        const QModelIndex index = gallery.model().index(row);
        grid.selectionModel()->select(index, QItemSelectionModel::Select);
        indexes << index;
        ids.push_back(index.data(ripen::ui::GalleryModel::AssetIdRole).toLongLong());
    }
    const std::unique_ptr<QMimeData> mime(gallery.model().mimeData(indexes));
    REQUIRE(mime != nullptr);
    const QPoint at = tree.visualItemRect(target).center();
    QDragEnterEvent enter(at, Qt::CopyAction, mime.get(), Qt::LeftButton, Qt::NoModifier);
    QApplication::sendEvent(tree.viewport(), &enter);
    REQUIRE(enter.isAccepted());
    QDragMoveEvent move(at, Qt::CopyAction, mime.get(), Qt::LeftButton, Qt::NoModifier);
    QApplication::sendEvent(tree.viewport(), &move);
    REQUIRE(move.isAccepted());
    QDropEvent drop(QPointF(at), Qt::CopyAction, mime.get(), Qt::LeftButton, Qt::NoModifier);
    QApplication::sendEvent(tree.viewport(), &drop);
    REQUIRE(drop.isAccepted());
    std::ranges::sort(ids);
    return ids;
}

// What the catalog itself says, through a connection of its own.
std::vector<ripen::AssetId> membersInCatalog(const std::filesystem::path& root,
                                             const std::string& name) {
    auto library = ripen::Library::open(root);
    REQUIRE(library);
    auto collection = ripen::Collections((*library)->catalog()).byName(name);
    REQUIRE(collection);
    ripen::AssetQuery query;
    query.collection = collection->id;
    auto assets = (*library)->catalog().find(query);
    REQUIRE(assets);
    std::vector<ripen::AssetId> ids;
    for (const auto& asset : *assets) {
        ids.push_back(asset.id);
    }
    std::ranges::sort(ids);
    CHECK(collection->assetCount == static_cast<std::int64_t>(ids.size()));
    return ids;
}

} // namespace

TEST_CASE("Collections are made in the sidebar, filled by dropping gallery assets and scope "
          "the grid",
          "[ui][collections]") {
    uiApp();
    TempDir dir;
    const auto root = dir / "library";
    {
        auto library = ripen::Library::open(root);
        REQUIRE(library);
        ripen::test::populateDemoLibrary(**library);
    }
    CoreBridge bridge(root);
    MainWindow window(bridge);
    window.resize(1280, 800);
    window.show();
    QSignalSpy opened(&bridge, &CoreBridge::libraryOpened);
    bridge.openLibrary();
    REQUIRE(opened.wait(10000));
    REQUIRE(waitUntil([&] { return !window.isBusy(); }, 20000));
    auto& sidebar = window.sidebar();
    QTreeWidget& tree = sidebar.tree();
    auto& gallery = window.gallery();
    REQUIRE(gallery.model().rowCount() == 24);

    // New Collection… from the COLLECTIONS heading's context menu.
    QTreeWidgetItem* heading = collectionsHeading(tree);
    REQUIRE(heading != nullptr);
    chooseFromContextMenu(sidebar, heading, QStringLiteral("New Collection"));
    answerNameDialog(window, QStringLiteral("Portfolio"));
    REQUIRE(waitUntil([&] {
        return entryNamed(tree, QStringLiteral("COLLECTIONS"), QStringLiteral("Portfolio"));
    }));
    QTreeWidgetItem* portfolio =
        entryNamed(tree, QStringLiteral("COLLECTIONS"), QStringLiteral("Portfolio"));
    CHECK(countOf(portfolio) == QStringLiteral("0"));
    CHECK(window.statusBar()->currentMessage().contains(QStringLiteral("Portfolio")));

    // Three thumbnails dragged onto it: its count and the catalog follow.
    const std::vector<ripen::AssetId> dropped = dropRowsOn(gallery, tree, portfolio, {0, 2, 5});
    REQUIRE(waitUntil([&] {
        auto* item = entryNamed(tree, QStringLiteral("COLLECTIONS"), QStringLiteral("Portfolio"));
        return item != nullptr && countOf(item) == QStringLiteral("3");
    }));
    REQUIRE(waitUntil([&] { return !window.isBusy(); }));
    CHECK(membersInCatalog(root, "Portfolio") == dropped);
    // Dropping one of them again adds nothing twice.
    portfolio = entryNamed(tree, QStringLiteral("COLLECTIONS"), QStringLiteral("Portfolio"));
    dropRowsOn(gallery, tree, portfolio, {0});
    REQUIRE(waitUntil([&] { return !window.isBusy(); }));
    CHECK(membersInCatalog(root, "Portfolio") == dropped);

    // Choosing it scopes the grid; "Remove from …" appears and takes one out.
    portfolio = entryNamed(tree, QStringLiteral("COLLECTIONS"), QStringLiteral("Portfolio"));
    auto& actions = window.collectionActions();
    CHECK_FALSE(actions.removeFromCollectionAction().isVisible());
    tree.setCurrentItem(portfolio);
    REQUIRE(waitUntil([&] { return !window.isBusy() && gallery.model().rowCount() == 3; }));
    CHECK(sidebar.scope().collection.has_value());
    CHECK(actions.removeFromCollectionAction().isVisible());
    CHECK(gallery.grid().actions().contains(&actions.removeFromCollectionAction()));
    gallery.grid().selectionModel()->clearSelection();
    gallery.grid().selectionModel()->select(gallery.model().index(0),
                                            QItemSelectionModel::ClearAndSelect);
    const ripen::AssetId removed =
        gallery.model().index(0).data(ripen::ui::GalleryModel::AssetIdRole).toLongLong();
    actions.removeFromCollectionAction().trigger();
    REQUIRE(waitUntil([&] { return !window.isBusy() && gallery.model().rowCount() == 2; }));
    auto remaining = dropped;
    std::erase(remaining, removed);
    CHECK(membersInCatalog(root, "Portfolio") == remaining);
    CHECK(countOf(entryNamed(tree, QStringLiteral("COLLECTIONS"), QStringLiteral("Portfolio"))) ==
          QStringLiteral("2"));
    CHECK(window.statusBar()->currentMessage().contains(QStringLiteral("removed")));

    // The grid's "Add to Collection" submenu lists it and adds the selection.
    tree.setCurrentItem(tree.topLevelItem(0)); // All assets
    REQUIRE(waitUntil([&] { return !window.isBusy() && gallery.model().rowCount() == 24; }));
    CHECK_FALSE(actions.removeFromCollectionAction().isVisible());
    // The same entries are in the Photo menu, for people who work from the menu bar.
    QMenu* photo = nullptr;
    for (QAction* menu : window.menuBar()->actions()) {
        if (menu->text() == QStringLiteral("&Photo")) {
            photo = menu->menu();
        }
    }
    REQUIRE(photo != nullptr);
    CHECK(photo->actions().contains(&actions.addToCollectionAction()));
    CHECK(photo->actions().contains(&actions.removeFromCollectionAction()));
    photo->popup(QPoint(0, 0));
    REQUIRE(waitUntil([&] { return photo->isVisible(); }, 3000));
    CHECK(photo->grab().save(ripen::test::screenshotDir() + QStringLiteral("/photo-menu.png")));
    photo->close();
    QMenu* submenu = actions.addToCollectionAction().menu();
    REQUIRE(submenu != nullptr);
    QAction* toPortfolio = nullptr;
    for (QAction* action : submenu->actions()) {
        if (action->text() == QStringLiteral("Portfolio")) {
            toPortfolio = action;
        }
    }
    REQUIRE(toPortfolio != nullptr);
    gallery.grid().selectionModel()->select(gallery.model().index(10),
                                            QItemSelectionModel::ClearAndSelect);
    const ripen::AssetId added =
        gallery.model().index(10).data(ripen::ui::GalleryModel::AssetIdRole).toLongLong();
    toPortfolio->trigger();
    REQUIRE(waitUntil([&] {
        auto* item = entryNamed(tree, QStringLiteral("COLLECTIONS"), QStringLiteral("Portfolio"));
        return !window.isBusy() && item != nullptr && countOf(item) == QStringLiteral("3");
    }));
    remaining.push_back(added);
    std::ranges::sort(remaining);
    CHECK(membersInCatalog(root, "Portfolio") == remaining);

    SECTION("a taken name is refused and the refusal is shown") {
        chooseFromContextMenu(sidebar, collectionsHeading(tree), QStringLiteral("New Collection"));
        answerNameDialog(window, QStringLiteral("portfolio"));
        REQUIRE(waitUntil([&] {
            return window.statusBar()->currentMessage().contains(QStringLiteral("not created"));
        }));
        CHECK(collectionsHeading(tree)->childCount() == 1);
    }

    SECTION("renaming and deleting from the context menu; the assets stay") {
        const auto shot = ripen::test::screenshotDir() + QStringLiteral("/collections.png");
        tree.setCurrentItem(
            entryNamed(tree, QStringLiteral("COLLECTIONS"), QStringLiteral("Portfolio")));
        REQUIRE(waitUntil([&] { return !window.isBusy() && gallery.model().rowCount() == 3; }));
        QTest::qWait(200);
        REQUIRE(waitUntil([&] { return !window.isBusy(); }));
        REQUIRE(ripen::ui::WidgetScreenshot::save(window, shot));

        chooseFromContextMenu(
            sidebar, entryNamed(tree, QStringLiteral("COLLECTIONS"), QStringLiteral("Portfolio")),
            QStringLiteral("Rename"));
        answerNameDialog(window, QStringLiteral("Client shortlist"));
        REQUIRE(waitUntil([&] {
            return entryNamed(tree, QStringLiteral("COLLECTIONS"),
                              QStringLiteral("Client shortlist")) != nullptr;
        }));
        // Still chosen under its new name, still scoping the grid.
        CHECK(tree.currentItem()->text(0) == QStringLiteral("Client shortlist"));
        CHECK(gallery.model().rowCount() == 3);
        CHECK(membersInCatalog(root, "Client shortlist") == remaining);

        chooseFromContextMenu(
            sidebar,
            entryNamed(tree, QStringLiteral("COLLECTIONS"), QStringLiteral("Client shortlist")),
            QStringLiteral("Delete"));
        QMessageBox* confirm = nullptr;
        REQUIRE(waitUntil([&] {
            confirm = window.findChild<QMessageBox*>(QStringLiteral("deleteCollection"));
            return confirm != nullptr && confirm->isVisible();
        }));
        QAbstractButton* remove = nullptr;
        for (QAbstractButton* button : confirm->buttons()) {
            if (button->text() == QStringLiteral("Delete")) {
                remove = button;
            }
        }
        REQUIRE(remove != nullptr);
        remove->click();
        REQUIRE(waitUntil([&] {
            return !window.isBusy() && collectionsHeading(tree)->child(0)->text(0) ==
                                           QStringLiteral("No collections yet");
        }));
        // The grid falls back to all assets, and none was deleted.
        REQUIRE(waitUntil([&] { return !window.isBusy() && gallery.model().rowCount() == 24; }));
        CHECK_FALSE(sidebar.scope().collection.has_value());
        auto library = ripen::Library::open(root);
        REQUIRE(library);
        auto left = ripen::Collections((*library)->catalog()).list();
        REQUIRE(left);
        CHECK(left->empty());
        CHECK((*library)->catalog().count(ripen::AssetQuery{}).value_or(0) == 24);
    }
}

// The sidebar's smart filters and the filter bar's custom date range, driven as a user
// does (clicks in the sidebar, the Save… button, the date dialog, a context menu) and
// checked against what the catalog holds, read back through core.

#include "CoreBridge.h"
#include "DemoLibrary.h"
#include "MainWindow.h"
#include "UiTestSupport.h"
#include "catalog/Library.h"
#include "filters/DateRangeDialog.h"
#include "filters/FilterBar.h"
#include "gallery/GalleryModel.h"
#include "gallery/GalleryView.h"
#include "sidebar/LibrarySidebar.h"
#include "support/TempDir.h"
#include "tools/WidgetScreenshot.h"

#include <QComboBox>
#include <QContextMenuEvent>
#include <QDateEdit>
#include <QDateTime>
#include <QInputDialog>
#include <QListView>
#include <QMenu>
#include <QPushButton>
#include <QSettings>
#include <QSignalSpy>
#include <QTest>
#include <QTreeWidget>
#include <catch2/catch.hpp>

using ripen::test::TempDir;
using ripen::test::uiApp;
using ripen::test::waitUntil;
using ripen::ui::CoreBridge;
using ripen::ui::MainWindow;

namespace {

constexpr std::int64_t kDayMs = 86'400'000;

struct SidebarFixture {
    explicit SidebarFixture(int count, QSize size = {1280, 800}) {
        uiApp();
        QSettings().remove(QStringLiteral("sidebar/smartFilters"));
        {
            auto library = ripen::Library::open(dir / "library");
            REQUIRE(library);
            ids = ripen::test::addGeneratedAssets(**library, count, true, 256);
        }
        open(size);
    }
    ~SidebarFixture() {
        window.reset();
        QSettings().remove(QStringLiteral("sidebar/smartFilters"));
    }
    SidebarFixture(const SidebarFixture&) = delete;
    SidebarFixture& operator=(const SidebarFixture&) = delete;

    void open(QSize size) {
        window.reset();
        bridge = std::make_unique<CoreBridge>(dir / "library");
        window = std::make_unique<MainWindow>(*bridge);
        window->restoreSettings(); // saved smart filters come from settings
        window->resize(size);
        window->show();
        QSignalSpy opened(bridge.get(), &CoreBridge::libraryOpened);
        bridge->openLibrary();
        REQUIRE(opened.wait(10000));
        settle();
    }

    void settle() {
        REQUIRE(waitUntil([&] { return !window->isBusy(); }, 20000));
    }

    QTreeWidget& tree() { return window->sidebar().tree(); }
    ripen::ui::FilterBar& filters() { return window->gallery().filterBar(); }
    int rows() { return window->gallery().model().rowCount(); }

    QTreeWidgetItem* entry(const QString& label) {
        const auto found = tree().findItems(label, Qt::MatchExactly | Qt::MatchRecursive);
        return found.isEmpty() ? nullptr : found.front();
    }

    void click(const QString& label) {
        QTreeWidgetItem* item = entry(label);
        REQUIRE(item != nullptr);
        tree().scrollToItem(item);
        const QRect rect = tree().visualItemRect(item);
        QTest::mouseClick(tree().viewport(), Qt::LeftButton, {}, rect.center());
        settle();
    }

    QString comboText(const char* name) {
        return window->gallery().findChild<QComboBox*>(QString::fromLatin1(name))->currentText();
    }

    std::int64_t stored(const ripen::AssetQuery& query) {
        auto library = ripen::Library::open(dir / "library");
        REQUIRE(library);
        auto count = (*library)->catalog().count(query);
        REQUIRE(count);
        return *count;
    }

    void shoot(const QString& name) {
        settle();
        QTest::qWait(150);
        settle();
        REQUIRE(ripen::ui::WidgetScreenshot::save(*window, ripen::test::screenshotDir() +
                                                               QLatin1Char('/') + name));
    }

    TempDir dir;
    std::vector<ripen::AssetId> ids;
    std::unique_ptr<CoreBridge> bridge;
    std::unique_ptr<MainWindow> window;
};

} // namespace

TEST_CASE("Sidebar smart filters narrow the grid and show in the filter bar",
          "[ui][filters][sidebar]") {
    SidebarFixture f(20);
    REQUIRE(f.rows() == 20);

    f.click(QStringLiteral("Picks"));
    ripen::AssetQuery picks;
    picks.flag = ripen::Flag::Pick;
    const auto pickCount = f.stored(picks);
    REQUIRE(pickCount > 0);
    CHECK(f.rows() == pickCount);
    CHECK(f.comboText("filterFlag") == QStringLiteral("Picked"));
    CHECK(f.window->findChild<QPushButton*>(QStringLiteral("filterClear"))->isVisible());

    f.click(QStringLiteral("Four stars and up"));
    ripen::AssetQuery fourUp;
    fourUp.minRating = 4;
    CHECK(f.rows() == f.stored(fourUp));
    CHECK(f.comboText("filterFlag") == QStringLiteral("Flag")); // the picks filter is gone
    CHECK(f.comboText("filterRating").startsWith(QString(4, QChar(0x2605))));

    // A smart filter covers the whole library, even when a project was chosen before.
    const QString project = f.tree().topLevelItem(1)->child(0)->text(0);
    f.click(project);
    CHECK(f.window->sidebar().scope().project == project.toStdString());
    f.click(QStringLiteral("Rejects"));
    CHECK_FALSE(f.window->sidebar().scope().project);
    ripen::AssetQuery rejects;
    rejects.flag = ripen::Flag::Reject;
    CHECK(f.rows() == f.stored(rejects));

    f.window->findChild<QPushButton*>(QStringLiteral("filterClear"))->click();
    f.settle();
    CHECK(f.rows() == 20);
}

TEST_CASE("Filters saved from the bar become a smart filter that outlives the window",
          "[ui][filters][sidebar]") {
    SidebarFixture f(20);
    f.filters().setColorLabel(ripen::ColorLabel::Green);
    f.filters().setMinimumRating(1);
    f.settle();
    ripen::AssetQuery wanted;
    wanted.colorLabel = ripen::ColorLabel::Green;
    wanted.minRating = 1;
    const auto expected = f.stored(wanted);
    REQUIRE(f.rows() == expected);

    auto* save = f.window->findChild<QPushButton*>(QStringLiteral("filterSave"));
    REQUIRE(save->isVisible());
    QTest::mouseClick(save, Qt::LeftButton);
    auto* ask = f.window->findChild<QInputDialog*>(QStringLiteral("smartFilterName"));
    REQUIRE(ask != nullptr);
    ask->setTextValue(QStringLiteral("Green keepers"));
    ask->accept();
    REQUIRE(f.entry(QStringLiteral("Green keepers")) != nullptr);

    f.filters().clear();
    f.settle();
    CHECK(f.rows() == 20);
    f.click(QStringLiteral("Green keepers"));
    CHECK(f.rows() == expected);
    CHECK(f.comboText("filterLabel") == QStringLiteral("Green"));

    // A new window (the next start) lists it again, and it still filters.
    f.open({1280, 800});
    REQUIRE(f.entry(QStringLiteral("Green keepers")) != nullptr);
    f.click(QStringLiteral("Green keepers"));
    CHECK(f.rows() == expected);

    // Right-click > Remove takes it out of the sidebar and the settings.
    QTreeWidgetItem* item = f.entry(QStringLiteral("Green keepers"));
    const QPoint at = f.tree().visualItemRect(item).center();
    QContextMenuEvent menuEvent(QContextMenuEvent::Mouse, at, f.tree().viewport()->mapToGlobal(at));
    QApplication::sendEvent(f.tree().viewport(), &menuEvent);
    auto* menu = f.window->sidebar().findChild<QMenu*>();
    REQUIRE(menu != nullptr);
    REQUIRE(menu->actions().size() == 1);
    menu->actions().front()->trigger();
    CHECK(f.entry(QStringLiteral("Green keepers")) == nullptr);
    CHECK(QSettings().value(QStringLiteral("sidebar/smartFilters")).toList().isEmpty());
    // Built-in filters have no menu: they cannot be removed.
    delete menu;
    const QPoint builtIn = f.tree().visualItemRect(f.entry(QStringLiteral("Picks"))).center();
    QContextMenuEvent builtInEvent(QContextMenuEvent::Mouse, builtIn,
                                   f.tree().viewport()->mapToGlobal(builtIn));
    QApplication::sendEvent(f.tree().viewport(), &builtInEvent);
    CHECK(f.window->sidebar().findChild<QMenu*>() == nullptr);
}

TEST_CASE("A custom date range shows the assets added on those days", "[ui][filters]") {
    SidebarFixture f(12);
    // Six assets entered the library five days before the others.
    {
        auto library = ripen::Library::open(f.dir / "library");
        REQUIRE(library);
        auto& db = (*library)->catalog().database();
        for (std::size_t i = 0; i < 6; ++i) {
            REQUIRE(db.exec("UPDATE assets SET imported_at = imported_at - " +
                            std::to_string(5 * kDayMs) +
                            " WHERE id = " + std::to_string(f.ids[i])));
        }
    }
    f.window->gallery().reload();
    f.settle();
    const QDate early = QDateTime::fromMSecsSinceEpoch(1'760'000'000'000 - 5 * kDayMs).date();

    auto* dateBox = f.window->findChild<QComboBox*>(QStringLiteral("filterDate"));
    const int custom = dateBox->count() - 1;
    REQUIRE(dateBox->itemText(custom) == QStringLiteral("Custom range…"));
    // Picking "Custom range…" asks for the days.
    dateBox->setCurrentIndex(custom);
    emit dateBox->activated(custom);
    auto* dialog = f.window->findChild<ripen::ui::DateRangeDialog*>();
    REQUIRE(dialog != nullptr);
    dialog->fromEdit().setDate(early.addDays(-1));
    dialog->toEdit().setDate(early.addDays(1));
    dialog->accept();
    f.settle();
    CHECK(f.rows() == 6);
    CHECK(dateBox->currentText().contains(
        early.addDays(-1).toString(QLocale().dateFormat(QLocale::ShortFormat))));

    // The end moves with a start set past it, and one day is a valid span.
    auto* again = new ripen::ui::DateRangeDialog(early, early, f.window.get());
    again->fromEdit().setDate(early.addDays(5));
    CHECK(again->to() == early.addDays(5));
    delete again;

    f.filters().setCustomDateRange(early.addDays(5), early.addDays(5));
    f.settle();
    CHECK(f.rows() == 6); // the other six, five days later

    // Cancelling the dialog puts the previous period back.
    f.filters().setDateRange(ripen::ui::FilterBar::DateRange::Any);
    f.settle();
    dateBox->setCurrentIndex(custom);
    emit dateBox->activated(custom);
    dialog = f.window->findChild<ripen::ui::DateRangeDialog*>();
    REQUIRE(dialog != nullptr);
    dialog->reject();
    f.settle();
    CHECK(dateBox->currentIndex() == 0);
    CHECK(f.rows() == 12);
}

TEST_CASE("The sidebar with smart filters renders for people to look at",
          "[ui][sidebar][screenshot]") {
    for (const QSize size : {QSize(1280, 800), QSize(1920, 1080)}) {
        SidebarFixture f(24, size);
        f.window->sidebar().saveFilter([] {
            ripen::ui::SmartFilter filter;
            filter.name = QStringLiteral("Client shortlist");
            filter.flag = ripen::Flag::Pick;
            filter.minRating = 3;
            return filter;
        }());
        f.click(QStringLiteral("Picks"));
        f.shoot(QStringLiteral("sidebar-smart-filters-%1.png").arg(size.width()));
    }
}

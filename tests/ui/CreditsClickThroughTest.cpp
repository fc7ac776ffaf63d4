// The credit dashboard inside the main window as a user works it: a double-click or a
// bar click on a figure opens the gallery on the assets behind it, and budgets are set,
// changed and removed from the Budgets tab and land in the catalog's ledger.

#include "CoreBridge.h"
#include "MainWindow.h"
#include "UiTestSupport.h"
#include "core/credits/SyntheticLedger.h"
#include "credits/BudgetDialog.h"
#include "credits/CreditsDashboard.h"
#include "credits/CreditsDrillDown.h"
#include "credits/CreditsTableModel.h"
#include "credits/Ledger.h"
#include "filters/FilterBar.h"
#include "gallery/GalleryModel.h"
#include "gallery/GalleryView.h"
#include "sidebar/LibrarySidebar.h"
#include "tools/WidgetScreenshot.h"

#include <QAction>
#include <QBarSet>
#include <QChart>
#include <QChartView>
#include <QCheckBox>
#include <QComboBox>
#include <QLineEdit>
#include <QPushButton>
#include <QScrollArea>
#include <QScrollBar>
#include <QSignalSpy>
#include <QStackedBarSeries>
#include <QStackedWidget>
#include <QTabWidget>
#include <QTableView>
#include <QTest>
#include <catch2/catch.hpp>

using namespace ripen;
using namespace ripen::test;
using ripen::ui::CoreBridge;
using ripen::ui::CreditsDashboard;
using ripen::ui::MainWindow;

namespace {

// Two weeks from Monday 2026-11-09: every day one charged concept job per project
// ($0.04 each), each storing one asset at 10:00 UTC. Spring belongs to client Acme.
struct TwoWeeks : SyntheticLedger {
    TwoWeeks() {
        const std::int64_t acme = client("Acme");
        const std::int64_t spring = project("Spring", "Acme");
        const std::int64_t poster = project("Poster");
        std::int64_t id = 0;
        for (CalendarDay d = day("2026-11-09"); d < day("2026-11-23"); ++d) {
            const std::int64_t t = d * kMillisPerDay + 36'000'000;
            for (const auto& [projectId, clientId] :
                 {std::pair{spring, std::optional<std::int64_t>(acme)},
                  std::pair{poster, std::optional<std::int64_t>()}}) {
                ++id;
                job({.id = id, .projectId = projectId, .clientId = clientId, .createdAt = t});
                settled(t, id, 40'000, 40'000);
                asset({.id = id,
                       .projectId = projectId,
                       .clientId = clientId,
                       .flag = id % 4 == 0 ? "pick" : "none",
                       .madeBy = id,
                       .importedAt = t});
            }
        }
        Ledger ledger(db());
        REQUIRE(ledger.setBudget("project", spring, 2'000'000));
    }
};

struct CreditsWindow {
    CreditsWindow() {
        uiApp();
        bridge = std::make_unique<CoreBridge>(ledger.dir / "library");
        window = std::make_unique<MainWindow>(*bridge);
        window->resize(1280, 800);
        window->show();
        QSignalSpy opened(bridge.get(), &CoreBridge::libraryOpened);
        bridge->openLibrary();
        REQUIRE(opened.wait(10000));
        settle();
        dashboard = window->findChild<CreditsDashboard*>();
        REQUIRE(dashboard != nullptr);
        dashboard->setAsOf(SyntheticLedger::day("2026-11-25"));
        dashboard->setGrouping(SpendGrouping::Project);
        QSignalSpy refreshed(dashboard, &CreditsDashboard::refreshed);
        for (QAction* action : window->findChildren<QAction*>()) {
            if (action->text() == QStringLiteral("&Credits")) {
                action->trigger();
            }
        }
        REQUIRE(waitUntil([&] { return refreshed.count() > 0 && !dashboard->isBusy(); }, 20000));
    }
    ~CreditsWindow() { window.reset(); }
    CreditsWindow(const CreditsWindow&) = delete;
    CreditsWindow& operator=(const CreditsWindow&) = delete;

    void settle() {
        REQUIRE(waitUntil([&] { return !window->isBusy() && !dashboard_busy(); }, 20000));
    }
    bool dashboard_busy() const { return dashboard != nullptr && dashboard->isBusy(); }
    void refreshed() {
        QSignalSpy spy(dashboard, &CreditsDashboard::refreshed);
        REQUIRE(waitUntil([&] { return spy.count() > 0 && !dashboard->isBusy(); }, 20000));
    }

    int rowOf(QTableView& table, const QString& first, const QString& second = {}) {
        auto* model = table.model();
        for (int row = 0; row < model->rowCount(); ++row) {
            if (model->index(row, 0).data().toString() == first &&
                (second.isEmpty() || model->index(row, 1).data().toString() == second)) {
                return row;
            }
        }
        return -1;
    }

    void doubleClick(QTableView& table, int row) {
        table.scrollTo(table.model()->index(row, 0));
        const QRect cell = table.visualRect(table.model()->index(row, 0));
        // A double-click needs the press first, as a mouse gives it.
        QTest::mouseClick(table.viewport(), Qt::LeftButton, {}, cell.center());
        QTest::mouseDClick(table.viewport(), Qt::LeftButton, {}, cell.center());
        settle();
    }

    std::int64_t stored(const AssetQuery& query) {
        auto count = ledger.library->catalog().count(query);
        REQUIRE(count);
        return *count;
    }

    int galleryRows() { return window->gallery().model().rowCount(); }

    TwoWeeks ledger;
    std::unique_ptr<CoreBridge> bridge;
    std::unique_ptr<MainWindow> window;
    CreditsDashboard* dashboard = nullptr;
};

} // namespace

TEST_CASE("A double-click on a dashboard figure shows the assets behind it",
          "[ui][credits][window]") {
    CreditsWindow f;
    auto& tables = f.dashboard->tables();
    tables.setCurrentWidget(&f.dashboard->spendTable());
    const int row =
        f.rowOf(f.dashboard->spendTable(), QStringLiteral("2026-11-16"), QStringLiteral("Spring"));
    REQUIRE(row >= 0);
    f.doubleClick(f.dashboard->spendTable(), row);

    CHECK(f.window->views().currentWidget() == &f.window->gallery());
    CHECK(f.window->sidebar().scope().project == "Spring");
    AssetQuery week;
    week.project = "Spring";
    week.importedAfterMs = SyntheticLedger::day("2026-11-16") * kMillisPerDay;
    week.importedBeforeMs = SyntheticLedger::day("2026-11-23") * kMillisPerDay;
    CHECK(f.stored(week) == 7);
    CHECK(f.galleryRows() == 7); // one asset a day for the week that bar stands for
    CHECK(f.window->gallery().filterBar().current().period ==
          ripen::ui::SmartFilter::Period::Custom);

    // Yield: every attempt of the project behind its picks.
    for (QAction* action : f.window->findChildren<QAction*>()) {
        if (action->text() == QStringLiteral("&Credits")) {
            action->trigger();
        }
    }
    f.settle();
    tables.setCurrentWidget(&f.dashboard->yieldTable());
    const int poster = f.rowOf(f.dashboard->yieldTable(), QStringLiteral("Poster"));
    REQUIRE(poster >= 0);
    f.doubleClick(f.dashboard->yieldTable(), poster);
    CHECK(f.window->sidebar().scope().project == "Poster");
    CHECK_FALSE(f.window->gallery().filterBar().isActive());
    CHECK(f.galleryRows() == 14);
}

TEST_CASE("A click on a spend bar shows the assets behind that bar", "[ui][credits][window]") {
    CreditsWindow f;
    QChartView& view = f.dashboard->spendChart();
    view.window()->raise();
    auto series = view.chart()->series();
    QStackedBarSeries* bars = nullptr;
    for (auto* s : series) {
        bars = bars != nullptr ? bars : qobject_cast<QStackedBarSeries*>(s);
    }
    REQUIRE(bars != nullptr);
    // The first week's Poster segment (sets are sorted by name: Poster, Spring).
    QBarSet* posterSet = bars->barSets().front();
    REQUIRE(posterSet->label() == QStringLiteral("Poster"));
    QSignalSpy asked(f.dashboard, &CreditsDashboard::assetsRequested);
    const QPointF middle = view.chart()->mapToPosition(QPointF(0, posterSet->at(0) / 2), bars);
    QTest::mouseClick(view.viewport(), Qt::LeftButton, {},
                      view.mapFromScene(view.chart()->mapToScene(middle)));
    REQUIRE(asked.count() == 1);
    f.settle();
    CHECK(f.window->sidebar().scope().project == "Poster");
    CHECK(f.galleryRows() == 7); // Poster's week of 2026-11-09
}

TEST_CASE("Budgets set, changed and removed from the dashboard land in the ledger",
          "[ui][credits][window]") {
    CreditsWindow f;
    auto& tables = f.dashboard->tables();
    QWidget* budgetsTab = f.dashboard->budgetsTable().parentWidget();
    tables.setCurrentWidget(budgetsTab);
    auto* add = f.dashboard->findChild<QPushButton*>(QStringLiteral("newBudget"));
    REQUIRE(add != nullptr);
    QTest::mouseClick(add, Qt::LeftButton);
    auto* dialog = f.dashboard->findChild<ripen::ui::BudgetDialog*>();
    REQUIRE(dialog != nullptr);
    dialog->scopeBox().setCurrentIndex(dialog->scopeBox().findData(QStringLiteral("client")));
    CHECK(dialog->nameBox().findText(QStringLiteral("Acme")) >= 0); // the library's clients
    dialog->nameBox().setCurrentText(QStringLiteral("Acme"));
    dialog->limitEdit().setText(QStringLiteral("7,50"));
    dialog->accept();
    CHECK(dialog->isVisible()); // refused, and says why
    CHECK_FALSE(dialog->errorText().isEmpty());
    dialog->limitEdit().setText(QStringLiteral("7.5"));
    QSignalSpy refreshed(f.dashboard, &CreditsDashboard::refreshed);
    dialog->accept();
    REQUIRE(waitUntil([&] { return refreshed.count() > 0 && !f.dashboard->isBusy(); }, 20000));

    Ledger ledger(f.ledger.db());
    const auto findBudget = [&](const std::string& scope, const std::string& name) {
        auto all = ledger.budgets();
        REQUIRE(all);
        std::optional<Ledger::BudgetStatus> found;
        for (const auto& b : *all) {
            if (b.scope == scope && b.name == name) {
                found = b;
            }
        }
        return found;
    };
    REQUIRE(findBudget("client", "Acme"));
    CHECK(findBudget("client", "Acme")->limitUsd == 7'500'000);
    const int acmeRow = f.rowOf(f.dashboard->budgetsTable(), QStringLiteral("client Acme"));
    REQUIRE(acmeRow >= 0);
    CHECK(f.dashboard->budgetsModel().data(f.dashboard->budgetsModel().index(acmeRow, 1)) ==
          QStringLiteral("$7.50"));

    // Change the project's cap: select its row, Change…, a new figure.
    const int springRow = f.rowOf(f.dashboard->budgetsTable(), QStringLiteral("project Spring"));
    REQUIRE(springRow >= 0);
    f.dashboard->budgetsTable().selectRow(springRow);
    auto* change = f.dashboard->findChild<QPushButton*>(QStringLiteral("changeBudget"));
    REQUIRE(change->isEnabled());
    QTest::mouseClick(change, Qt::LeftButton);
    dialog = f.dashboard->findChild<ripen::ui::BudgetDialog*>();
    REQUIRE(dialog != nullptr);
    CHECK(dialog->name() == QStringLiteral("Spring"));
    CHECK(dialog->limitEdit().text() == QStringLiteral("2.00"));
    dialog->limitEdit().setText(QStringLiteral("0.5"));
    refreshed.clear();
    dialog->accept();
    REQUIRE(waitUntil([&] { return refreshed.count() > 0 && !f.dashboard->isBusy(); }, 20000));
    CHECK(findBudget("project", "Spring")->limitUsd == 500'000);

    // Remove it: No cap.
    f.dashboard->budgetsTable().selectRow(
        f.rowOf(f.dashboard->budgetsTable(), QStringLiteral("project Spring")));
    QTest::mouseClick(change, Qt::LeftButton);
    dialog = f.dashboard->findChild<ripen::ui::BudgetDialog*>();
    REQUIRE(dialog != nullptr);
    dialog->noCapBox().setChecked(true);
    CHECK_FALSE(dialog->limitEdit().isEnabled());
    refreshed.clear();
    dialog->accept();
    REQUIRE(waitUntil([&] { return refreshed.count() > 0 && !f.dashboard->isBusy(); }, 20000));
    CHECK_FALSE(findBudget("project", "Spring"));
    CHECK(f.rowOf(f.dashboard->budgetsTable(), QStringLiteral("project Spring")) < 0);
}

TEST_CASE("Spend of a week or a month covers exactly its days", "[ui][credits]") {
    using ripen::ui::bucketEnd;
    const auto d = [](const char* text) {
        return SyntheticLedger::day(text);
    };
    CHECK(bucketEnd(SpendBucket::Day, d("2026-11-16")) == d("2026-11-17"));
    CHECK(bucketEnd(SpendBucket::Week, d("2026-11-16")) == d("2026-11-23"));
    CHECK(bucketEnd(SpendBucket::Month, d("2026-02-01")) == d("2026-03-01"));
    CHECK(bucketEnd(SpendBucket::Month, d("2026-12-01")) == d("2027-01-01"));
    const auto model = ripen::ui::assetsBehindSpend(
        SpendGrouping::Model, SpendBucket::Month, d("2026-11-01"), "google gemini-2.5-flash-image");
    CHECK(model.filter.provider == QStringLiteral("google"));
    CHECK(model.filter.model == QStringLiteral("gemini-2.5-flash-image"));
    CHECK(model.filter.to == QDate(2026, 11, 30));
    const auto production = ripen::ui::assetsBehindSpend(SpendGrouping::Stage, SpendBucket::Day,
                                                         std::nullopt, "production");
    CHECK_FALSE(production.filter.stage); // spans every stage after concept: left open
    CHECK(production.description.contains(QStringLiteral("every stage")));
    CHECK(ripen::ui::assetsBehindSpend(SpendGrouping::Stage, SpendBucket::Day, std::nullopt,
                                       "concept")
              .filter.stage == ripen::Stage::Concept);
}

TEST_CASE("The credits view fits a 1280 px window with the docks open",
          "[ui][credits][window][screenshot]") {
    for (const QSize size : {QSize(1280, 800), QSize(1920, 1080)}) {
        CreditsWindow f;
        f.window->resize(size);
        f.dashboard->tables().setCurrentWidget(f.dashboard->budgetsTable().parentWidget());
        QTest::qWait(200);
        f.settle();
        auto* scroll = qobject_cast<QScrollArea*>(f.window->views().currentWidget());
        REQUIRE(scroll != nullptr);
        // Nothing is cut off at the side: the figures stack instead of scrolling sideways.
        CHECK_FALSE(scroll->horizontalScrollBar()->isVisible());
        CHECK(f.dashboard->width() <= scroll->viewport()->width());
        CHECK(f.dashboard->isTwoColumn() == (size.width() >= 1900));
        const QString name = QStringLiteral("main-credits-%1.png").arg(size.width());
        REQUIRE(ripen::ui::WidgetScreenshot::save(*f.window, ripen::test::screenshotDir() +
                                                                 QLatin1Char('/') + name));
        if (size.width() == 1280) {
            f.dashboard->budgetsTable().selectRow(0);
            f.dashboard->editBudget(0);
            auto* dialog = f.dashboard->findChild<ripen::ui::BudgetDialog*>();
            REQUIRE(dialog != nullptr);
            dialog->limitEdit().setText(QStringLiteral("-3"));
            dialog->accept();
            QTest::qWait(100);
            REQUIRE(ripen::ui::WidgetScreenshot::save(
                *dialog, ripen::test::screenshotDir() + QStringLiteral("/budget-dialog.png")));
            dialog->reject();
        }
    }
}

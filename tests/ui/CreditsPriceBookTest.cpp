// The credit dashboard's price book: a price changed there is the user's (source "user",
// dated today, over the shipped price), the queue's next estimate and budget verdict use
// it, and reverting brings the shipped price back.
#include "ProductionTestSupport.h"
#include "UiTestSupport.h"
#include "catalog/Library.h"
#include "credits/CreditsDashboard.h"
#include "credits/CreditsTableModel.h"
#include "credits/Ledger.h"
#include "credits/PriceDialog.h"

#include <QAbstractItemModelTester>
#include <QLineEdit>
#include <QSignalSpy>
#include <QTabWidget>
#include <QTableView>
#include <catch2/catch.hpp>

using namespace ripen;
using namespace ripen::test;
using ripen::ui::CreditsDashboard;
using ripen::ui::CreditsTableModel;
using ripen::ui::JobLane;
using ripen::ui::PriceDialog;

namespace {

GenerationRequest lantern() {
    GenerationRequest request;
    request.provider = "openai";
    request.model = "gpt-image-1";
    request.prompt = "a paper lantern at dusk";
    request.aspectRatio = "1:1";
    return request;
}

// Queues one job in project Pilot through the lane: true when queued, false when refused
// (with the refusal in `error`).
bool enqueuePilot(JobLane& lane, QString* error = nullptr) {
    QSignalSpy queued(&lane, &JobLane::enqueued);
    QSignalSpy refused(&lane, &JobLane::enqueueFailed);
    EnqueueOptions pilot;
    pilot.project = "Pilot";
    lane.enqueue(lantern(), pilot);
    REQUIRE(waitUntil([&] { return queued.count() + refused.count() > 0; }));
    if (error && refused.count() > 0) {
        *error = QString::fromStdString(refused.at(0).at(1).value<ripen::Error>().message);
    }
    return queued.count() == 1;
}

int medianImageRow(CreditsTableModel& prices) {
    for (int row = 0; row < prices.rowCount(); ++row) {
        const auto& cells = prices.rows()[row].cells;
        if (cells[0] == "openai" && cells[1] == "gpt-image-1" && cells[2].isEmpty()) {
            return row;
        }
    }
    FAIL("no openai gpt-image-1 price");
    return -1;
}

void waitForPrices(CreditsDashboard& dashboard, QSignalSpy& reloaded, int count) {
    REQUIRE(waitUntil([&] { return reloaded.count() >= count && !dashboard.isBusy(); }, 20000));
}

} // namespace

TEST_CASE("A price changed on the dashboard prices the queue's next job and its budget verdict",
          "[ui][credits][prices]") {
    uiApp();
    ProductionRig rig;
    rig.open();
    rig.lane().pauseAll(); // reservations stay open: the budget sees them
    {
        auto library = Library::open(rig.root());
        REQUIRE(library);
        auto pilot = (*library)->catalog().ensureProject("Pilot", "");
        REQUIRE(pilot);
        REQUIRE(Ledger((*library)->catalog().database()).setBudget("project", *pilot, 100'000));
    }
    REQUIRE(enqueuePilot(rig.lane())); // $0.042 of $0.10

    CreditsDashboard dashboard;
    QAbstractItemModelTester tester(&dashboard.priceBookModel(),
                                    QAbstractItemModelTester::FailureReportingMode::Fatal);
    // As MainWindow wires it: a saved price makes the queue read its prices again.
    QObject::connect(&dashboard, &CreditsDashboard::pricesChanged, &rig.lane(),
                     &JobLane::reloadPrices);
    QSignalSpy refreshed(&dashboard, &CreditsDashboard::refreshed);
    QSignalSpy reloaded(&rig.lane(), &JobLane::pricesReloaded);
    dashboard.resize(1280, 900);
    dashboard.show();
    dashboard.setLibraryRoot(rig.root());
    REQUIRE(waitUntil([&] { return refreshed.count() > 0 && !dashboard.isBusy(); }, 20000));

    auto& prices = dashboard.priceBookModel();
    const int row = medianImageRow(prices);
    const auto tip = [&] {
        return prices.data(prices.index(row, 0), Qt::ToolTipRole).toString();
    };
    // The shipped price was read in March: more than 90 days ago, so it is flagged.
    CHECK(prices.rows()[row].cells[4] == "0.042");
    CHECK(prices.rows()[row].cells[6].startsWith(QStringLiteral("⚠")));
    CHECK(tip().contains("days old"));

    dashboard.editPrice(row);
    auto* dialog = dashboard.findChild<PriceDialog*>();
    REQUIRE(dialog);
    CHECK(dialog->amountEdit().text() == "0.042");
    dialog->amountEdit().setText("0.07.5");
    dialog->accept();
    CHECK(dialog->isVisible());
    CHECK_FALSE(dialog->errorText().isEmpty());
    dialog->amountEdit().setText("0.07");
    dialog->accept();
    waitForPrices(dashboard, reloaded, 1);

    const auto& cells = prices.rows()[row].cells;
    const QString today = QString::fromStdString(formatCalendarDay(ripen::today()));
    CHECK(cells[4] == "0.07");
    CHECK(cells[6] == today); // no warning mark: set today
    CHECK(cells[7] == "user");
    CHECK(cells[8] == "0.042");
    CHECK_FALSE(prices.data(prices.index(row, 0), Qt::ToolTipRole).isValid());
    auto estimate = rig.lane().priceBook()->estimate(lantern());
    REQUIRE(estimate);
    CHECK(estimate->amount == 70'000);
    // $0.042 reserved + $0.07 passes the $0.10 cap: refused, where the shipped price passed.
    QString refusal;
    CHECK_FALSE(enqueuePilot(rig.lane(), &refusal));
    CHECK(refusal.contains("Pilot"));

    dashboard.tables().setCurrentIndex(0);
    dashboard.priceBookTable().selectRow(row);
    dashboard.priceBookTable().scrollTo(prices.index(row, 0));
    renderWidget(dashboard, QSize(1280, 900), QStringLiteral("credits-price-book.png"));

    dashboard.revertPrice(row);
    waitForPrices(dashboard, reloaded, 2);
    CHECK(prices.rows()[row].cells[4] == "0.042");
    CHECK(prices.rows()[row].cells[7] != "user");
    CHECK(rig.lane().priceBook()->estimate(lantern())->amount == 42'000);
    CHECK(enqueuePilot(rig.lane())); // $0.084 of $0.10
}

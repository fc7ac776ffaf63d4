// The credit dashboard on a studio's six weeks of ledger: its models under
// QAbstractItemModelTester, every figure against `ripen-cli credits report --format json`,
// a rendered screenshot, and the report's PDF.
#include "credits/CreditsDashboard.h"

#include "UiTestSupport.h"
#include "core/credits/SyntheticLedger.h"
#include "credits/CreditAccounts.h"
#include "credits/CreditReportPdf.h"
#include "credits/CreditsTableModel.h"
#include "credits/Ledger.h"
#include "support/Process.h"
#include "support/TestImages.h"
#include "tools/WidgetScreenshot.h"

#include <QAbstractItemModelTester>
#include <QBarCategoryAxis>
#include <QChart>
#include <QChartView>
#include <QHeaderView>
#include <QImage>
#include <QPainter>
#include <QScrollBar>
#include <QSignalSpy>
#include <QTableView>
#include <QTest>
#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>
#include <regex>

using namespace ripen;
using namespace ripen::test;
using ripen::ui::CreditsDashboard;
using ripen::ui::CreditsTableModel;

namespace {

// Three projects for two clients on three providers, 2026-10-12..2026-11-22: every day a
// few concept jobs (some failed, uncharged), every third day master jobs, upscales on
// Fridays, picks with lineage, a queued batch, budgets, a Kling subscription and bonuses.
struct StudioLedger : SyntheticLedger {
    StudioLedger() {
        const std::int64_t acme = client("Acme");
        const std::int64_t lumen = client("Lumen");
        struct P {
            std::int64_t id;
            std::int64_t client;
        };
        const P projects[] = {{project("Spring", "Acme"), acme},
                              {project("Poster", "Lumen"), lumen},
                              {project("Catalog", "Acme"), acme}};
        std::int64_t jobId = 0;
        std::int64_t assetId = 0;
        const CalendarDay first = day("2026-10-12");
        for (CalendarDay d = first; d < first + 42; ++d) {
            const std::int64_t t = d * kMillisPerDay + 36'000'000;
            for (std::size_t p = 0; p < 3; ++p) {
                if ((d + static_cast<CalendarDay>(p)) % 4 == 0) {
                    continue; // not every project works every day
                }
                const auto& proj = projects[p];
                const std::string batch = "c" + std::to_string(d) + "-" + std::to_string(p);
                std::int64_t lastConcept = 0;
                for (int i = 0; i < 4; ++i) {
                    const bool failed = (d + i) % 7 == 0;
                    job({.id = ++jobId,
                         .batch = batch,
                         .provider = "fal",
                         .model = "flux-schnell",
                         .state = failed ? "failed" : "succeeded",
                         .projectId = proj.id,
                         .clientId = proj.client,
                         .createdAt = t});
                    settled(t, jobId, 3000,
                            failed ? std::nullopt : std::optional<std::int64_t>(3000));
                    if (!failed) {
                        asset({.id = ++assetId,
                               .projectId = proj.id,
                               .clientId = proj.client,
                               .flag = i == 3 ? "reject" : "none",
                               .madeBy = jobId,
                               .importedAt = t});
                        lastConcept = assetId;
                    }
                }
                if (d % 3 == 0 && lastConcept) {
                    const bool kling = p == 1;
                    job({.id = ++jobId,
                         .batch = "m" + std::to_string(jobId),
                         .provider = kling ? "kling" : "openai",
                         .model = kling ? "kling-v2" : "gpt-image-1",
                         .projectId = proj.id,
                         .clientId = proj.client,
                         .stage = "master",
                         .attempts = d % 2 == 0 ? 2 : 1,
                         .createdAt = t + 3'600'000});
                    if (kling) {
                        money(t + 3'600'000, jobId, "reserve", 10'000'000, 140'000, "credits");
                        money(t + 3'601'000, jobId, "release", 10'000'000, 140'000, "credits");
                        money(t + 3'601'000, jobId, "charge", 10'000'000, 140'000, "credits");
                    } else {
                        settled(t + 3'600'000, jobId, 40'000, 42'000);
                    }
                    asset({.id = ++assetId,
                           .projectId = proj.id,
                           .clientId = proj.client,
                           .flag = "pick",
                           .stage = "master",
                           .madeBy = jobId,
                           .parent = lastConcept,
                           .importedAt = t + 3'600'000});
                    if ((d + 3) % 7 == 0) { // Fridays: upscale the pick
                        job({.id = ++jobId,
                             .batch = "u" + std::to_string(jobId),
                             .provider = "openai",
                             .model = "gpt-image-1",
                             .projectId = proj.id,
                             .clientId = proj.client,
                             .stage = "upscaled",
                             .createdAt = t + 7'200'000});
                        settled(t + 7'200'000, jobId, 20'000, 20'000);
                    }
                }
            }
        }
        // A batch still queued: the forecast.
        for (int i = 0; i < 3; ++i) {
            job({.id = ++jobId,
                 .batch = "queued",
                 .state = "queued",
                 .projectId = projects[0].id,
                 .clientId = acme,
                 .stage = "master",
                 .createdAt = noon("2026-11-24")});
            money(noon("2026-11-24"), jobId, "reserve", 40'000, 40'000);
        }
        Ledger ledger(db());
        REQUIRE(ledger.setBudget("project", projects[0].id, 2'500'000));
        REQUIRE(ledger.setBudget("project", projects[1].id, 6'000'000));
        REQUIRE(ledger.setBudget("client", acme, 5'000'000));
        CreditAccounts accounts(db());
        REQUIRE(accounts.upsert("openai", "USD", 0));
        REQUIRE(accounts.upsert("fal", "USD", 0));
        REQUIRE(accounts.upsert("kling", "credits", 14'000));
        REQUIRE(accounts.subscribe("kling", {10'000'000, 660'000'000, 12, day("2026-10-12")}));
        for (const char* on : {"2026-10-20", "2026-11-02", "2026-11-16"}) {
            REQUIRE(accounts.grant("kling", 20'000'000, day(on), "daily check-in bonus"));
        }
    }
    std::string root() const { return (dir / "library").string(); }
};

nlohmann::json cliReport(const StudioLedger& f, const std::vector<std::string>& extra) {
    std::vector<std::string> args{ripenCli(), "--library", f.root(),  "credits",   "report",
                                  "--format", "json",      "--as-of", "2026-11-25"};
    args.insert(args.end(), extra.begin(), extra.end());
    auto run = runProcess(args);
    REQUIRE(run.exitCode == 0);
    return nlohmann::json::parse(run.out);
}

QString cell(CreditsTableModel& model, int row, int column) {
    return model.data(model.index(row, column)).toString();
}

QString q(const nlohmann::json& value) {
    return QString::fromStdString(value.get<std::string>());
}

void loadDashboard(CreditsDashboard& dashboard, const StudioLedger& f) {
    QSignalSpy refreshed(&dashboard, &CreditsDashboard::refreshed);
    dashboard.setAsOf(SyntheticLedger::day("2026-11-25"));
    dashboard.setLibraryRoot(f.root());
    REQUIRE(waitUntil([&] { return !dashboard.isBusy() && refreshed.count() > 0; }, 20000));
    REQUIRE(dashboard.snapshot());
    REQUIRE(dashboard.snapshot()->error.isEmpty());
}

int pdfPages(const std::string& bytes) {
    static const std::regex page(R"(/Type\s*/Page[^s])");
    return static_cast<int>(std::distance(std::sregex_iterator(bytes.begin(), bytes.end(), page),
                                          std::sregex_iterator()));
}

// Page `page` (from 1) of a PDF as poppler draws it (pdftoppm, from poppler-utils).
QImage renderPdfPage(const std::filesystem::path& pdf, int page) {
    const auto prefix = pdf.parent_path() / (pdf.stem().string() + "-page" + std::to_string(page));
    const auto run = runProcess({"pdftoppm", "-f", std::to_string(page), "-l", std::to_string(page),
                                 "-r", "48", "-png", "-singlefile", pdf.string(), prefix.string()});
    REQUIRE(run.exitCode == 0);
    return QImage(QString::fromStdString(prefix.string() + ".png"));
}

// Pixels in a chart's bar colours: saturated, unlike the black text on white and its
// grey antialiasing.
int barPixels(const QImage& image) {
    int count = 0;
    for (int y = 0; y < image.height(); ++y) {
        for (int x = 0; x < image.width(); ++x) {
            count += QColor(image.pixel(x, y)).hsvSaturation() > 100 ? 1 : 0;
        }
    }
    return count;
}

// Pixels that are not white in the columns from `x` rightwards.
int inkFrom(const QImage& image, int x) {
    int count = 0;
    for (int y = 0; y < image.height(); ++y) {
        for (int column = x; column < image.width(); ++column) {
            count += QColor(image.pixel(column, y)).lightness() < 250 ? 1 : 0;
        }
    }
    return count;
}

} // namespace

TEST_CASE("Every dashboard figure is the one ripen-cli credits report prints", "[ui][credits]") {
    uiApp();
    StudioLedger f;
    CreditsDashboard dashboard;
    std::vector<std::unique_ptr<QAbstractItemModelTester>> testers;
    for (CreditsTableModel* model :
         {&dashboard.balancesModel(), &dashboard.spendModel(), &dashboard.budgetsModel(),
          &dashboard.yieldModel(), &dashboard.priceBookModel()}) {
        testers.push_back(std::make_unique<QAbstractItemModelTester>(
            model, QAbstractItemModelTester::FailureReportingMode::Fatal));
    }
    loadDashboard(dashboard, f);
    const auto json = cliReport(f, {"--bucket", "week", "--group", "provider"});
    const auto& o = json["overview"];

    auto& balances = dashboard.balancesModel();
    REQUIRE(balances.rowCount() == static_cast<int>(o["balances"].size()));
    REQUIRE(balances.rowCount() == 3);
    for (int i = 0; i < balances.rowCount(); ++i) {
        const auto& b = o["balances"][static_cast<std::size_t>(i)];
        CHECK(cell(balances, i, 0) == q(b["provider"]));
        CHECK(cell(balances, i, 1) == q(b["balance"]));
        CHECK(cell(balances, i, 5) == q(b["charged"]));
        CHECK(cell(balances, i, 6) == q(b["reserved"]));
        // What a credits balance is worth at the effective cost per credit.
        if (b["currency"] == "credits") {
            CHECK(cell(balances, i, 9) == "$" + q(b["value_usd"]));
        } else {
            CHECK(cell(balances, i, 9).isEmpty());
        }
    }
    // kling: 2 months of 660 credits + 60 bonus, charged 10 credits per master job.
    CHECK(cell(balances, 1, 0) == "kling");
    CHECK(cell(balances, 1, 7) == "$" + q(o["balances"][1]["effective_usd_per_credit"]));
    CHECK(cell(balances, 1, 8) == "2026-12-12");

    auto& spend = dashboard.spendModel();
    REQUIRE(spend.rowCount() == static_cast<int>(o["series"].size() + o["forecast"].size()));
    Micros seriesTotal = 0;
    for (std::size_t i = 0; i < o["series"].size(); ++i) {
        const auto& p = o["series"][i];
        const int row = static_cast<int>(i);
        CHECK(cell(spend, row, 0) == q(p["bucket"]));
        CHECK(cell(spend, row, 1) == q(p["key"]));
        CHECK(cell(spend, row, 2) == q(p["usd"]));
        CHECK(cell(spend, row, 4) == q(p["amount"]) + " " + q(p["unit"]));
        seriesTotal += p["usd_micros"].get<Micros>();
    }
    CHECK(seriesTotal == o["spent_usd_micros"].get<Micros>());
    CHECK(cell(spend, spend.rowCount() - 1, 0) == "queued");
    CHECK(cell(spend, spend.rowCount() - 1, 2) == "0.12"); // three jobs at $0.04

    auto& budgets = dashboard.budgetsModel();
    REQUIRE(budgets.rowCount() == 3);
    for (int i = 0; i < budgets.rowCount(); ++i) {
        const auto& b = o["budgets"][static_cast<std::size_t>(i)];
        CHECK(cell(budgets, i, 2) == "$" + q(b["spent_usd"]));
        CHECK(cell(budgets, i, 3) == "$" + q(b["reserved_usd"]));
        CHECK(budgets.data(budgets.index(i, 0), Qt::ToolTipRole).isValid() ==
              b["soft_alert"].get<bool>());
    }

    auto& yield = dashboard.yieldModel();
    REQUIRE(yield.rowCount() == 3);
    for (int i = 0; i < yield.rowCount(); ++i) {
        const auto& y = o["yield"][static_cast<std::size_t>(i)];
        CHECK(cell(yield, i, 0) == q(y["name"]));
        CHECK(cell(yield, i, 1) == QString::number(y["picks"].get<int>()));
        CHECK(cell(yield, i, 6) == "$" + q(y["cost_per_pick_usd"]));
    }

    // The shipped price book has prices from March: older than 90 days on 2026-11-25.
    auto& prices = dashboard.priceBookModel();
    REQUIRE(prices.rowCount() > 0);
    int stale = 0;
    for (int i = 0; i < prices.rowCount(); ++i) {
        const auto tip = prices.data(prices.index(i, 0), Qt::ToolTipRole).toString();
        stale += tip.contains("days old") ? 1 : 0;
        CHECK(tip.contains("days old") == cell(prices, i, 6).startsWith(QStringLiteral("⚠")));
    }
    CHECK(stale > 0);
    CHECK(stale < prices.rowCount());

    // Another grouping and bucket: reloaded off the GUI thread, same figures as the CLI.
    QSignalSpy refreshed(&dashboard, &CreditsDashboard::refreshed);
    dashboard.setGrouping(SpendGrouping::Stage);
    dashboard.setBucket(SpendBucket::Month);
    REQUIRE(waitUntil([&] { return !dashboard.isBusy() && refreshed.count() > 0; }, 20000));
    const auto monthly =
        cliReport(f, {"--bucket", "month", "--group", "stage"})["overview"]["series"];
    REQUIRE(static_cast<std::size_t>(spend.rowCount()) >= monthly.size());
    for (std::size_t i = 0; i < monthly.size(); ++i) {
        CHECK(cell(spend, static_cast<int>(i), 0) == q(monthly[i]["bucket"]));
        CHECK(cell(spend, static_cast<int>(i), 1) == q(monthly[i]["key"]));
        CHECK(cell(spend, static_cast<int>(i), 2) == q(monthly[i]["usd"]));
    }

    // By day, six weeks of bars: the chart draws the last 31 days (and the queued bar),
    // the Spend tab every day the report prints.
    refreshed.clear();
    dashboard.setBucket(SpendBucket::Day);
    REQUIRE(waitUntil([&] { return !dashboard.isBusy() && refreshed.count() > 0; }, 20000));
    const auto daily = cliReport(f, {"--bucket", "day", "--group", "stage"})["overview"];
    CHECK(spend.rowCount() == static_cast<int>(daily["series"].size() + daily["forecast"].size()));
    QChart* chart = dashboard.spendChart().chart();
    auto* days = qobject_cast<QBarCategoryAxis*>(chart->axes(Qt::Horizontal).value(0));
    REQUIRE(days != nullptr);
    REQUIRE(days->count() == 32);
    CHECK(days->at(0) == "2026-10-23");
    CHECK(days->at(30) == "2026-11-22");
    CHECK(days->at(31) == "queued");
    CHECK(chart->title().contains("last 31 days"));
}

TEST_CASE("The credit dashboard renders its charts with real data", "[ui][credits][screenshot]") {
    uiApp();
    StudioLedger f;
    CreditsDashboard dashboard;
    dashboard.resize(1440, 1000);
    dashboard.show();
    dashboard.setGrouping(SpendGrouping::Project);
    loadDashboard(dashboard, f);
    QTest::qWait(200);
    const QString file = screenshotDir() + QStringLiteral("/credits-dashboard.png");
    REQUIRE(ripen::ui::WidgetScreenshot::save(dashboard, file));
    QImage image(file);
    REQUIRE_FALSE(image.isNull());
    CHECK(image.width() >= 1440);
}

// Every column of the shown price book as wide as its text (but `shortened`, which may give
// way), and all of them inside the view: nothing to scroll sideways for.
void checkPriceColumnsFit(QTableView& prices, int shortened = -1) {
    REQUIRE(prices.isVisible());
    QHeaderView* header = prices.horizontalHeader();
    for (int column = 0; column < header->count(); ++column) {
        INFO("column "
             << prices.model()->headerData(column, Qt::Horizontal).toString().toStdString());
        if (column != shortened) {
            CHECK(header->sectionSize(column) >=
                  static_cast<QAbstractItemView&>(prices).sizeHintForColumn(column));
        }
        CHECK(header->sectionViewportPosition(column) + header->sectionSize(column) <=
              prices.viewport()->width());
    }
    CHECK(header->length() <= prices.viewport()->width());
    CHECK_FALSE(prices.horizontalScrollBar()->isVisible());
}

// The dashboard at `size` with the price book tab in front, loaded and painted.
void showPriceBook(CreditsDashboard& dashboard, const StudioLedger& f, QSize size) {
    dashboard.resize(size);
    dashboard.show();
    loadDashboard(dashboard, f);
    dashboard.tables().setCurrentIndex(0);
    QTest::qWait(200);
}

TEST_CASE("At 1280x800 every column of the price book is readable without scrolling",
          "[ui][credits][screenshot]") {
    uiApp();
    StudioLedger f;
    CreditsDashboard dashboard;
    showPriceBook(dashboard, f, QSize(1280, 800));
    REQUIRE(ripen::ui::WidgetScreenshot::save(
        dashboard, screenshotDir() + QStringLiteral("/credits-dashboard-1280x800.png")));
    // Source, date (with its age warning) and the shipped price beside an override.
    checkPriceColumnsFit(dashboard.priceBookTable());
}

TEST_CASE("In one column at 1000 px the price book fits its width, the source shortened",
          "[ui][credits][screenshot]") {
    uiApp();
    StudioLedger f;
    CreditsDashboard dashboard;
    showPriceBook(dashboard, f, QSize(1000, 900));
    REQUIRE_FALSE(dashboard.isTwoColumn());
    REQUIRE(ripen::ui::WidgetScreenshot::save(
        dashboard.tables(), screenshotDir() + QStringLiteral("/credits-price-book-1000.png")));
    QTableView& prices = dashboard.priceBookTable();
    constexpr int source = CreditsDashboard::kPriceSourceColumn;
    checkPriceColumnsFit(prices, source);
    // The source keeps a readable width, and its whole text is a hover away.
    CHECK(prices.horizontalHeader()->sectionSize(source) >=
          prices.fontMetrics().horizontalAdvance(QStringLiteral("openai.com/api/…")));
    auto& model = dashboard.priceBookModel();
    for (int row = 0; row < model.rowCount(); ++row) {
        const QString tip = model.data(model.index(row, source), Qt::ToolTipRole).toString();
        CHECK(tip.contains(model.rows()[row].cells[source]));
    }
}

TEST_CASE("The client report's PDF opens with the pages it states", "[ui][credits][pdf]") {
    uiApp();
    StudioLedger f;
    CreditReportRequest request;
    request.client = "Acme";
    request.asOf = SyntheticLedger::day("2026-11-25");
    auto report = buildClientReport(f.db(), request);
    REQUIRE(report);
    // Summary and chart, spend tables, and one page of the deliverables list.
    REQUIRE(report->deliverables.size() > 10);
    REQUIRE(report->deliverables.size() <= kDeliverablesPerPage);
    const int expected = creditReportPdfPageCount(*report);
    CHECK(expected == 3);
    const auto file = f.dir / "acme.pdf";
    REQUIRE(writeCreditReportPdf(*report, file));
    const std::string bytes = readBytes(file);
    CHECK(bytes.rfind("%PDF-", 0) == 0);
    CHECK(bytes.find("%%EOF") != std::string::npos);
    CHECK(pdfPages(bytes) == expected);
    // The first page as an image, for people to look at.
    QImage preview(595 * 2, 842 * 2, QImage::Format_RGB32);
    preview.fill(Qt::white);
    {
        QPainter painter(&preview);
        painter.scale(2, 2);
        paintCreditReportPage(painter, *report, 0);
    }
    REQUIRE(preview.save(screenshotDir() + QStringLiteral("/credits-report-page1.png")));
    // The PDF as a reader shows it: poppler counts the stated pages, and page 1 carries the
    // charts of spend by stage and by model (a bar per line), page 2 only tables.
    const auto info = runProcess({"pdfinfo", file.string()});
    REQUIRE(info.exitCode == 0);
    CHECK(std::regex_search(info.out, std::regex("Pages: +" + std::to_string(expected) + "\\n")));
    const QImage page1 = renderPdfPage(file, 1);
    REQUIRE_FALSE(page1.isNull());
    REQUIRE(page1.save(screenshotDir() + QStringLiteral("/credits-report-pdf-page1.png")));
    const std::size_t bars = std::min<std::size_t>(report->byModel.size(), 10) +
                             std::min<std::size_t>(report->byStage.size(), 10);
    REQUIRE(bars >= 3);
    // At 48 dpi a bar is 8 px tall; the largest of each chart spans its full width (173 px).
    CHECK(barPixels(page1) > 2 * 8 * 150);
    // Nothing runs into the right margin (48 pt, 32 px at 48 dpi): text drawn at its size.
    CHECK(page1.width() == 397);
    CHECK(inkFrom(page1, page1.width() - 20) == 0);
    CHECK(barPixels(renderPdfPage(file, 2)) == 0);

    // ripen-cli built with the UI writes the same report.
    const auto cliFile = f.dir / "cli.pdf";
    auto run =
        runProcess({ripenCli(), "--library", f.root(), "credits", "report", "--client", "Acme",
                    "--as-of", "2026-11-25", "--format", "pdf", "--out", cliFile.string()});
    REQUIRE(run.exitCode == 0);
    CHECK(pdfPages(readBytes(cliFile)) == expected);
    CHECK(barPixels(renderPdfPage(cliFile, 1)) > 2 * 8 * 150);
    auto noOut =
        runProcess({ripenCli(), "--library", f.root(), "credits", "report", "--format", "pdf"});
    CHECK(noOut.exitCode == 2);
    CHECK_THAT(noOut.err, Catch::Contains("--out"));
}

// bench_credits: the credit dashboard's refresh (buildCreditOverview: balances, spend over
// time, forecast, budgets, yield per project) and a client report on a synthetic library
// whose ledger holds 1,000,000 entries, against the plain anchor of one GROUP BY over the
// raw ledger (what every figure would cost without the daily roll-up). Medians.

#include "BenchCommon.h"
#include "CommandLine.h"
#include "CreditsLedgerCorpus.h"
#include "ResultTable.h"
#include "catalog/Library.h"
#include "credits/CreditReport.h"
#include "credits/DailyRollup.h"

#include <iostream>
#include <time.h>

namespace rb = ripen::bench;
using ripen::bench::orThrow;

using ripen::CalendarDay;
using ripen::Micros;

namespace {

double cpuSeconds() {
    timespec t{};
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t);
    return static_cast<double>(t.tv_sec) + static_cast<double>(t.tv_nsec) * 1e-9;
}

// Medians of wall-clock and of process CPU time: on a shared, loaded machine the wall
// time grows with the load while the CPU time stays what the work costs.
struct Timing {
    double wall = 0;
    double cpu = 0;
};

template <class Work> Timing medianOf(int runs, Work work) {
    std::vector<double> walls;
    std::vector<double> cpus;
    for (int i = 0; i < runs; ++i) {
        const auto start = rb::Clock::now();
        const double cpuStart = cpuSeconds();
        work();
        cpus.push_back(cpuSeconds() - cpuStart);
        walls.push_back(rb::secondsSince(start));
    }
    return {rb::median(walls), rb::median(cpus)};
}

} // namespace

int main(int argc, char** argv) {
    try {
        const rb::CommandLine args(argc, argv, {"--entries", "--runs", "--seed"}, {"--quick"});
        const std::int64_t entries =
            args.number("--entries", args.has("--quick") ? 100'000 : 1'000'000);
        const int runs = static_cast<int>(args.number("--runs", 15));
        const auto seed = static_cast<std::uint64_t>(args.number("--seed", 7));
        const auto root = rb::cachedCreditsLibrary(entries, seed);
        auto library = orThrow(ripen::Library::open(root), "Library::open");
        auto& db = library->catalog().database();
        const auto ledgerRows = orThrow(db.queryInt64("SELECT count(*) FROM ledger"), "count");
        const auto rollupRows =
            orThrow(db.queryInt64("SELECT count(*) FROM ledger_daily"), "count");

        ripen::CreditReportRequest dashboard;
        dashboard.asOf = *ripen::parseCalendarDay("2026-12-31");
        const Timing refresh =
            medianOf(runs, [&] { orThrow(ripen::buildCreditOverview(db, dashboard), "overview"); });
        ripen::CreditReportRequest daily = dashboard;
        daily.bucket = ripen::SpendBucket::Day;
        daily.grouping = ripen::SpendGrouping::Model;
        const Timing refreshDaily =
            medianOf(runs, [&] { orThrow(ripen::buildCreditOverview(db, daily), "overview"); });
        ripen::CreditReportRequest report = dashboard;
        report.project = "project-7";
        const Timing projectReport =
            medianOf(runs, [&] { orThrow(ripen::buildClientReport(db, report), "report"); });
        ripen::CreditReportRequest clientReport = dashboard;
        clientReport.client = "client-3";
        clientReport.from = *ripen::parseCalendarDay("2025-06-01");
        clientReport.to = *ripen::parseCalendarDay("2025-12-31");
        const Timing clientPeriod =
            medianOf(runs, [&] { orThrow(ripen::buildClientReport(db, clientReport), "report"); });
        // The anchor: one grouping straight off the raw ledger.
        const Timing rawGroupBy = medianOf(runs, [&] {
            orThrow(
                db.queryInt64("SELECT count(*) FROM (SELECT provider, sum(usd_micros) FROM ledger "
                              "WHERE kind = 'charge' GROUP BY provider)"),
                "anchor");
        });

        std::cout << "## Credits: dashboard refresh and client report\n\n"
                  << "ledger entries: " << ledgerRows << "; daily roll-up rows: " << rollupRows
                  << "; runs: " << runs << " (median)\n\n";
        // The catalog keeps SQLite's default 2 MiB page cache; the roll-up and the lineage
        // walk outgrow it, so the same refresh with a larger cache shows what pages cost.
        orThrow(db.exec("PRAGMA cache_size = -65536"), "cache_size");
        const Timing refreshBigCache =
            medianOf(runs, [&] { orThrow(ripen::buildCreditOverview(db, dashboard), "overview"); });
        // What the dashboard's worker and `credits report` do: read through a memory map.
        orThrow(db.exec("PRAGMA cache_size = -2000"), "cache_size");
        orThrow(ripen::mapCatalogForCreditReads(db), "mmap");
        const Timing refreshMapped =
            medianOf(runs, [&] { orThrow(ripen::buildCreditOverview(db, dashboard), "overview"); });
        const Timing refreshDailyMapped =
            medianOf(runs, [&] { orThrow(ripen::buildCreditOverview(db, daily), "overview"); });
        // Where a mapped refresh goes, part by part (the same calls buildCreditOverview makes).
        auto rollup = orThrow(ripen::DailyRollup::read(db), "rollup");
        const ripen::SpendScope everything;
        const ripen::SpendQuery spend(rollup);
        const std::vector<std::pair<const char*, Timing>> parts = {
            {"part: read the daily roll-up",
             medianOf(runs, [&] { orThrow(ripen::DailyRollup::read(db), "rollup"); })},
            {"part: spend series + forecast (in memory)",
             medianOf(runs,
                      [&] {
                          (void)spend.series(everything, daily.bucket, daily.grouping);
                          (void)spend.openReservations(everything, daily.grouping);
                      })},
            {"part: balances",
             medianOf(runs,
                      [&] {
                          orThrow(ripen::CreditAccounts(db).balances(dashboard.asOf, rollup),
                                  "balances");
                      })},
            {"part: budgets",
             medianOf(runs, [&] { orThrow(ripen::Ledger(db).budgets(rollup), "budgets"); })},
            {"part: yield per project",
             medianOf(
                 runs,
                 [&] { orThrow(ripen::YieldQuery(db, rollup).perProject(everything), "yield"); })},
        };
        rb::ResultTable table({"figure (time, lower is better)", "median wall", "median CPU"});
        const auto row = [&table](const char* what, const Timing& t) {
            table.addRow({what, rb::formatDuration(t.wall), rb::formatDuration(t.cpu)});
        };
        row("dashboard refresh (week x provider)", refresh);
        row("dashboard refresh (day x model)", refreshDaily);
        row("dashboard refresh (week x provider), 64 MiB page cache", refreshBigCache);
        row("dashboard refresh (week x provider), read through mmap", refreshMapped);
        row("dashboard refresh (day x model), read through mmap", refreshDailyMapped);
        for (const auto& [what, timing] : parts) {
            row(what, timing);
        }
        row("client report, one project, all time", projectReport);
        row("client report, one client, 7 months", clientPeriod);
        row("anchor: one GROUP BY over the raw ledger", rawGroupBy);
        std::cout << table.toMarkdown() << "\ntarget: dashboard refresh under 200 ms\n";
    } catch (const std::exception& e) {
        std::cerr << "bench_credits: " << e.what() << "\n";
        return 1;
    }
    return 0;
}

#include "credits/CreditReport.h"

#include <limits>
#include <set>

namespace ripen {
namespace {

Result<std::optional<std::int64_t>> idOf(sqlite::Database& db, const char* table,
                                         const std::string& name) {
    if (name.empty()) {
        return std::optional<std::int64_t>{};
    }
    auto stmt = db.prepare(std::string("SELECT id FROM ") + table + " WHERE name = ?");
    if (!stmt) {
        return std::unexpected(stmt.error());
    }
    auto row = stmt->bind(1, name).step();
    if (!row) {
        return std::unexpected(row.error());
    }
    if (!*row) {
        return fail(ErrorCode::NotFound,
                    std::string("there is no ") +
                        (table == std::string("projects") ? "project" : "client") + " named \"" +
                        name + "\"");
    }
    return std::optional<std::int64_t>(stmt->int64(0));
}

Result<SpendScope> resolveScope(sqlite::Database& db, const CreditReportRequest& r) {
    auto project = idOf(db, "projects", r.project);
    auto client = idOf(db, "clients", r.client);
    if (!project || !client) {
        return std::unexpected(!project ? project.error() : client.error());
    }
    if (r.from && r.to && *r.from > *r.to) {
        return fail(ErrorCode::InvalidArgument, "the period starts on " +
                                                    formatCalendarDay(*r.from) +
                                                    ", after its end " + formatCalendarDay(*r.to));
    }
    if (r.marginPercent < 0 || r.marginPercent > 95) {
        return fail(ErrorCode::InvalidArgument, "the margin must be 0 to 95 percent");
    }
    return SpendScope{*project, *client, r.from, r.to};
}

Micros sum(const std::vector<SpendQuery::Line>& lines) {
    Micros total = 0;
    for (const auto& l : lines) {
        total += l.usd;
    }
    return total;
}

Status addDetails(sqlite::Database& db, ClientReport& report) {
    const SpendScope& s = report.overview.scope;
    auto picks = db.prepare("SELECT id, stage, provider, model_id, imported_at FROM assets "
                            "WHERE flag = 'pick'" +
                            spendScopeSql(s, "", "imported_at", false) + " ORDER BY id");
    if (!picks) {
        return std::unexpected(picks.error());
    }
    auto deliverables = picks->collect<ClientReport::Deliverable>([](const sqlite::Statement& r) {
        return ClientReport::Deliverable{r.int64(0), r.text(1), r.text(2), r.text(3),
                                         calendarDayOfMillis(r.int64(4))};
    });
    if (!deliverables) {
        return std::unexpected(deliverables.error());
    }
    report.deliverables = std::move(*deliverables);
    auto jobs =
        db.prepare("SELECT count(*), coalesce(sum(attempts), 0), "
                   "coalesce(sum(state = 'succeeded'), 0), coalesce(sum(state = 'failed'), 0), "
                   "coalesce(sum(state = 'canceled'), 0) FROM jobs WHERE 1" +
                   spendScopeSql(s, "", "created_at", false));
    if (!jobs) {
        return std::unexpected(jobs.error());
    }
    if (auto row = jobs->step(); !row) {
        return std::unexpected(row.error());
    }
    report.attempts = {jobs->int64(0), jobs->int64(1), jobs->int64(2), jobs->int64(3),
                       jobs->int64(4)};
    return {};
}

} // namespace

Status mapCatalogForCreditReads(sqlite::Database& db) {
    return db.exec("PRAGMA mmap_size = " + std::to_string(kCreditReadMapBytes));
}

Micros feeAtMargin(Micros cost, int marginPercent) {
    return mulDivCeil(cost, 100, 100 - marginPercent);
}

namespace {

Result<CreditOverview> overviewFrom(sqlite::Database& db, const DailyRollup& rollup,
                                    const CreditReportRequest& request) {
    auto scope = resolveScope(db, request);
    if (!scope) {
        return std::unexpected(scope.error());
    }
    CreditOverview o;
    o.request = request;
    o.scope = *scope;
    const SpendQuery spend(rollup);
    o.series = spend.series(*scope, request.bucket, request.grouping);
    o.forecast = spend.openReservations(*scope, request.grouping);
    auto balances = CreditAccounts(db).balances(request.asOf, rollup);
    auto budgets = Ledger(db).budgets(rollup);
    auto yield = YieldQuery(db, rollup).perProject(*scope);
    for (const Error* e :
         {balances ? nullptr : &balances.error(), budgets ? nullptr : &budgets.error(),
          yield ? nullptr : &yield.error()}) {
        if (e) {
            return std::unexpected(*e);
        }
    }
    // The series covers every charge and adjustment in scope and period, whatever its
    // grouping: its sum is the spend.
    for (const auto& point : o.series) {
        o.spentUsd += point.usd;
    }
    o.reservedUsd = sum(o.forecast);
    o.balances = std::move(*balances);
    o.budgets = std::move(*budgets);
    o.yieldByProject = std::move(*yield);
    return o;
}

} // namespace

Result<CreditOverview> buildCreditOverview(sqlite::Database& db,
                                           const CreditReportRequest& request) {
    auto rollup = DailyRollup::read(db);
    if (!rollup) {
        return std::unexpected(rollup.error());
    }
    return overviewFrom(db, *rollup, request);
}

Result<ClientReport> buildClientReport(sqlite::Database& db, const CreditReportRequest& request) {
    auto rollup = DailyRollup::read(db);
    if (!rollup) {
        return std::unexpected(rollup.error());
    }
    auto overview = overviewFrom(db, *rollup, request);
    if (!overview) {
        return std::unexpected(overview.error());
    }
    ClientReport report;
    report.overview = std::move(*overview);
    const SpendScope& scope = report.overview.scope;
    const SpendQuery spend(*rollup);
    report.byStage = spend.totals(scope, SpendGrouping::Stage);
    report.byModel = spend.totals(scope, SpendGrouping::Model);
    std::set<std::string> subscribed;
    for (const auto& b : report.overview.balances) {
        if (b.subscriptionPaidUsd > 0) {
            subscribed.insert(b.account.provider);
        }
    }
    for (const auto& line : spend.totals(scope, SpendGrouping::Provider)) {
        report.subscriptionUsd += subscribed.contains(line.group) ? line.usd : 0;
    }
    if (auto details = addDetails(db, report); !details) {
        return std::unexpected(details.error());
    }
    report.costBehindDeliverablesUsd = report.overview.spentUsd;
    if (scope.projectId || scope.clientId) {
        auto yield = YieldQuery(db, *rollup).forScope(scope);
        if (!yield) {
            return std::unexpected(yield.error());
        }
        report.costBehindDeliverablesUsd = yield->totalUsd();
    }
    const auto picks = static_cast<std::int64_t>(report.deliverables.size());
    report.suggestedFeeUsd = feeAtMargin(report.costBehindDeliverablesUsd, request.marginPercent);
    if (picks > 0) {
        report.costPerDeliverableUsd = mulDivCeil(report.costBehindDeliverablesUsd, 1, picks);
        report.suggestedFeePerDeliverableUsd = mulDivCeil(report.suggestedFeeUsd, 1, picks);
    }
    return report;
}

} // namespace ripen

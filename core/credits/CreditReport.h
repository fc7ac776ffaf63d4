#pragma once

#include "catalog/internal/SqliteDatabase.h"
#include "common/Error.h"
#include "credits/CalendarDay.h"
#include "credits/CreditAccounts.h"
#include "credits/Ledger.h"
#include "credits/SpendQuery.h"
#include "credits/YieldQuery.h"

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace ripen {

// Everything the credit dashboard shows, and the client report built on it. The dashboard
// and `ripen-cli credits report` both come from buildCreditOverview, so every figure on the
// dashboard can be reproduced from the report's JSON.
struct CreditReportRequest {
    std::string project; // "" = every project
    std::string client;  // "" = every client
    std::optional<CalendarDay> from{};
    std::optional<CalendarDay> to{};
    CalendarDay asOf = 0; // balances and renewals as of this day
    SpendBucket bucket = SpendBucket::Week;
    SpendGrouping grouping = SpendGrouping::Provider;
    int marginPercent = 30; // 0-95: the share of the fee that is margin
};

struct CreditOverview {
    CreditReportRequest request;
    SpendScope scope;       // the request with names resolved to ids
    Micros spentUsd = 0;    // charges in scope and period
    Micros reservedUsd = 0; // open reservations in scope (the forecast)
    std::vector<CreditAccounts::Balance> balances;
    std::vector<SpendQuery::Point> series;  // by request.bucket and request.grouping
    std::vector<SpendQuery::Line> forecast; // open reservations by request.grouping
    std::vector<Ledger::BudgetStatus> budgets;
    std::vector<YieldQuery::Yield> yieldByProject;
};

struct ClientReport {
    CreditOverview overview;
    struct Deliverable {
        std::int64_t assetId = 0;
        std::string stage;
        std::string provider;
        std::string model;
        CalendarDay on = 0;
    };
    struct Attempts {
        std::int64_t jobs = 0;
        std::int64_t submissions = 0; // provider calls, retries included
        std::int64_t succeeded = 0;
        std::int64_t failed = 0;
        std::int64_t canceled = 0;
    };
    std::vector<Deliverable> deliverables;
    Attempts attempts;
    std::vector<SpendQuery::Line> byStage; // concept / production
    std::vector<SpendQuery::Line> byModel;
    Micros subscriptionUsd = 0;           // spend on accounts paid by a subscription
    Micros costBehindDeliverablesUsd = 0; // yield: scope spend + lineage outside it
    std::optional<Micros> costPerDeliverableUsd{};
    // cost / (1 - margin), rounded up: the fee that leaves marginPercent of it as margin.
    Micros suggestedFeeUsd = 0;
    std::optional<Micros> suggestedFeePerDeliverableUsd{};
};

// Lets `db` read the catalog through a memory map of up to kCreditReadMapBytes (PRAGMA
// mmap_size) instead of copying every page through read(): a refresh on a fresh connection
// touches most of the roll-up, the lineage and the assets, and the copies were a third of
// its time on a 1M-entry ledger. For connections that only read (the dashboard's worker,
// `credits report`); writes still go through SQLite's own journal.
inline constexpr std::int64_t kCreditReadMapBytes = 256LL << 20;
Status mapCatalogForCreditReads(sqlite::Database& db);

Result<CreditOverview> buildCreditOverview(sqlite::Database& db,
                                           const CreditReportRequest& request);
Result<ClientReport> buildClientReport(sqlite::Database& db, const CreditReportRequest& request);

// The fee that leaves `marginPercent` of itself after `cost`: ceil(cost * 100 / (100 - m)).
Micros feeAtMargin(Micros cost, int marginPercent);

} // namespace ripen

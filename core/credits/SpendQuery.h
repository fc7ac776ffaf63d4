#pragma once

#include "catalog/internal/SqliteDatabase.h"
#include "common/Error.h"
#include "credits/CalendarDay.h"
#include "credits/DailyRollup.h"
#include "credits/Money.h"

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace ripen {

// Which part of the ledger a figure covers: one project and/or client, and a period of
// whole UTC days (both ends included). Empty means everything.
struct SpendScope {
    std::optional<std::int64_t> projectId{};
    std::optional<std::int64_t> clientId{};
    std::optional<CalendarDay> from{};
    std::optional<CalendarDay> to{};
};

// " AND ..." conditions limiting rows of the table aliased `alias` ("d.", "" for none) to
// `scope`: its project_id, client_id, and the period on `timeColumn`, which counts days
// (`perDay`) or unix ms. Ids and bounds are typed integers, written into the SQL directly.
std::string spendScopeSql(const SpendScope& scope, const std::string& alias,
                          const std::string& timeColumn, bool perDay);
// Whether a row of the daily roll-up lies in `scope` (the same test as spendScopeSql).
bool spendScopeHolds(const SpendScope& scope, const DailyRollup::Row& row);

enum class SpendGrouping { Provider, Model, Project, Client, Stage };
enum class SpendBucket { Day, Week, Month };

// "provider", "model", "project", "client" or "stage"; "day", "week" or "month".
Result<SpendGrouping> spendGroupingFromString(const std::string& text);
Result<SpendBucket> spendBucketFromString(const std::string& text);
std::string toString(SpendGrouping grouping);
std::string toString(SpendBucket bucket);

// The job's stage as the dashboard splits it: "concept" jobs (and jobs without a stage)
// are discovery, every later stage (master, inpainted, upscaled, final, clip) production.
std::string stageGroup(const std::string& jobStage);

// Spend summed from the ledger's daily roll-up (ledger_daily, kept by a trigger), never by
// scanning the ledger: a figure touches one row per day and combination of provider,
// model, project, client and job stage. Spend is settled charges plus adjustments (a
// refund is a negative adjustment), in USD micro-units as the ledger valued them; failed
// jobs that were not charged and released reservations cost nothing.
class SpendQuery {
public:
    struct Point {
        CalendarDay bucket = 0; // first day of the day, week (Monday) or month
        std::string group;
        Micros usd = 0;
        std::int64_t charges = 0; // ledger entries: charges and adjustments
        Micros amount = 0;        // in `unit`, when every charge of the point shares it
        std::string unit;         // else the USD figure again, in "USD"
    };
    struct Line {
        std::string group;
        Micros usd = 0;
        Micros amount = 0; // in `unit`, when every charge of the line shares it
        std::string unit;
        std::int64_t charges = 0;
    };

    explicit SpendQuery(const DailyRollup& rollup);

    // By bucket, then group (both ascending).
    std::vector<Point> series(const SpendScope& scope, SpendBucket bucket,
                              SpendGrouping grouping) const;
    // By spend, largest first, then group.
    std::vector<Line> totals(const SpendScope& scope, SpendGrouping grouping) const;
    // What queued and running jobs hold (reserves less releases) by group: the forecast of
    // spend still to come. Not limited by the scope's period: a reservation is open now.
    std::vector<Line> openReservations(const SpendScope& scope, SpendGrouping grouping) const;

private:
    std::vector<Line> lines(const SpendScope& scope, SpendGrouping grouping,
                            bool reservations) const;

    const DailyRollup& m_rollup;
};

} // namespace ripen

#pragma once

#include "catalog/internal/SqliteDatabase.h"
#include "common/Error.h"
#include "credits/DailyRollup.h"
#include "credits/Money.h"
#include "credits/SpendQuery.h"

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace ripen {

// Yield: what each accepted asset really cost. For a project (or client) and period:
//
//   picks   = its assets flagged "pick" (imported in the period);
//   behind  = every charge of its jobs in the period (attempts that were rejected, failed
//             but charged, retried or upscaled included: they are the cost of getting to
//             the picks), plus the charges of jobs outside it that made an ancestor of a
//             pick, found by walking asset_parents up from every pick; each such job brings
//             the whole batch it was queued in (its siblings are the rejected variants; a
//             batch is one enqueue, so it never spans projects or clients);
//   cost per pick = behind / picks, rounded up to the micro-unit.
//
// Discovery is the spend of concept-stage jobs, production that of every later stage, so
// the split shows whether exploring on a cheap model pays for itself.
class YieldQuery {
public:
    struct Yield {
        std::int64_t scopeId = 0;
        std::string name;
        std::int64_t picks = 0;
        std::int64_t rejects = 0;
        std::int64_t charges = 0; // charged jobs behind the picks
        Micros discoveryUsd = 0;
        Micros productionUsd = 0;
        Micros lineageUsd = 0; // the part charged to jobs outside the scope
        Micros totalUsd() const { return discoveryUsd + productionUsd; }
        std::optional<Micros> costPerPickUsd() const;
    };

    // The spend inside each scope comes from `rollup` (read from `db`); picks, rejects and
    // the lineage outside it from `db`.
    YieldQuery(sqlite::Database& db, const DailyRollup& rollup);

    // The yield of the scope's project, else of its client.
    Result<Yield> forScope(const SpendScope& scope);
    // One line per project that has picks or spend, in the period of `scope`.
    Result<std::vector<Yield>> perProject(const SpendScope& scope);

private:
    // Yields of every project (or client) that `scope` lets through, from one pass over
    // the roll-up and two grouped queries whatever the number of projects: the dashboard
    // refresh stays flat.
    Result<std::vector<Yield>> grouped(const SpendScope& scope, bool byProject);

    sqlite::Database& m_db;
    const DailyRollup& m_rollup;
};

} // namespace ripen

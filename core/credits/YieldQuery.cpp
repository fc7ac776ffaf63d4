#include "credits/YieldQuery.h"

#include <map>
#include <tuple>

namespace ripen {
namespace {

// Charges of the jobs outside each scope behind its picks: walk up from the picks to
// every ancestor, take the jobs that made them outside the scope, and their batches.
constexpr const char* kLineageSql = R"sql(
WITH RECURSIVE lineage(scope, id) AS (
    SELECT a.{col}, a.id FROM assets a WHERE a.flag = 'pick' AND a.{col} IS NOT NULL {picks}
    UNION
    SELECT l.scope, p.parent_id FROM asset_parents p JOIN lineage l ON p.child_id = l.id
),
makers(scope, id, batch) AS (
    SELECT l.scope, j.id, j.batch FROM lineage l JOIN job_assets ja ON ja.asset_id = l.id
    JOIN jobs j ON j.id = ja.job_id WHERE j.{col} IS NOT l.scope
),
behind(scope, id) AS (
    SELECT scope, id FROM makers
    UNION
    SELECT m.scope, j.id FROM makers m JOIN jobs j ON j.batch = m.batch WHERE m.batch <> ''
)
SELECT b.scope, j.stage, sum(l.usd_micros), count(*)
FROM behind b JOIN jobs j ON j.id = b.id JOIN ledger l ON l.job_id = j.id
WHERE j.{col} IS NOT b.scope AND l.kind IN ('charge', 'adjust') {charges}
GROUP BY 1, 2
)sql";

std::string withPart(std::string sql, const std::string& key, const std::string& value) {
    for (auto at = sql.find(key); at != std::string::npos; at = sql.find(key, at + value.size())) {
        sql.replace(at, key.size(), value);
    }
    return sql;
}

// Adds `usd` of `entries` charges of a job stage to `y`.
void addStage(YieldQuery::Yield& y, const std::string& jobStage, Micros usd, std::int64_t entries,
              bool outsideScope) {
    (stageGroup(jobStage) == "production" ? y.productionUsd : y.discoveryUsd) += usd;
    y.lineageUsd += outsideScope ? usd : 0;
    y.charges += entries;
}

// Adds rows of (scope, job stage, USD, entries) to the yields they belong to.
Status addStageRows(sqlite::Statement& stmt, std::map<std::int64_t, YieldQuery::Yield>& yields,
                    bool outsideScope) {
    while (true) {
        auto row = stmt.step();
        if (!row) {
            return std::unexpected(row.error());
        }
        if (!*row) {
            return {};
        }
        addStage(yields[stmt.int64(0)], stmt.text(1), stmt.int64(2), stmt.int64(3), outsideScope);
    }
}

// Adds the charges and adjustments in `scope` to the yield of the project (client) they
// were made for.
void addInsideScope(const DailyRollup& rollup, const SpendScope& scope, bool byProject,
                    std::map<std::int64_t, YieldQuery::Yield>& yields) {
    using Kind = DailyRollup::Kind;
    for (const auto& row : rollup.rows()) {
        const std::int64_t id = byProject ? row.projectId : row.clientId;
        if ((row.kind == Kind::Charge || row.kind == Kind::Adjust) && id != 0 &&
            spendScopeHolds(scope, row)) {
            addStage(yields[id], rollup.text(row.jobStage), row.usd, row.entries, false);
        }
    }
}

} // namespace

std::optional<Micros> YieldQuery::Yield::costPerPickUsd() const {
    if (picks == 0) {
        return std::nullopt;
    }
    return mulDivCeil(totalUsd(), 1, picks);
}

YieldQuery::YieldQuery(sqlite::Database& db, const DailyRollup& rollup)
    : m_db(db), m_rollup(rollup) {}

Result<std::vector<YieldQuery::Yield>> YieldQuery::grouped(const SpendScope& scope,
                                                           bool byProject) {
    const std::string col = byProject ? "project_id" : "client_id";
    std::map<std::int64_t, Yield> yields;
    auto lineage = m_db.prepare(withPart(
        withPart(withPart(kLineageSql, "{col}", col), "{picks}",
                 spendScopeSql(scope, "a.", "imported_at", false)),
        "{charges}", spendScopeSql({.from = scope.from, .to = scope.to}, "l.", "at", false)));
    // The flag term is the one of the covering index assets_flagged (schema 9), and the
    // "+" keeps the planner off assets_by_project, which reads every asset's row.
    auto flags = m_db.prepare("SELECT a." + col +
                              ", sum(a.flag = 'pick'), sum(a.flag = 'reject') "
                              "FROM assets a WHERE a.flag IN ('pick', 'reject') AND +a." +
                              col + " IS NOT NULL" +
                              spendScopeSql(scope, "a.", "imported_at", false) + " GROUP BY 1");
    auto names = m_db.prepare(byProject ? "SELECT id, name FROM projects ORDER BY id"
                                        : "SELECT id, name FROM clients ORDER BY id");
    for (const auto* stmt : {&lineage, &flags, &names}) {
        if (!*stmt) {
            return std::unexpected(stmt->error());
        }
    }
    addInsideScope(m_rollup, scope, byProject, yields);
    if (auto done = addStageRows(*lineage, yields, true); !done) {
        return std::unexpected(done.error());
    }
    auto counted = flags->collect<std::tuple<std::int64_t, std::int64_t, std::int64_t>>(
        [](const sqlite::Statement& s) {
            return std::tuple{s.int64(0), s.int64(1), s.int64(2)};
        });
    auto named =
        names->collect<std::pair<std::int64_t, std::string>>([](const sqlite::Statement& s) {
            return std::pair{s.int64(0), s.text(1)};
        });
    if (!counted || !named) {
        return std::unexpected(!counted ? counted.error() : named.error());
    }
    for (const auto& [id, picks, rejects] : *counted) {
        yields[id].picks = picks;
        yields[id].rejects = rejects;
    }
    std::vector<Yield> result;
    for (const auto& [id, name] : *named) {
        if (auto it = yields.find(id); it != yields.end()) {
            it->second.scopeId = id;
            it->second.name = name;
            result.push_back(it->second);
        }
    }
    return result;
}

Result<YieldQuery::Yield> YieldQuery::forScope(const SpendScope& scope) {
    if (!scope.projectId && !scope.clientId) {
        return fail(ErrorCode::InvalidArgument, "yield needs a project or a client");
    }
    auto list = grouped(scope, scope.projectId.has_value());
    if (!list) {
        return std::unexpected(list.error());
    }
    if (!list->empty()) {
        return list->front();
    }
    Yield nothing; // a scope with neither spend nor picks in the period
    nothing.scopeId = scope.projectId.value_or(scope.clientId.value_or(0));
    auto name = m_db.prepare(scope.projectId ? "SELECT name FROM projects WHERE id = ?"
                                             : "SELECT name FROM clients WHERE id = ?");
    if (!name) {
        return std::unexpected(name.error());
    }
    if (auto row = name->bind(1, nothing.scopeId).step(); row && *row) {
        nothing.name = name->text(0);
    }
    return nothing;
}

Result<std::vector<YieldQuery::Yield>> YieldQuery::perProject(const SpendScope& scope) {
    return grouped(scope, true);
}

} // namespace ripen

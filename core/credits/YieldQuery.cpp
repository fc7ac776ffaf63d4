#include "credits/YieldQuery.h"

#include <limits>

namespace ripen {
namespace {

std::int64_t periodStartMs(const SpendScope& s) {
    return s.from ? *s.from * kMillisPerDay : std::numeric_limits<std::int64_t>::min();
}

std::int64_t periodEndMs(const SpendScope& s) {
    return s.to ? (*s.to + 1) * kMillisPerDay - 1 : std::numeric_limits<std::int64_t>::max();
}

// Adds rows of (job stage, USD, entries) to the yield's discovery or production spend.
Status addStageRows(sqlite::Statement& stmt, YieldQuery::Yield& y, bool outsideScope) {
    while (true) {
        auto row = stmt.step();
        if (!row) {
            return std::unexpected(row.error());
        }
        if (!*row) {
            return {};
        }
        const Micros usd = stmt.int64(1);
        (stageGroup(stmt.text(0)) == "production" ? y.productionUsd : y.discoveryUsd) += usd;
        y.lineageUsd += outsideScope ? usd : 0;
        y.charges += stmt.int64(2);
    }
}

// Jobs outside the scope behind its picks: the batches that made any ancestor of a pick.
constexpr const char* kLineageSql = R"sql(
WITH RECURSIVE lineage(id) AS (
    SELECT id FROM assets WHERE flag = 'pick' AND {col} = ?1 AND imported_at BETWEEN ?2 AND ?3
    UNION
    SELECT p.parent_id FROM asset_parents p JOIN lineage l ON p.child_id = l.id
),
makers(id, batch) AS (
    SELECT j.id, j.batch FROM job_assets ja JOIN jobs j ON j.id = ja.job_id
    WHERE ja.asset_id IN lineage
),
behind(id) AS (
    SELECT id FROM makers
    UNION
    SELECT j.id FROM jobs j WHERE j.batch <> '' AND j.batch IN (SELECT batch FROM makers)
)
SELECT j.stage, sum(l.usd_micros), count(*)
FROM behind b JOIN jobs j ON j.id = b.id JOIN ledger l ON l.job_id = j.id
WHERE (j.{col} IS NULL OR j.{col} <> ?1) AND l.kind IN ('charge', 'adjust') AND l.at BETWEEN ?2 AND ?3
GROUP BY 1
)sql";

std::string withColumn(std::string sql, const std::string& column) {
    for (auto at = sql.find("{col}"); at != std::string::npos; at = sql.find("{col}")) {
        sql.replace(at, 5, column);
    }
    return sql;
}

} // namespace

std::optional<Micros> YieldQuery::Yield::costPerPickUsd() const {
    if (picks == 0) {
        return std::nullopt;
    }
    return mulDivCeil(totalUsd(), 1, picks);
}

YieldQuery::YieldQuery(sqlite::Database& db) : m_db(db) {}

Status YieldQuery::addInsideSpend(Yield& y, const SpendScope& scope) {
    std::string sql = "SELECT d.job_stage, sum(d.usd_micros), sum(d.entries) FROM ledger_daily d "
                      "WHERE d.kind IN ('charge', 'adjust') AND d.day BETWEEN ? AND ?";
    sql += scope.projectId ? " AND d.project_id = ?" : " AND d.client_id = ?";
    sql += " GROUP BY 1";
    auto stmt = m_db.prepare(sql);
    if (!stmt) {
        return std::unexpected(stmt.error());
    }
    stmt->bind(1, scope.from.value_or(std::numeric_limits<std::int64_t>::min()));
    stmt->bind(2, scope.to.value_or(std::numeric_limits<std::int64_t>::max()));
    stmt->bind(3, y.scopeId);
    return addStageRows(*stmt, y, false);
}

Status YieldQuery::addLineageSpend(Yield& y, const SpendScope& scope, const std::string& column) {
    auto stmt = m_db.prepare(withColumn(kLineageSql, column));
    if (!stmt) {
        return std::unexpected(stmt.error());
    }
    stmt->bind(1, y.scopeId).bind(2, periodStartMs(scope)).bind(3, periodEndMs(scope));
    return addStageRows(*stmt, y, true);
}

Status YieldQuery::countFlags(Yield& y, const SpendScope& scope, const std::string& column) {
    auto stmt =
        m_db.prepare(withColumn("SELECT coalesce(sum(flag = 'pick'), 0), "
                                "coalesce(sum(flag = 'reject'), 0) FROM assets WHERE "
                                "{col} = ? AND flag <> 'none' AND imported_at BETWEEN ? AND ?",
                                column));
    if (!stmt) {
        return std::unexpected(stmt.error());
    }
    stmt->bind(1, y.scopeId).bind(2, periodStartMs(scope)).bind(3, periodEndMs(scope));
    auto row = stmt->step();
    if (!row) {
        return std::unexpected(row.error());
    }
    y.picks = stmt->int64(0);
    y.rejects = stmt->int64(1);
    return {};
}

Result<YieldQuery::Yield> YieldQuery::forScope(const SpendScope& scope) {
    if (!scope.projectId && !scope.clientId) {
        return fail(ErrorCode::InvalidArgument, "yield needs a project or a client");
    }
    const std::string column = scope.projectId ? "project_id" : "client_id";
    Yield y;
    y.scopeId = scope.projectId.value_or(scope.clientId.value_or(0));
    auto name = m_db.prepare(scope.projectId ? "SELECT name FROM projects WHERE id = ?"
                                             : "SELECT name FROM clients WHERE id = ?");
    if (!name) {
        return std::unexpected(name.error());
    }
    if (auto row = name->bind(1, y.scopeId).step(); row && *row) {
        y.name = name->text(0);
    }
    for (const Status& done : {addInsideSpend(y, scope), addLineageSpend(y, scope, column),
                               countFlags(y, scope, column)}) {
        if (!done) {
            return std::unexpected(done.error());
        }
    }
    return y;
}

Result<std::vector<YieldQuery::Yield>> YieldQuery::perProject(const SpendScope& scope) {
    std::string sql =
        "SELECT id FROM projects p WHERE EXISTS (SELECT 1 FROM ledger_daily d "
        "WHERE d.project_id = p.id AND d.kind IN ('charge', 'adjust')) OR EXISTS (SELECT 1 "
        "FROM assets a WHERE a.flag = 'pick' AND a.project_id = p.id)";
    if (scope.clientId) {
        sql = "SELECT id FROM (" + sql +
              ") WHERE id IN (SELECT id FROM projects WHERE client_id = " +
              std::to_string(*scope.clientId) + ")";
    }
    auto ids = m_db.prepare(sql + " ORDER BY 1");
    if (!ids) {
        return std::unexpected(ids.error());
    }
    auto list = ids->collect<std::int64_t>([](const sqlite::Statement& s) { return s.int64(0); });
    if (!list) {
        return std::unexpected(list.error());
    }
    std::vector<Yield> result;
    for (const std::int64_t id : *list) {
        if (scope.projectId && *scope.projectId != id) {
            continue;
        }
        SpendScope one = scope;
        one.projectId = id;
        one.clientId.reset();
        auto y = forScope(one);
        if (!y) {
            return std::unexpected(y.error());
        }
        result.push_back(std::move(*y));
    }
    return result;
}

} // namespace ripen

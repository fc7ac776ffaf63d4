#include "credits/SpendQuery.h"

#include <map>

namespace ripen {
namespace {

constexpr const char* kStageGroupSql =
    "CASE WHEN d.job_stage IN ('concept', 'none') THEN 'concept' WHEN d.job_stage = '' "
    "THEN '(no job)' ELSE 'production' END";

std::string groupSql(SpendGrouping grouping) {
    switch (grouping) {
    case SpendGrouping::Provider:
        return "d.provider";
    case SpendGrouping::Model:
        return "d.provider || ' ' || d.model";
    case SpendGrouping::Project:
        return "coalesce((SELECT name FROM projects WHERE id = d.project_id), '(none)')";
    case SpendGrouping::Client:
        return "coalesce((SELECT name FROM clients WHERE id = d.client_id), '(none)')";
    case SpendGrouping::Stage:
        return kStageGroupSql;
    }
    return "d.provider";
}

std::string bucketSql(SpendBucket bucket) {
    switch (bucket) {
    case SpendBucket::Day:
        return "d.day";
    // 1970-01-01 was a Thursday: (day + 3) % 7 counts days since Monday.
    case SpendBucket::Week:
        return "d.day - (d.day + 3) % 7";
    case SpendBucket::Month:
        return "CAST(strftime('%s', d.day * 86400, 'unixepoch', 'start of month') AS INTEGER) "
               "/ 86400";
    }
    return "d.day";
}

} // namespace

std::string spendScopeSql(const SpendScope& s, const std::string& alias,
                          const std::string& timeColumn, bool perDay) {
    std::string sql;
    if (s.projectId) {
        sql += " AND " + alias + "project_id = " + std::to_string(*s.projectId);
    }
    if (s.clientId) {
        sql += " AND " + alias + "client_id = " + std::to_string(*s.clientId);
    }
    if (s.from) {
        sql += " AND " + alias + timeColumn +
               " >= " + std::to_string(perDay ? *s.from : *s.from * kMillisPerDay);
    }
    if (s.to) {
        sql += " AND " + alias + timeColumn +
               " <= " + std::to_string(perDay ? *s.to : (*s.to + 1) * kMillisPerDay - 1);
    }
    return sql;
}

Result<SpendGrouping> spendGroupingFromString(const std::string& text) {
    for (auto g : {SpendGrouping::Provider, SpendGrouping::Model, SpendGrouping::Project,
                   SpendGrouping::Client, SpendGrouping::Stage}) {
        if (toString(g) == text) {
            return g;
        }
    }
    return fail(ErrorCode::InvalidArgument, "spend is grouped by provider, model, project, "
                                            "client or stage, not '" +
                                                text + "'");
}

Result<SpendBucket> spendBucketFromString(const std::string& text) {
    for (auto b : {SpendBucket::Day, SpendBucket::Week, SpendBucket::Month}) {
        if (toString(b) == text) {
            return b;
        }
    }
    return fail(ErrorCode::InvalidArgument,
                "spend is bucketed by day, week or month, not '" + text + "'");
}

std::string toString(SpendGrouping grouping) {
    switch (grouping) {
    case SpendGrouping::Provider:
        return "provider";
    case SpendGrouping::Model:
        return "model";
    case SpendGrouping::Project:
        return "project";
    case SpendGrouping::Client:
        return "client";
    case SpendGrouping::Stage:
        return "stage";
    }
    return "provider";
}

std::string toString(SpendBucket bucket) {
    switch (bucket) {
    case SpendBucket::Day:
        return "day";
    case SpendBucket::Week:
        return "week";
    case SpendBucket::Month:
        return "month";
    }
    return "day";
}

std::string stageGroup(const std::string& jobStage) {
    if (jobStage.empty()) {
        return "(no job)";
    }
    return jobStage == "concept" || jobStage == "none" ? "concept" : "production";
}

SpendQuery::SpendQuery(sqlite::Database& db) : m_db(db) {}

Result<std::vector<SpendQuery::Point>>
SpendQuery::series(const SpendScope& scope, SpendBucket bucket, SpendGrouping grouping) {
    const std::string where = spendScopeSql(scope, "d.", "day", true);
    // Group by the roll-up's own columns first, so names are looked up once per group.
    auto stmt = m_db.prepare("SELECT " + bucketSql(bucket) + ", " + groupSql(grouping) +
                             ", sum(d.usd_micros), sum(d.entries), sum(d.amount_micros), "
                             "min(d.unit), max(d.unit) FROM ledger_daily d "
                             "WHERE d.kind IN ('charge', 'adjust')" +
                             where + " GROUP BY 1, 2 ORDER BY 1, 2");
    if (!stmt) {
        return std::unexpected(stmt.error());
    }
    return stmt->collect<Point>([](const sqlite::Statement& s) {
        const bool oneUnit = s.text(5) == s.text(6);
        return Point{s.int64(0),
                     s.text(1),
                     s.int64(2),
                     s.int64(3),
                     oneUnit ? s.int64(4) : s.int64(2),
                     oneUnit ? s.text(5) : "USD"};
    });
}

Result<std::vector<SpendQuery::Line>> SpendQuery::lines(const SpendScope& scope,
                                                        SpendGrouping grouping, bool reservations) {
    // An open reservation counts whenever it was made.
    const std::string where = spendScopeSql(
        reservations ? SpendScope{.projectId = scope.projectId, .clientId = scope.clientId} : scope,
        "d.", "day", true);
    const std::string sign = reservations ? "CASE d.kind WHEN 'reserve' THEN 1 ELSE -1 END * " : "";
    auto stmt = m_db.prepare(
        "SELECT " + groupSql(grouping) + ", sum(" + sign + "d.usd_micros), sum(" + sign +
        "d.amount_micros), min(d.unit), max(d.unit), sum(" +
        (reservations ? sign + "d.entries" : std::string("d.entries")) +
        ") FROM ledger_daily d WHERE " +
        (reservations ? "d.kind IN ('reserve', 'release')" : "d.kind IN ('charge', 'adjust')") +
        where + " GROUP BY 1 ORDER BY 2 DESC, 1");
    if (!stmt) {
        return std::unexpected(stmt.error());
    }
    auto all = stmt->collect<Line>([](const sqlite::Statement& s) {
        const bool oneUnit = s.text(3) == s.text(4);
        return Line{s.text(0), s.int64(1), oneUnit ? s.int64(2) : s.int64(1),
                    oneUnit ? s.text(3) : "USD", s.int64(5)};
    });
    if (all && reservations) {
        std::erase_if(*all, [](const Line& l) { return l.usd == 0 && l.amount == 0; });
    }
    return all;
}

Result<std::vector<SpendQuery::Line>> SpendQuery::totals(const SpendScope& scope,
                                                         SpendGrouping grouping) {
    return lines(scope, grouping, false);
}

Result<std::vector<SpendQuery::Line>> SpendQuery::openReservations(const SpendScope& scope,
                                                                   SpendGrouping grouping) {
    return lines(scope, grouping, true);
}

} // namespace ripen

#include "credits/Ledger.h"

#include "common/Clock.h"

#include <chrono>
#include <map>

namespace ripen {
namespace {

const char* kindName(Ledger::Kind kind) {
    switch (kind) {
    case Ledger::Kind::Reserve:
        return "reserve";
    case Ledger::Kind::Release:
        return "release";
    case Ledger::Kind::Charge:
        return "charge";
    case Ledger::Kind::Grant:
        return "grant";
    case Ledger::Kind::Adjust:
        return "adjust";
    }
    return "adjust";
}

// Spent and reserved for one scope column (project_id or client_id), summed from the
// ledger's daily roll-up (kept by a trigger in the same transaction as each ledger row), so
// a budget check reads one row per day and combination instead of every ledger entry.
constexpr const char* kBudgetSelect = R"sql(
SELECT b.scope, coalesce(p.name, c.name, ''), b.limit_usd_micros, b.soft_percent,
  CASE b.scope WHEN 'project' THEN
    (SELECT coalesce(sum(usd_micros), 0) FROM ledger_daily d
       WHERE d.project_id = b.scope_id AND d.kind IN ('charge', 'adjust'))
  ELSE
    (SELECT coalesce(sum(usd_micros), 0) FROM ledger_daily d
       WHERE d.client_id = b.scope_id AND d.kind IN ('charge', 'adjust')) END,
  CASE b.scope WHEN 'project' THEN
    (SELECT coalesce(sum(CASE d.kind WHEN 'reserve' THEN usd_micros ELSE -usd_micros END), 0)
       FROM ledger_daily d WHERE d.project_id = b.scope_id AND d.kind IN ('reserve', 'release'))
  ELSE
    (SELECT coalesce(sum(CASE d.kind WHEN 'reserve' THEN usd_micros ELSE -usd_micros END), 0)
       FROM ledger_daily d WHERE d.client_id = b.scope_id AND d.kind IN ('reserve', 'release'))
  END
FROM budgets b
LEFT JOIN projects p ON b.scope = 'project' AND p.id = b.scope_id
LEFT JOIN clients c ON b.scope = 'client' AND c.id = b.scope_id
)sql";

} // namespace

Ledger::Ledger(sqlite::Database& db) : m_db(db) {}

Status Ledger::append(const Entry& e) {
    auto stmt = m_db.prepare(R"sql(
        INSERT INTO ledger(at, job_id, kind, amount_micros, unit, usd_micros, provider, model,
                           project_id, client_id, note)
        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?))sql");
    if (!stmt) {
        return std::unexpected(stmt.error());
    }
    stmt->bind(1, unixMillis()).bind(2, e.jobId).bind(3, kindName(e.kind)).bind(4, e.amount);
    stmt->bind(5, e.unit).bind(6, e.usd).bind(7, e.provider).bind(8, e.model);
    stmt->bind(9, e.projectId).bind(10, e.clientId).bind(11, e.note);
    return stmt->run();
}

Result<Micros> Ledger::openReservationUsd(std::int64_t jobId) {
    auto stmt = m_db.prepare(
        "SELECT coalesce(sum(CASE kind WHEN 'reserve' THEN usd_micros ELSE -usd_micros END), 0) "
        "FROM ledger WHERE job_id = ? AND kind IN ('reserve', 'release')");
    if (!stmt) {
        return std::unexpected(stmt.error());
    }
    stmt->bind(1, jobId);
    auto row = stmt->step();
    if (!row) {
        return std::unexpected(row.error());
    }
    return stmt->int64(0);
}

namespace {

Result<std::vector<Ledger::BudgetStatus>> readBudgets(sqlite::Statement& stmt) {
    std::vector<Ledger::BudgetStatus> list;
    while (true) {
        auto row = stmt.step();
        if (!row) {
            return std::unexpected(row.error());
        }
        if (!*row) {
            return list;
        }
        list.push_back({stmt.text(0), stmt.text(1), stmt.int64(2), stmt.int64(4), stmt.int64(5),
                        static_cast<int>(stmt.int64(3))});
    }
}

} // namespace

Result<std::optional<Ledger::BudgetStatus>> Ledger::budget(const std::string& scope,
                                                           std::int64_t scopeId) {
    auto stmt = m_db.prepare(std::string(kBudgetSelect) + " WHERE b.scope = ? AND b.scope_id = ?");
    if (!stmt) {
        return std::unexpected(stmt.error());
    }
    stmt->bind(1, scope).bind(2, scopeId);
    auto list = readBudgets(*stmt);
    if (!list) {
        return std::unexpected(list.error());
    }
    return list->empty() ? std::nullopt : std::optional<BudgetStatus>(list->front());
}

Result<std::vector<Ledger::BudgetStatus>> Ledger::budgets() {
    auto rollup = DailyRollup::read(m_db);
    if (!rollup) {
        return std::unexpected(rollup.error());
    }
    return budgets(*rollup);
}

Result<std::vector<Ledger::BudgetStatus>> Ledger::budgets(const DailyRollup& rollup) {
    auto stmt = m_db.prepare("SELECT b.scope, coalesce(p.name, c.name, ''), b.limit_usd_micros, "
                             "b.soft_percent, b.scope_id FROM budgets b "
                             "LEFT JOIN projects p ON b.scope = 'project' AND p.id = b.scope_id "
                             "LEFT JOIN clients c ON b.scope = 'client' AND c.id = b.scope_id "
                             "ORDER BY b.scope, 2");
    if (!stmt) {
        return std::unexpected(stmt.error());
    }
    using Key = std::pair<bool, std::int64_t>; // (a project's, id)
    std::map<Key, std::size_t> byScope;
    auto list = stmt->collect<BudgetStatus>([&byScope](const sqlite::Statement& r) {
        const std::size_t index = byScope.size();
        byScope[{r.text(0) == "project", r.int64(4)}] = index;
        return BudgetStatus{r.text(0), r.text(1), r.int64(2), 0, 0, static_cast<int>(r.int64(3))};
    });
    if (!list || byScope.empty()) {
        return list;
    }
    // One pass over the roll-up for every budget, as kBudgetSelect sums it for one.
    using RollupKind = DailyRollup::Kind;
    for (const auto& row : rollup.rows()) {
        for (const Key& key : {Key{true, row.projectId}, Key{false, row.clientId}}) {
            const auto it = byScope.find(key);
            if (it == byScope.end()) {
                continue;
            }
            BudgetStatus& b = (*list)[it->second];
            if (row.kind == RollupKind::Charge || row.kind == RollupKind::Adjust) {
                b.spentUsd += row.usd;
            } else if (row.kind == RollupKind::Reserve || row.kind == RollupKind::Release) {
                b.reservedUsd += row.kind == RollupKind::Reserve ? row.usd : -row.usd;
            }
        }
    }
    return list;
}

Status Ledger::setBudget(const std::string& scope, std::int64_t scopeId,
                         std::optional<Micros> limitUsd) {
    auto stmt = limitUsd ? m_db.prepare("INSERT INTO budgets(scope, scope_id, limit_usd_micros) "
                                        "VALUES (?, ?, ?) ON CONFLICT(scope, scope_id) DO UPDATE "
                                        "SET limit_usd_micros = excluded.limit_usd_micros")
                         : m_db.prepare("DELETE FROM budgets WHERE scope = ? AND scope_id = ?");
    if (!stmt) {
        return std::unexpected(stmt.error());
    }
    stmt->bind(1, scope).bind(2, scopeId);
    if (limitUsd) {
        stmt->bind(3, *limitUsd);
    }
    return stmt->run();
}

Result<Micros> Ledger::totalChargedUsd() {
    return m_db.queryInt64(
        "SELECT coalesce(sum(usd_micros), 0) FROM ledger_daily WHERE kind = 'charge'");
}

Result<Micros> Ledger::totalReservedUsd() {
    return m_db.queryInt64(
        "SELECT coalesce(sum(CASE kind WHEN 'reserve' THEN usd_micros ELSE "
        "-usd_micros END), 0) FROM ledger_daily WHERE kind IN ('reserve', 'release')");
}

Result<Micros> Ledger::chargedUsdSince(std::int64_t sinceMs) {
    auto stmt = m_db.prepare(
        "SELECT coalesce(sum(usd_micros), 0) FROM ledger WHERE kind = 'charge' AND at >= ?");
    if (!stmt) {
        return std::unexpected(stmt.error());
    }
    stmt->bind(1, sinceMs);
    auto row = stmt->step();
    if (!row) {
        return std::unexpected(row.error());
    }
    return *row ? stmt->int64(0) : Micros{0};
}

Result<std::vector<Ledger::SpendLine>> Ledger::spendBy(const std::string& dimension) {
    std::string key;
    if (dimension == "provider") {
        key = "l.provider";
    } else if (dimension == "model") {
        key = "l.provider || ' ' || l.model";
    } else if (dimension == "project") {
        key = "coalesce((SELECT name FROM projects WHERE id = l.project_id), '(none)')";
    } else if (dimension == "client") {
        key = "coalesce((SELECT name FROM clients WHERE id = l.client_id), '(none)')";
    } else {
        return fail(ErrorCode::InvalidArgument, "spend can be grouped by provider, model, "
                                                "project or client, not " +
                                                    dimension);
    }
    auto stmt = m_db.prepare("SELECT " + key +
                             ", sum(l.usd_micros), sum(l.amount_micros), "
                             "min(l.unit), count(DISTINCT l.job_id) FROM ledger l WHERE "
                             "l.kind = 'charge' GROUP BY 1 ORDER BY 2 DESC");
    if (!stmt) {
        return std::unexpected(stmt.error());
    }
    return stmt->collect<SpendLine>([](const sqlite::Statement& s) {
        return SpendLine{s.text(0), s.int64(1), s.int64(2), s.text(3), s.int64(4)};
    });
}

} // namespace ripen

#include "jobs/ProviderHolds.h"

#include <algorithm>

namespace ripen {

ProviderHolds::ProviderHolds(Library& library) : m_db(library.catalog().database()) {}

Status ProviderHolds::refused(const ProviderHold& hold, std::chrono::milliseconds ceiling) {
    // An earlier time is kept only as far as it could be now: one written under a clock
    // that ran ahead must not outlive the ceiling through every later refusal.
    auto stmt = m_db.prepare(
        "INSERT INTO provider_holds(provider, held_until, recovering, reason, updated_at) "
        "VALUES (?1, ?2, 1, ?3, ?4) ON CONFLICT(provider) DO UPDATE SET "
        "held_until = max(min(held_until, ?5), excluded.held_until), recovering = 1, "
        "reason = excluded.reason, updated_at = excluded.updated_at");
    if (!stmt) {
        return std::unexpected(stmt.error());
    }
    const std::int64_t until =
        std::clamp<std::int64_t>(hold.untilMs, 0, hold.updatedAtMs + ceiling.count());
    stmt->bind(1, hold.provider).bind(2, until).bind(3, hold.reason).bind(4, hold.updatedAtMs);
    stmt->bind(5, hold.updatedAtMs + ceiling.count());
    return stmt->run();
}

Status ProviderHolds::accepted(const std::string& provider, bool stillHeld) {
    auto stmt =
        m_db.prepare(stillHeld ? "UPDATE provider_holds SET recovering = 0 WHERE provider = ?"
                               : "DELETE FROM provider_holds WHERE provider = ?");
    if (!stmt) {
        return std::unexpected(stmt.error());
    }
    return stmt->bind(1, provider).run();
}

Result<std::vector<ProviderHold>> ProviderHolds::active(std::int64_t nowMs,
                                                        std::chrono::milliseconds ceiling) {
    auto stmt = m_db.prepare("SELECT provider, held_until, recovering, reason, updated_at "
                             "FROM provider_holds WHERE held_until > ? ORDER BY provider");
    if (!stmt) {
        return std::unexpected(stmt.error());
    }
    const std::int64_t latest = nowMs + ceiling.count();
    return stmt->bind(1, nowMs).collect<ProviderHold>([latest](const sqlite::Statement& row) {
        return ProviderHold{row.text(0), std::min(row.int64(1), latest), row.int64(2) != 0,
                            row.text(3), row.int64(4)};
    });
}

Status ProviderHolds::tidy(std::int64_t nowMs, std::chrono::milliseconds ceiling) {
    auto passed = m_db.prepare("DELETE FROM provider_holds WHERE held_until <= ?");
    if (!passed) {
        return std::unexpected(passed.error());
    }
    if (auto removed = passed->bind(1, nowMs).run(); !removed) {
        return removed;
    }
    auto beyond = m_db.prepare("UPDATE provider_holds SET held_until = ?1 WHERE held_until > ?1");
    if (!beyond) {
        return std::unexpected(beyond.error());
    }
    return beyond->bind(1, nowMs + ceiling.count()).run();
}

} // namespace ripen

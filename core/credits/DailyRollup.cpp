#include "credits/DailyRollup.h"

namespace ripen {
namespace {

DailyRollup::Kind kindOf(std::string_view text) {
    using Kind = DailyRollup::Kind;
    for (const auto& [name, kind] : {std::pair{"charge", Kind::Charge},
                                     {"adjust", Kind::Adjust},
                                     {"reserve", Kind::Reserve},
                                     {"release", Kind::Release},
                                     {"grant", Kind::Grant}}) {
        if (text == name) {
            return kind;
        }
    }
    return Kind::Other;
}

Result<std::unordered_map<std::int64_t, std::string>> namesOf(sqlite::Database& db,
                                                              const char* sql) {
    auto stmt = db.prepare(sql);
    if (!stmt) {
        return std::unexpected(stmt.error());
    }
    std::unordered_map<std::int64_t, std::string> names;
    while (true) {
        auto row = stmt->step();
        if (!row) {
            return std::unexpected(row.error());
        }
        if (!*row) {
            return names;
        }
        names.emplace(stmt->int64(0), stmt->text(1));
    }
}

const std::string& nameIn(const std::unordered_map<std::int64_t, std::string>& names,
                          std::int64_t id) {
    static const std::string none = "(none)";
    const auto it = names.find(id);
    return it == names.end() ? none : it->second;
}

} // namespace

Result<DailyRollup> DailyRollup::read(sqlite::Database& db) {
    DailyRollup rollup;
    auto projects = namesOf(db, "SELECT id, name FROM projects");
    auto clients = namesOf(db, "SELECT id, name FROM clients");
    auto stmt = db.prepare("SELECT day, kind, provider, model, unit, project_id, client_id, "
                           "job_stage, usd_micros, amount_micros, entries FROM ledger_daily");
    if (!projects || !clients || !stmt) {
        return std::unexpected(!projects  ? projects.error()
                               : !clients ? clients.error()
                                          : stmt.error());
    }
    rollup.m_projects = std::move(*projects);
    rollup.m_clients = std::move(*clients);
    while (true) {
        auto step = stmt->step();
        if (!step) {
            return std::unexpected(step.error());
        }
        if (!*step) {
            return rollup;
        }
        rollup.m_rows.push_back(Row{.day = stmt->int64(0),
                                    .kind = kindOf(stmt->text(1)),
                                    .provider = rollup.intern(stmt->text(2)),
                                    .model = rollup.intern(stmt->text(3)),
                                    .unit = rollup.intern(stmt->text(4)),
                                    .jobStage = rollup.intern(stmt->text(7)),
                                    .projectId = stmt->int64(5),
                                    .clientId = stmt->int64(6),
                                    .usd = stmt->int64(8),
                                    .amount = stmt->int64(9),
                                    .entries = stmt->int64(10)});
    }
}

DailyRollup::TextId DailyRollup::intern(std::string_view text) {
    if (const auto it = m_ids.find(text); it != m_ids.end()) {
        return it->second;
    }
    const auto id = static_cast<TextId>(m_texts.size());
    m_texts.emplace_back(text);
    m_ids.emplace(std::string(text), id);
    return id;
}

const std::string& DailyRollup::projectName(std::int64_t id) const {
    return nameIn(m_projects, id);
}

const std::string& DailyRollup::clientName(std::int64_t id) const {
    return nameIn(m_clients, id);
}

} // namespace ripen

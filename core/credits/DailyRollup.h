#pragma once

#include "catalog/internal/SqliteDatabase.h"
#include "common/Error.h"
#include "credits/CalendarDay.h"
#include "credits/Money.h"

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace ripen {

// The ledger's daily roll-up (ledger_daily: one row per UTC day and combination of kind,
// provider, model, unit, project, client and job stage) read once into memory, with the
// project and client names. Every dashboard figure that sums money (spend over time, the
// forecast, balances, the yield's in-scope spend) is a different grouping of these rows:
// one pass over the table and the sums in C++ cost a fraction of one SQL GROUP BY each
// (a temp B-tree per query over the same rows).
//
// Texts are interned: a row holds small ids into text(), so grouping compares integers.
class DailyRollup {
public:
    enum class Kind { Charge, Adjust, Reserve, Release, Grant, Other };
    using TextId = std::int32_t;
    struct Row {
        CalendarDay day = 0;
        Kind kind = Kind::Other;
        TextId provider = 0;
        TextId model = 0;
        TextId unit = 0;
        TextId jobStage = 0;        // "" for an entry without a job
        std::int64_t projectId = 0; // 0: none
        std::int64_t clientId = 0;  // 0: none
        Micros usd = 0;
        Micros amount = 0; // in `unit`
        std::int64_t entries = 0;
    };

    static Result<DailyRollup> read(sqlite::Database& db);

    const std::vector<Row>& rows() const { return m_rows; }
    const std::string& text(TextId id) const { return m_texts[static_cast<std::size_t>(id)]; }
    // The project's (client's) name, "(none)" for 0 or one that no longer exists.
    const std::string& projectName(std::int64_t id) const;
    const std::string& clientName(std::int64_t id) const;

private:
    TextId intern(std::string_view text);

    std::vector<Row> m_rows;
    std::vector<std::string> m_texts;
    // Looked up by string_view: a row's texts are interned without a copy.
    struct TextHash {
        using is_transparent = void;
        std::size_t operator()(std::string_view text) const {
            return std::hash<std::string_view>{}(text);
        }
    };
    std::unordered_map<std::string, TextId, TextHash, std::equal_to<>> m_ids;
    std::unordered_map<std::int64_t, std::string> m_projects;
    std::unordered_map<std::int64_t, std::string> m_clients;
};

} // namespace ripen

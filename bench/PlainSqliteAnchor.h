#pragma once

#include "SyntheticAssets.h"

#include <filesystem>
#include <string>
#include <vector>

struct sqlite3;

namespace ripen::bench {

// PERFORMANCE.md §6's plain schema, rebuilt with the SQLite C API: one `assets` table of 12
// columns with indexes on `tag` and `created_at`, WAL + synchronous=NORMAL, filled in one
// transaction with one prepared INSERT, then ANALYZE. Queries are prepared once and reset
// between runs, as the anchor's probe did. Each row takes the first of the synthetic asset's
// three tags, so a tag matches ~1/30 of the rows, as 'cyberpunk' did in the anchor corpus.
class PlainSqliteAnchor {
public:
    explicit PlainSqliteAnchor(const std::filesystem::path& file);
    ~PlainSqliteAnchor();
    PlainSqliteAnchor(const PlainSqliteAnchor&) = delete;
    PlainSqliteAnchor& operator=(const PlainSqliteAnchor&) = delete;

    // Returns the wall time of the insert transaction (schema and ANALYZE excluded).
    double build(const SyntheticAssets& source, std::int64_t rows);

    struct Timing {
        double medianSeconds = 0;
        std::int64_t resultRows = 0; // rows returned, or the value of a count(*)
    };
    // `isCount`: the statement returns one count(*) value rather than rows to read.
    Timing measure(const std::string& sql, const std::vector<std::string>& binds, bool isCount,
                   int runs);

    std::string queryPlan(const std::string& sql);

private:
    void exec(const char* sql);

    sqlite3* m_db = nullptr;
};

} // namespace ripen::bench

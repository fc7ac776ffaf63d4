#include "catalog/internal/SqliteIntegrity.h"

#include "common/TextEncoding.h"

#include <string>

namespace ripen {

namespace {

// The lines of an integrity or quick check that are not "ok", joined.
Result<std::string> checkProblems(sqlite::Database& db, const char* pragma) {
    auto stmt = db.prepare(pragma);
    if (!stmt) {
        return std::unexpected(stmt.error());
    }
    std::string problems;
    while (true) {
        auto row = stmt->step();
        if (!row) {
            return std::unexpected(row.error());
        }
        if (!*row) {
            return problems;
        }
        if (const std::string line = stmt->text(0); line != "ok") {
            problems += line + "; ";
        }
    }
}

Status corruptUnlessEmpty(sqlite::Database& db, const std::string& problems) {
    if (problems.empty()) {
        return {};
    }
    return fail(ErrorCode::Corrupt,
                escapeInvalidUtf8(db.path().native()) + " failed its integrity check: " + problems);
}

} // namespace

Status quickCheck(sqlite::Database& db) {
    auto problems = checkProblems(db, "PRAGMA quick_check");
    if (!problems) {
        return std::unexpected(problems.error());
    }
    return corruptUnlessEmpty(db, *problems);
}

Status checkIntegrity(sqlite::Database& db) {
    auto found = checkProblems(db, "PRAGMA integrity_check");
    if (!found) {
        return std::unexpected(found.error());
    }
    std::string problems = *found;
    auto fk = db.queryInt64("SELECT count(*) FROM pragma_foreign_key_check");
    if (!fk) {
        return std::unexpected(fk.error());
    }
    if (*fk != 0) {
        problems += std::to_string(*fk) + " rows point at missing rows; ";
    }
    return corruptUnlessEmpty(db, problems);
}

} // namespace ripen

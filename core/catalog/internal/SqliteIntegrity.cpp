#include "catalog/internal/SqliteIntegrity.h"

#include "common/TextEncoding.h"

#include <string>

namespace ripen {

Status checkIntegrity(sqlite::Database& db) {
    auto stmt = db.prepare("PRAGMA integrity_check");
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
            break;
        }
        if (const std::string line = stmt->text(0); line != "ok") {
            problems += line + "; ";
        }
    }
    auto fk = db.queryInt64("SELECT count(*) FROM pragma_foreign_key_check");
    if (!fk) {
        return std::unexpected(fk.error());
    }
    if (*fk != 0) {
        problems += std::to_string(*fk) + " rows point at missing rows; ";
    }
    if (!problems.empty()) {
        return fail(ErrorCode::Corrupt, escapeInvalidUtf8(db.path().native()) +
                                            " failed its integrity check: " + problems);
    }
    return {};
}

} // namespace ripen

#pragma once

#include "catalog/internal/SqliteDatabase.h"
#include "common/Error.h"

namespace ripen {

// The catalog's schema history. Each version is one step from the one before it; a
// catalog is brought forward step by step, each step in its own transaction together with
// its PRAGMA user_version, so a crash mid-migration leaves a whole, older schema.
class CatalogMigrations {
public:
    static constexpr int kLatestVersion = 10;

    // Brings `db` to `targetVersion` (the latest unless a test asks for an older one).
    // A catalog newer than this build knows is refused and left untouched.
    static Status migrate(sqlite::Database& db, int targetVersion = kLatestVersion);
    static Result<int> currentVersion(sqlite::Database& db);
};

} // namespace ripen

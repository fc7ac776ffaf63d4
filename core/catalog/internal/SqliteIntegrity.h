#pragma once

#include "catalog/internal/SqliteDatabase.h"
#include "common/Error.h"

namespace ripen {

// PRAGMA integrity_check and foreign_key_check on one connection. Corrupt lists what is
// wrong (a file that is no database at all is Corrupt too).
Status checkIntegrity(sqlite::Database& db);

// PRAGMA quick_check: every page and record is read and checked, indexes are not compared
// with their tables. Fast enough for every start-up; Corrupt lists the problems.
Status quickCheck(sqlite::Database& db);

} // namespace ripen

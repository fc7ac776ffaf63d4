#pragma once

#include "catalog/internal/SqliteDatabase.h"
#include "common/Error.h"

namespace ripen {

// PRAGMA integrity_check and foreign_key_check on one connection. Corrupt lists what is
// wrong (a file that is no database at all is Corrupt too).
Status checkIntegrity(sqlite::Database& db);

} // namespace ripen

#pragma once

#include "common/Error.h"

#include <cstdint>
#include <filesystem>
#include <string>

namespace ripen {

// How a library's catalog is checked when ripen or ripen-cli opens it (RELIABILITY.md D6).
//
// PRAGMA quick_check reads every page (seconds on a 100k-asset catalog), so it runs only
// when the catalog may have changed outside Ripen's own transactions:
//   - no clean close is on record (a new library, or the last session was killed or
//     crashed), or a -wal with content is left over;
//   - catalog.sqlite is not the file Ripen closed: another inode, size, mtime or ctime,
//     header change counter or page count (a copy, a sync tool, another program, a restore);
//   - the last full check is older than kFullCheckEveryMs (damage that leaves no trace in
//     stat, such as a failing disk, is found within that time).
// Otherwise the light check reads only the header and the schema (SQLite refuses a damaged
// header or a file shorter than its header says). Every check is read-only, on its own
// connection.
//
// Thread affinity: none (each call opens its own connection); other processes may use the
// library meanwhile.
class CatalogStartupCheck {
public:
    static constexpr std::int64_t kFullCheckEveryMs = 7LL * 24 * 60 * 60 * 1000;

    enum class Depth { Light, Full };

    // What was checked, and why (for logs and tests).
    struct Report {
        Depth depth = Depth::Full;
        std::string reason;
        // When PRAGMA quick_check last passed on this catalog (now, after a full check).
        std::int64_t fullCheckAtMs = 0;
    };

    // Which check the catalog needs now. Call before the library is opened: opening it
    // creates the -wal this looks at.
    static Report plan(const std::filesystem::path& libraryRoot);

    // Runs the planned check. Errors: Corrupt naming what is wrong; Io/NotFound when the
    // catalog cannot be read.
    static Status run(const std::filesystem::path& libraryRoot, const Report& planned);

    // Called by the last Library of the process to close on this root, when one of them
    // passed its check: records the catalog's state for the next start-up, unless another
    // connection (another process) still has the catalog open.
    static void recordCleanClose(const std::filesystem::path& libraryRoot,
                                 std::int64_t fullCheckAtMs);
};

} // namespace ripen

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
// A live session: while the GUI, a queue run or another command has the library open, its
// -wal has content and the catalog has moved on from the clean close record, which alone
// cannot be told from a killed session. So when the first two rules call for the full check
// but a process that passed its own start-up check holds catalog.sqlite.live's "checked"
// lock (LiveSessionLock), the light check runs instead, and the reason says so. Why each
// rule is still safe:
//   - The lock says the holder is alive now (the kernel drops it when a process dies, so a
//     killed session leaves no holder and the next opener checks in full, as before) and
//     that it passed a check; since then the catalog changed through SQLite transactions
//     (its own, or of processes that opened beside it) as in any session, which a clean
//     close would also have vouched for when the session ended.
//   - A holder that dies between the look at the lock and the check: a process's death
//     cannot tear a WAL transaction (the kernel still holds its writes; SQLite's recovery
//     drops an incomplete commit). What the full check after a killed session is for — a
//     power loss or a kernel crash, torn pages on disk — ends every holder at once, so the
//     next start meets no holder.
//   - Two processes opening at once: each takes the "checked" lock only after its check
//     passed, so each sees the other either not yet live (and checks in full) or checked.
//   - A restore takes catalog.sqlite.live for writing (CatalogBackup::restore), which it
//     cannot while anyone has the library open, and openers wait for it: no holder outlives
//     the file it checked. A catalog replaced by another program while a holder lives has
//     another inode than the one the holder recorded: the full check runs.
//   - The weekly full check counts from the holders' newest full check, so a session open
//     for weeks does not put it off; the opener that runs it records its time for the rest.
//   - A write to catalog.sqlite in place by another program while a session is live looks
//     like the session's own writes; it is found where it would be without this rule for
//     damage made during the session: the header and schema by the light check, the rest
//     when read, by the daily backup's integrity check or the weekly full check.
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
    // creates the -wal this looks at. Light with a reason starting "a live session" when a
    // live session explains the changes.
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

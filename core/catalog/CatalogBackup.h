#pragma once

#include "catalog/Library.h"
#include "common/Error.h"

#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <vector>

namespace ripen {

// Verified copies of a library's catalog, so that a catalog damaged on disk (a bit flip, a
// bad sector, a copy taken while it was written) costs at most the changes since the last
// backup, never the library. Backups live in <library>/backups/ as
// catalog-YYYYMMDD-HHMMSS.sqlite; the blobs need none (they are named by their hash).
//
// A backup is made with SQLite's online backup API (a consistent snapshot even while the
// GUI or a queue runner writes), checked with integrity_check before it gets its final name,
// fsynced and renamed: a file in backups/ is always a complete, verified catalog.
class CatalogBackup {
public:
    static constexpr std::size_t kKept = 7; // older backups are removed after a new one
    // How often ripen and ripen-cli take one when they open a library.
    static constexpr std::int64_t kIntervalMs = 24LL * 60 * 60 * 1000;

    struct Info {
        std::filesystem::path file;
        std::int64_t takenAtMs = 0; // from the name, UTC
        std::uintmax_t bytes = 0;
    };

    // Takes a backup now. Errors: Corrupt when the live catalog fails its integrity check
    // (no backup of a damaged catalog replaces a good one); Io/DiskFull from the copy.
    static Result<Info> take(const std::filesystem::path& libraryRoot);

    // Takes one when the newest backup is older than maxAgeMs (or there is none); nullopt
    // when none was due.
    static Result<std::optional<Info>> takeIfDue(const std::filesystem::path& libraryRoot,
                                                 std::int64_t maxAgeMs);

    // The backups, newest first.
    static std::vector<Info> list(const std::filesystem::path& libraryRoot);

    // PRAGMA integrity_check and foreign_key_check of the live catalog. Corrupt lists what
    // is wrong and names the newest backup to restore.
    static Status checkCatalog(const std::filesystem::path& libraryRoot);

    // The start-up check (CatalogStartupCheck: a full PRAGMA quick_check unless the catalog
    // is unchanged since Ripen closed it cleanly), for every start-up: a bit flip or a torn
    // page is found before the library is used. Corrupt names the file, the newest backup
    // and the restore command. Returns which check ran.
    static Result<CatalogStartupCheck::Report>
    checkAtStartup(const std::filesystem::path& libraryRoot);

    // Library::open, then the start-up check: how ripen and ripen-cli open a library. A
    // Corrupt error from either names the newest backup and the restore command. The
    // library's startupCheck() says which check ran; closing it records a clean close.
    static Result<std::unique_ptr<Library>> openChecked(const std::filesystem::path& libraryRoot);

    // Puts `backup` in place of the live catalog after checking it. The live catalog and its
    // -wal/-shm are kept beside it as catalog.sqlite.damaged-YYYYMMDD-HHMMSS (never deleted:
    // they may hold changes worth recovering by hand). Returns where they went. No other
    // process may have the library open: Busy when one does (this one included), checked
    // through catalog.sqlite.live; openers wait while the restore runs. Errors: Corrupt for
    // a damaged backup.
    static Result<std::filesystem::path> restore(const std::filesystem::path& libraryRoot,
                                                 const std::filesystem::path& backup);

    struct Restored {
        Info backup;
        std::filesystem::path keptAs; // where the replaced catalog went
    };
    // restore() of the newest backup: what `ripen-cli catalog restore` and the GUI's Restore
    // button do. NotFound when the library has no backup.
    static Result<Restored> restoreNewest(const std::filesystem::path& libraryRoot);

private:
    // A Corrupt `healthy` gets the newest backup and the command that restores it.
    static Status withRestoreAdvice(const std::filesystem::path& libraryRoot, Status healthy);
};

} // namespace ripen

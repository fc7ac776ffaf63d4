#pragma once

#include "common/Error.h"

#include <cstdint>
#include <filesystem>
#include <optional>

namespace ripen {

// What stat() and the 100-byte SQLite header say about catalog.sqlite: any write to the
// file (by Ripen, another program, a copy or a sync tool) moves its change time, and a
// replaced file has another inode. Equal states mean the bytes were not written between
// the two looks (the file system's clock tick aside, which CleanCloseRecord::write rules
// out).
struct CatalogFileState {
    std::uint64_t device = 0;
    std::uint64_t inode = 0;
    std::uint64_t bytes = 0;
    std::int64_t modifiedNs = 0;
    std::int64_t changedNs = 0;      // ctime: no program can set it back
    std::uint32_t changeCounter = 0; // header offset 24
    std::uint32_t pageCount = 0;     // header offset 28 (the in-header database size)

    // NotFound when there is no catalog; Io when it cannot be read.
    static Result<CatalogFileState> of(const std::filesystem::path& catalog);
    bool operator==(const CatalogFileState&) const = default;
};

// <library>/catalog.sqlite.clean: the catalog's state when the last Ripen connection closed
// it cleanly after a start-up check, and when its last full check passed. Its presence and
// match let the next start-up skip the full scan; losing it only costs one full check, so
// every doubt (a stale, unreadable or mistimed record) reads as "no record".
struct CleanCloseRecord {
    CatalogFileState state;
    std::int64_t closedAtMs = 0;
    std::int64_t fullCheckAtMs = 0; // when PRAGMA quick_check last passed on this catalog

    static std::filesystem::path file(const std::filesystem::path& libraryRoot);
    static std::optional<CleanCloseRecord> read(const std::filesystem::path& libraryRoot);
    static void remove(const std::filesystem::path& libraryRoot);

    // Records the catalog's current state, atomically, unless a -wal shows that another
    // connection still has it open. A write in the same tick of the file system's clock as
    // the state was taken would leave ctime unchanged, so the state is taken only once the
    // clock has moved past the catalog's ctime (git's "racy clean" problem); on a file
    // system whose clock moves in seconds the record is left out. Returns whether it was
    // written.
    static bool write(const std::filesystem::path& libraryRoot, std::int64_t fullCheckAtMs);
};

} // namespace ripen

#pragma once

#include "common/Error.h"
#include "common/UniqueFd.h"

#include <cstdint>
#include <filesystem>
#include <optional>
#include <sys/types.h>

namespace ripen {

// <library>/catalog.sqlite.live: which Ripen processes have the library open right now, so
// that the start-up check can tell a live session's -wal from one a killed session left,
// and a restore never swaps the catalog under a running process.
//
// The record is a set of open file description locks (fcntl F_OFD_*), which the kernel
// drops when the last descriptor of their holder closes, so a killed or crashed process
// never leaves one behind. They are taken on this sidecar file, never on catalog.sqlite,
// whose POSIX locks SQLite owns (closing any descriptor of it would drop them), and unlike
// POSIX locks they are not dropped when another descriptor of the file closes. Two bytes:
//   - byte 0, "open": a read lock for as long as the process has a Library of the root
//     open (and while CatalogBackup::openChecked plans its check). A restore takes the
//     write lock, so it refuses while anyone has the library open, and openers wait for it.
//   - byte 1, "checked": a read lock once a Library of the process passed its start-up
//     check, until the process's last Library of the root closes.
// The text at the start of the file says what the checked holders know: the catalog file
// they checked (device, inode) and when a full check last passed on it. It is written
// before the byte 1 lock is taken and read only while someone holds that lock, so a record
// left by holders that are gone is never trusted.
//
// Thread affinity: none. One object per process and root (OpenLibraries keeps it).
class LiveSessionLock {
public:
    // How long an opener waits for a restore in another process to finish.
    static constexpr int kRestoreWaitMs = 60'000;

    // What the processes holding the "checked" lock recorded.
    struct CheckedHolder {
        std::uint64_t device = 0;
        std::uint64_t inode = 0;
        std::int64_t fullCheckAtMs = 0;
        pid_t pid = 0; // the last process to record itself
    };

    // Takes the "open" lock, waiting up to kRestoreWaitMs while a restore holds the library.
    // Errors: Busy when the restore does not finish in time; Io when the file cannot be made.
    static Result<LiveSessionLock> join(const std::filesystem::path& libraryRoot);

    // The library passed its start-up check: records the catalog's identity and the full
    // check time (the newer of this one and a live holder's), then takes the "checked" lock.
    // Best effort: a failure leaves the lock untaken, which only costs others a full check.
    void markChecked(std::int64_t fullCheckAtMs);

    // The record, when some process (this one included) holds the "checked" lock; nullopt
    // when none does, or the record cannot be read (both mean: no live session to trust).
    static std::optional<CheckedHolder> checkedHolder(const std::filesystem::path& libraryRoot);

    // Takes both locks for writing, without waiting: the library is the caller's alone until
    // the returned object is destroyed. Busy when any process (this one included) has it
    // open.
    static Result<LiveSessionLock> exclusive(const std::filesystem::path& libraryRoot);

    static std::filesystem::path file(const std::filesystem::path& libraryRoot);

private:
    LiveSessionLock(UniqueFd fd, std::filesystem::path root)
        : m_fd(std::move(fd)), m_root(std::move(root)) {}

    UniqueFd m_fd;
    std::filesystem::path m_root;
};

} // namespace ripen

#include "catalog/internal/LiveSessionLock.h"

#include "common/FileIo.h"
#include "common/TextEncoding.h"

#include <algorithm>
#include <array>
#include <cerrno>
#include <chrono>
#include <cstdio>
#include <fcntl.h>
#include <sstream>
#include <string>
#include <sys/stat.h>
#include <thread>
#include <unistd.h>

namespace ripen {
namespace {

namespace fs = std::filesystem;

constexpr off_t kOpenByte = 0;
constexpr off_t kCheckedByte = 1;
constexpr std::size_t kRecordBytes = 160;
constexpr auto kRestorePoll = std::chrono::milliseconds(20);

struct flock lockRange(short type, off_t start, off_t length) {
    struct flock range {};
    range.l_type = type;
    range.l_whence = SEEK_SET;
    range.l_start = start;
    range.l_len = length;
    range.l_pid = 0; // required for OFD locks
    return range;
}

bool setLock(int fd, short type, off_t start, off_t length) {
    auto range = lockRange(type, start, length);
    return ::fcntl(fd, F_OFD_SETLK, &range) == 0;
}

bool heldByOther(int err) {
    return err == EAGAIN || err == EACCES;
}

Result<UniqueFd> openForLocking(const fs::path& file) {
    UniqueFd fd(::open(file.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644));
    if (!fd.valid()) {
        return std::unexpected(errnoError(errno, "cannot open", file));
    }
    return fd;
}

// Fixed width, so that a rewrite in place never leaves a longer earlier record's tail.
std::string serialise(const LiveSessionLock::CheckedHolder& h) {
    std::array<char, kRecordBytes> text{};
    const int n = std::snprintf(text.data(), text.size(),
                                "ripen-live 1\ndevice %020llu\ninode %020llu\n"
                                "full_check_at_ms %020lld\npid %010d\n",
                                static_cast<unsigned long long>(h.device),
                                static_cast<unsigned long long>(h.inode),
                                static_cast<long long>(h.fullCheckAtMs), static_cast<int>(h.pid));
    return std::string(text.data(), static_cast<std::size_t>(std::max(n, 0)));
}

std::optional<LiveSessionLock::CheckedHolder> parse(const std::string& text) {
    std::istringstream in(text);
    std::string magic;
    int version = 0;
    if (!(in >> magic >> version) || magic != "ripen-live" || version != 1) {
        return std::nullopt;
    }
    LiveSessionLock::CheckedHolder h;
    long long fullCheckAtMs = -1;
    int pid = 0;
    std::string key;
    int fields = 0;
    while (in >> key) {
        if (key == "device" && in >> h.device) {
            ++fields;
        } else if (key == "inode" && in >> h.inode) {
            ++fields;
        } else if (key == "full_check_at_ms" && in >> fullCheckAtMs) {
            ++fields;
        } else if (key == "pid" && in >> pid) {
            ++fields;
        } else {
            return std::nullopt; // torn by a concurrent rewrite, or not ours
        }
    }
    if (fields != 4 || fullCheckAtMs < 0) {
        return std::nullopt;
    }
    h.fullCheckAtMs = fullCheckAtMs;
    h.pid = pid;
    return h;
}

std::optional<LiveSessionLock::CheckedHolder> readRecord(int fd) {
    std::array<char, kRecordBytes> text{};
    const ssize_t got = ::pread(fd, text.data(), text.size(), 0);
    if (got <= 0) {
        return std::nullopt;
    }
    return parse(std::string(text.data(), static_cast<std::size_t>(got)));
}

} // namespace

fs::path LiveSessionLock::file(const fs::path& root) {
    return root / "catalog.sqlite.live";
}

Result<LiveSessionLock> LiveSessionLock::join(const fs::path& root) {
    std::error_code ec;
    fs::create_directories(root, ec); // a new library: its folder is made by the open anyway
    auto fd = openForLocking(file(root));
    if (!fd) {
        return std::unexpected(fd.error());
    }
    const auto deadline =
        std::chrono::steady_clock::now() + std::chrono::milliseconds(kRestoreWaitMs);
    while (!setLock(fd->get(), F_RDLCK, kOpenByte, 1)) {
        if (!heldByOther(errno)) {
            return std::unexpected(errnoError(errno, "cannot lock", file(root)));
        }
        if (std::chrono::steady_clock::now() >= deadline) {
            return fail(ErrorCode::Busy, "a restore of the catalog in " +
                                             escapeInvalidUtf8(root.native()) +
                                             " is still running in another process; try again "
                                             "when it has finished");
        }
        std::this_thread::sleep_for(kRestorePoll); // a restore holds it for seconds
    }
    return LiveSessionLock(std::move(*fd), root);
}

void LiveSessionLock::markChecked(std::int64_t fullCheckAtMs) {
    struct stat st {};
    if (!m_fd.valid() || ::stat((m_root / "catalog.sqlite").c_str(), &st) != 0) {
        return;
    }
    CheckedHolder mine{st.st_dev, st.st_ino, fullCheckAtMs, ::getpid()};
    // A live holder's newer full check of the same file stays on record; a record left by
    // holders that are gone is not consulted.
    if (const auto live = checkedHolder(m_root);
        live && live->device == mine.device && live->inode == mine.inode) {
        mine.fullCheckAtMs = std::max(mine.fullCheckAtMs, live->fullCheckAtMs);
    }
    const std::string text = serialise(mine);
    if (::pwrite(m_fd.get(), text.data(), text.size(), 0) != static_cast<ssize_t>(text.size())) {
        return; // without the record, no "checked" lock: others check in full
    }
    (void)setLock(m_fd.get(), F_RDLCK, kCheckedByte, 1);
}

std::optional<LiveSessionLock::CheckedHolder> LiveSessionLock::checkedHolder(const fs::path& root) {
    const UniqueFd fd(::open(file(root).c_str(), O_RDONLY | O_CLOEXEC));
    if (!fd.valid()) {
        return std::nullopt; // no Ripen process has opened the library since it was made
    }
    auto probe = lockRange(F_WRLCK, kCheckedByte, 1);
    if (::fcntl(fd.get(), F_OFD_GETLK, &probe) != 0 || probe.l_type == F_UNLCK) {
        return std::nullopt;
    }
    return readRecord(fd.get());
}

Result<LiveSessionLock> LiveSessionLock::exclusive(const fs::path& root) {
    auto fd = openForLocking(file(root));
    if (!fd) {
        return std::unexpected(fd.error());
    }
    if (!setLock(fd->get(), F_WRLCK, kOpenByte, 2)) {
        if (!heldByOther(errno)) {
            return std::unexpected(errnoError(errno, "cannot lock", file(root)));
        }
        const auto holder = checkedHolder(root);
        return fail(ErrorCode::Busy,
                    "Ripen has this library open (the GUI, a queue run or another ripen-cli "
                    "command" +
                        (holder ? ", e.g. pid " + std::to_string(holder->pid) : std::string()) +
                        "); close it first, then restore");
    }
    return LiveSessionLock(std::move(*fd), root);
}

} // namespace ripen

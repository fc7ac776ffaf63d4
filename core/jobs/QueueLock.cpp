#include "jobs/QueueLock.h"

#include "common/TextEncoding.h"

#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <string>
#include <sys/file.h>
#include <unistd.h>

namespace ripen {

Result<QueueLock> QueueLock::acquire(const std::filesystem::path& libraryRoot) {
    const auto file = libraryRoot / "queue.lock";
    UniqueFd fd(::open(file.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644));
    if (fd.get() < 0) {
        return fail(ErrorCode::Io, "cannot open " + escapeInvalidUtf8(file.native()) + ": " +
                                       std::strerror(errno));
    }
    if (::flock(fd.get(), LOCK_EX | LOCK_NB) != 0) {
        char holder[32] = {};
        const ssize_t n = ::pread(fd.get(), holder, sizeof holder - 1, 0);
        const std::string pid = n > 0 ? std::string(holder, static_cast<std::size_t>(n)) : "?";
        return fail(ErrorCode::Busy,
                    "another Ripen process (pid " + pid.substr(0, pid.find('\n')) +
                        ") is running this library's job queue; its jobs go on there");
    }
    // The holder's pid, for the message above; the lock itself is the flock.
    const std::string pid = std::to_string(::getpid()) + "\n";
    if (::ftruncate(fd.get(), 0) == 0) {
        (void)::pwrite(fd.get(), pid.data(), pid.size(), 0);
    }
    return QueueLock(std::move(fd));
}

} // namespace ripen

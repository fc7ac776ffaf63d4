#pragma once

#include "common/Error.h"
#include "common/UniqueFd.h"

#include <filesystem>

namespace ripen {

// One runner per library: the GUI and `ripen-cli queue run` (or two CLIs) must not work the
// same queue at once, because a runner starting up treats every job left "submitting" as
// cut off by a crash and marks it interrupted — a job another live process is sending at
// that moment would lose its paid result. The lock is an flock on <library>/queue.lock,
// which the kernel drops when its holder dies, so crash recovery still runs after a kill.
class QueueLock {
public:
    // Takes the lock without waiting. Busy names the process holding it.
    static Result<QueueLock> acquire(const std::filesystem::path& libraryRoot);

private:
    explicit QueueLock(UniqueFd fd) : m_fd(std::move(fd)) {}
    UniqueFd m_fd;
};

} // namespace ripen

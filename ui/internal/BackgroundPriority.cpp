#include "internal/BackgroundPriority.h"

#include <QtGlobal>
#include <utility>

#ifdef Q_OS_LINUX
#include <cerrno>
#include <sys/resource.h>
#include <unistd.h>
#endif

namespace ripen::ui {

namespace {

// The nice value of background work: weight 110 against the GUI thread's 1024, so a GUI
// thread that wakes up runs before a handful of busy workers.
constexpr int kBackgroundNice = 10;

} // namespace

void lowerCurrentThreadPriority() {
#ifdef Q_OS_LINUX
    // Pool threads are reused: one system call per thread, not per task.
    thread_local bool lowered = false;
    if (std::exchange(lowered, true)) {
        return;
    }
    const auto thread = static_cast<id_t>(::gettid());
    errno = 0;
    const int current = ::getpriority(PRIO_PROCESS, thread);
    if (errno == 0 && current < kBackgroundNice) {
        (void)::setpriority(PRIO_PROCESS, thread, kBackgroundNice);
    }
#endif
}

} // namespace ripen::ui

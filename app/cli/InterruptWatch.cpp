#include "InterruptWatch.h"

#include <atomic>
#include <cerrno>
#include <csignal>
#include <fcntl.h>
#include <unistd.h>

namespace ripen::cli {
namespace {

constexpr char kSignalled = 's';
constexpr char kQuit = 'q';

// The write end for the handler; -1 when no watch is active.
std::atomic<int> g_signalPipe{-1};

extern "C" void onInterrupt(int) {
    const int saved = errno;
    const int fd = g_signalPipe.load();
    if (fd >= 0) {
        const char byte = kSignalled;
        (void)!::write(fd, &byte, 1);
    }
    errno = saved;
}

void setHandler(int signal, void (*handler)(int)) {
    struct sigaction action = {};
    action.sa_handler = handler;
    sigemptyset(&action.sa_mask);
    action.sa_flags = SA_RESTART;
    ::sigaction(signal, &action, nullptr);
}

} // namespace

InterruptWatch::InterruptWatch() {
    if (::pipe2(m_pipe, O_CLOEXEC) != 0) {
        return; // no watch: signals keep their default effect and end the process
    }
    m_watcher = std::thread([this] { watch(); });
    g_signalPipe.store(m_pipe[1]);
    setHandler(SIGINT, onInterrupt);
    setHandler(SIGTERM, onInterrupt);
}

InterruptWatch::~InterruptWatch() {
    if (m_pipe[0] < 0) {
        return;
    }
    setHandler(SIGINT, SIG_DFL);
    setHandler(SIGTERM, SIG_DFL);
    g_signalPipe.store(-1);
    const char byte = kQuit;
    (void)!::write(m_pipe[1], &byte, 1);
    m_watcher.join();
    ::close(m_pipe[0]);
    ::close(m_pipe[1]);
}

void InterruptWatch::watch() {
    char byte = 0;
    for (;;) {
        const ssize_t n = ::read(m_pipe[0], &byte, 1);
        if (n < 0 && errno == EINTR) {
            continue;
        }
        if (n <= 0 || byte == kQuit) {
            return;
        }
        m_source.request_stop();
    }
}

} // namespace ripen::cli

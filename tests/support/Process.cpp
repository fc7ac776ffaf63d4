#include "support/Process.h"

#include <sstream>

#include <algorithm>
#include <cerrno>
#include <csignal>
#include <cstdint>
#include <cstdlib>
#include <fcntl.h>
#include <optional>
#include <poll.h>
#include <pthread.h>
#include <stdexcept>
#include <sys/wait.h>
#include <unistd.h>

namespace ripen::test {
namespace {

std::vector<char*> cArgs(const std::vector<std::string>& argv) {
    std::vector<char*> args;
    for (const auto& a : argv) {
        args.push_back(const_cast<char*>(a.c_str()));
    }
    args.push_back(nullptr);
    return args;
}

using Clock = std::chrono::steady_clock;

// Milliseconds left until `deadline` for poll(); -1 (forever) when there is none.
int pollTimeout(std::optional<Clock::time_point> deadline) {
    if (!deadline) {
        return -1;
    }
    const auto left = std::chrono::ceil<std::chrono::milliseconds>(*deadline - Clock::now());
    return static_cast<int>(std::max<std::int64_t>(0, left.count()));
}

// Reads both pipes until the child closes them; past `deadline` the child is killed once
// (its pipes then close) and the result marked timedOut.
void drain(int pid, int outFd, int errFd, std::optional<Clock::time_point> deadline,
           ProcessResult& result) {
    pollfd fds[2] = {{outFd, POLLIN, 0}, {errFd, POLLIN, 0}};
    std::string* sinks[2] = {&result.out, &result.err};
    int open = 2;
    char buffer[65536];
    while (open > 0) {
        const int ready = ::poll(fds, 2, pollTimeout(deadline));
        if (ready == 0 && deadline) {
            ::kill(pid, SIGKILL);
            result.timedOut = true;
            deadline.reset();
            continue;
        }
        if (ready < 0) {
            continue;
        }
        for (int i = 0; i < 2; ++i) {
            if (fds[i].fd < 0 || fds[i].revents == 0) {
                continue;
            }
            const ssize_t n = ::read(fds[i].fd, buffer, sizeof buffer);
            if (n <= 0) {
                ::close(fds[i].fd);
                fds[i].fd = -1;
                --open;
            } else {
                sinks[i]->append(buffer, static_cast<std::size_t>(n));
            }
        }
    }
}

ProcessResult runUntil(const std::vector<std::string>& argv,
                       std::optional<Clock::time_point> deadline) {
    int out[2];
    int err[2];
    if (::pipe2(out, O_CLOEXEC) != 0 || ::pipe2(err, O_CLOEXEC) != 0) {
        throw std::runtime_error("pipe failed");
    }
    auto args = cArgs(argv);
    const pid_t pid = ::fork();
    if (pid == 0) {
        ::dup2(out[1], 1);
        ::dup2(err[1], 2);
        ::execvp(args[0], args.data());
        ::_exit(127);
    }
    ::close(out[1]);
    ::close(err[1]);
    ProcessResult result;
    drain(pid, out[0], err[0], deadline, result);
    const int code = waitProcess(pid);
    result.exitCode = code < 0 ? -1 : code;
    return result;
}

} // namespace

ProcessResult runProcess(const std::vector<std::string>& argv) {
    return runUntil(argv, std::nullopt);
}

ProcessResult runProcess(const std::vector<std::string>& argv, std::chrono::milliseconds limit) {
    return runUntil(argv, Clock::now() + limit);
}

std::string ripenCli() {
    const char* cli = std::getenv("RIPEN_CLI");
    return cli != nullptr ? cli : "ripen-cli";
}

int startProcess(const std::vector<std::string>& argv) {
    auto args = cArgs(argv);
    // A signal a test sends right after the fork must reach the program, not the test's own
    // handlers still installed in the child before exec: signals wait blocked until the
    // child has reset them.
    sigset_t all;
    sigset_t previous;
    ::sigfillset(&all);
    ::pthread_sigmask(SIG_SETMASK, &all, &previous);
    const pid_t pid = ::fork();
    if (pid == 0) {
        for (const int signal : {SIGINT, SIGTERM, SIGSEGV, SIGABRT, SIGILL, SIGFPE}) {
            ::signal(signal, SIG_DFL);
        }
        ::pthread_sigmask(SIG_SETMASK, &previous, nullptr);
        const int null = ::open("/dev/null", O_WRONLY);
        ::dup2(null, 1);
        ::dup2(null, 2);
        ::execvp(args[0], args.data());
        ::_exit(127);
    }
    ::pthread_sigmask(SIG_SETMASK, &previous, nullptr);
    return pid;
}

int startProcessLogged(const std::vector<std::string>& argv, const std::string& logFile) {
    auto args = cArgs(argv);
    const pid_t pid = ::fork();
    if (pid == 0) {
        const int log = ::open(logFile.c_str(), O_WRONLY | O_CREAT | O_APPEND, 0600);
        ::dup2(log, 1);
        ::dup2(log, 2);
        ::execvp(args[0], args.data());
        ::_exit(127);
    }
    return pid;
}

int waitProcess(int pid) {
    int status = 0;
    while (::waitpid(pid, &status, 0) < 0) {
        if (errno != EINTR) {
            return -1; // not our child (or already reaped): nothing to wait for
        }
    }
    return WIFEXITED(status) ? WEXITSTATUS(status) : -WTERMSIG(status);
}

std::vector<std::string> outputLines(const std::string& text) {
    std::vector<std::string> out;
    std::istringstream in(text);
    for (std::string line; std::getline(in, line);) {
        out.push_back(line);
    }
    return out;
}

} // namespace ripen::test

// A `queue run` that is told to stop (SIGTERM, Ctrl+C) must end, whenever the signal lands:
// while it starts, works, or already runs its exit handlers. The handler once called
// std::stop_source::request_stop() on a static that exit had destroyed, and the process
// spun forever; a CI run of the disk-full test hung on it for ten minutes.
#include "catalog/Library.h"
#include "support/Process.h"
#include "support/TempDir.h"

#include <catch2/catch.hpp>
#include <chrono>
#include <signal.h>
#include <sys/wait.h>
#include <thread>

using namespace ripen;
using namespace ripen::test;

namespace {

// Sends `signal` to `pid` every 200 microseconds until it exits; false when it is still
// running after `limit` (it is then killed so the test goes on).
bool endsUnderSignals(int pid, int signal, std::chrono::seconds limit) {
    const auto deadline = std::chrono::steady_clock::now() + limit;
    int status = 0;
    while (::waitpid(pid, &status, WNOHANG) == 0) {
        if (std::chrono::steady_clock::now() > deadline) {
            ::kill(pid, SIGKILL);
            waitProcess(pid);
            return false;
        }
        ::kill(pid, signal);
        std::this_thread::sleep_for(std::chrono::microseconds(200));
    }
    return true;
}

} // namespace

TEST_CASE("a queue run signalled to stop at any moment, exit included, ends",
          "[reliability][signal]") {
    TempDir dir;
    const auto root = dir / "library";
    REQUIRE(Library::open(root));
    const std::vector<std::string> argv{ripenCli(), "--library", root.string(), "queue", "run"};
    for (const int signal : {SIGTERM, SIGINT}) {
        for (int round = 0; round < 30; ++round) {
            INFO("signal " << signal << ", round " << round);
            const int pid = startProcess(argv);
            // The first signal lands at a different moment of each run (start-up, the
            // runner, or a run already ending on its own with an empty queue).
            std::this_thread::sleep_for(std::chrono::milliseconds(round * 15));
            CHECK(endsUnderSignals(pid, signal, std::chrono::seconds(10)));
        }
    }
}

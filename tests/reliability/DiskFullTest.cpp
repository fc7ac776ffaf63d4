// RELIABILITY.md D4 and D5 with an LD_PRELOAD shim (shim/EnospcShim.c) that makes writes
// fail with ENOSPC: while an asset is saved (blobs/) and while the catalog commits (its
// -wal). The paid result is kept and only its save is retried, no paid request follows
// the first full-disk error, the user is told "disk full", and the catalog stays readable.
#include "catalog/Library.h"
#include "common/ResourceLocator.h"
#include "jobs/JobStore.h"
#include "providers/ProviderRegistry.h"
#include "support/OpenAiJobs.h"
#include "support/Process.h"
#include "support/QueueInvariants.h"
#include "support/TempDir.h"
#include "support/TestImages.h"
#include "support/fakes/OpenAiFakeServer.h"
#include "support/fakes/UniqueImageReplies.h"

#include <catch2/catch.hpp>
#include <cstdlib>
#include <fstream>
#include <signal.h>
#include <thread>

using namespace ripen;
using namespace ripen::test;

namespace {

constexpr int kJobs = 12;

// The environment of a ripen-cli whose disk fills up on paths containing `pattern`.
class FullDisk {
public:
    FullDisk(const std::filesystem::path& log, const std::string& pattern, long long afterBytes) {
        const char* shim = std::getenv("RIPEN_ENOSPC_SHIM");
        REQUIRE(shim != nullptr);
        ::setenv("LD_PRELOAD", shim, 1);
        ::setenv("RIPEN_ENOSPC_PATH", pattern.c_str(), 1);
        ::setenv("RIPEN_ENOSPC_AFTER_BYTES", std::to_string(afterBytes).c_str(), 1);
        ::setenv("RIPEN_ENOSPC_LOG", log.c_str(), 1);
    }
    ~FullDisk() {
        for (const char* name :
             {"LD_PRELOAD", "RIPEN_ENOSPC_PATH", "RIPEN_ENOSPC_AFTER_BYTES", "RIPEN_ENOSPC_LOG"}) {
            ::unsetenv(name);
        }
    }
};

// When the shim first refused a write, on the steady clock the fake server stamps with.
std::optional<std::chrono::steady_clock::time_point>
firstRefusal(const std::filesystem::path& log) {
    std::ifstream in(log);
    long long ns = 0;
    if (!(in >> ns)) {
        return std::nullopt;
    }
    return std::chrono::steady_clock::time_point(std::chrono::nanoseconds(ns));
}

bool waitForText(const std::filesystem::path& file, const std::string& text,
                 std::chrono::milliseconds timeout) {
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    while (std::chrono::steady_clock::now() < deadline) {
        if (readBytes(file).find(text) != std::string::npos) {
            return true;
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    return false;
}

struct Scenario {
    TempDir dir;
    FakeHttpServer server;
    UniqueImageReplies replies{server, std::chrono::milliseconds(20)};
    std::filesystem::path root = dir / "library";
    std::vector<std::string> argv{ripenCli(), "--library", root.string(), "queue", "run"};
    Scenario() {
        ::setenv("RIPEN_OPENAI_BASE_URL", server.baseUrl().c_str(), 1);
        ::setenv("OPENAI_API_KEY", OpenAiFakeServer::kApiKey, 1);
        enqueueOpenAiJobs(root, numberedPrompts("disk full item", kJobs));
    }
    // Requests the server received after `after`, as milliseconds past it. Transfers the
    // runner had started before the disk filled may still arrive (on a loaded machine well
    // over 100 ms late); no new job may start, so there are at most the other slots' worth.
    std::vector<long long> requestsAfter(std::chrono::steady_clock::time_point after) const {
        std::vector<long long> late;
        for (const auto& request : server.requestsTo("/v1/images/generations")) {
            if (request.receivedAt > after) {
                late.push_back(std::chrono::duration_cast<std::chrono::milliseconds>(
                                   request.receivedAt - after)
                                   .count());
            }
        }
        return late;
    }
    // At most the transfers already in flight on the other slots of the endpoint.
    void checkNoNewRequestAfter(std::chrono::steady_clock::time_point filled) const {
        const auto late = requestsAfter(filled);
        INFO("requests after the disk filled (ms late): " << Catch::Detail::stringify(late));
        CHECK(late.size() <= static_cast<std::size_t>(ProviderLimits{}.concurrencyPerEndpoint - 1));
    }
    // Space is freed: a plain run saves what was kept and finishes the batch.
    void finishWithSpace() {
        const auto finish = runProcess(argv);
        CHECK(finish.exitCode == 0);
        const auto census = checkQueueInvariants(root, replies.executionsByPrompt(), kJobs);
        CHECK(census.succeeded == kJobs);
        CHECK(replies.total() == kJobs); // nothing was generated twice
    }
};

} // namespace

TEST_CASE("a disk that fills up while assets are saved keeps the paid results and pauses "
          "paid submissions",
          "[reliability][diskfull]") {
    Scenario s;
    const auto log = s.dir / "enospc.log";
    const auto output = s.dir / "queue-run.txt";
    int pid = 0;
    {
        FullDisk full(log, "/blobs/", 0);
        pid = startProcessLogged(s.argv, output.string());
    }
    REQUIRE(waitForText(output, "disk full", std::chrono::seconds(20)));
    std::this_thread::sleep_for(std::chrono::milliseconds(1500)); // would it send more?
    ::kill(pid, SIGTERM);
    waitProcess(pid);
    const auto filled = firstRefusal(log);
    REQUIRE(filled);
    s.checkNoNewRequestAfter(*filled);
    const auto census = checkQueueInvariants(s.root, s.replies.executionsByPrompt(), kJobs);
    CHECK(census.succeeded == 0);
    CHECK(census.storing >= 1); // paid for, kept, waiting for space
    CHECK(census.storing == s.replies.total());
    // The catalog stays readable with the disk still full.
    {
        FullDisk full(log, "/blobs/", 0);
        const auto listed = runProcess({ripenCli(), "--library", s.root.string(), "queue"});
        CHECK(listed.exitCode == 0);
        CHECK(listed.out.find("storing") != std::string::npos);
    }
    s.finishWithSpace();
}

TEST_CASE("a disk that fills up while the catalog commits loses no charge and sends no "
          "request it cannot record",
          "[reliability][diskfull]") {
    Scenario s;
    const auto log = s.dir / "enospc.log";
    for (const long long budget : {0LL, 150'000LL, 400'000LL}) {
        INFO("catalog writes fail after " << budget << " bytes");
        std::filesystem::remove(log);
        const auto output = s.dir / ("queue-run-" + std::to_string(budget) + ".txt");
        int pid = 0;
        {
            FullDisk full(log, "catalog.sqlite", budget);
            pid = startProcessLogged(s.argv, output.string());
        }
        // It stops with "disk full", or waits (paused) to retry the save: either way the
        // user is told and no new request goes out.
        const bool toldUser = waitForText(output, "disk full", std::chrono::seconds(20));
        ::kill(pid, SIGTERM);
        waitProcess(pid);
        INFO(readBytes(output));
        CHECK(toldUser);
        const auto filled = firstRefusal(log);
        REQUIRE(filled);
        s.checkNoNewRequestAfter(*filled);
        checkQueueInvariants(s.root, s.replies.executionsByPrompt(), kJobs);
    }
    // Jobs that were on the wire when the commit failed are "interrupted"; the rest finish.
    runProcess(s.argv);
    const auto census = checkQueueInvariants(s.root, s.replies.executionsByPrompt(), kJobs);
    CHECK(census.succeeded + census.interrupted == kJobs);
    CHECK(s.replies.total() <= kJobs);
}

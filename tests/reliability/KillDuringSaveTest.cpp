// RELIABILITY.md D5: a crash at each step of a save. An LD_PRELOAD shim (shim/KillShim.c)
// SIGKILLs a `ripen-cli queue run` at the n-th write, fsync or rename of a provider result
// (jobs/), an asset (blobs/) or the catalog, or right after such a rename. After every kill
// the library must hold no half-written asset, pass integrity_check and keep every job in
// one consistent state; a final run finishes the batch without generating anything twice.
#include "common/Sha256.h"
#include "support/OpenAiJobs.h"
#include "support/Process.h"
#include "support/QueueInvariants.h"
#include "support/TempDir.h"
#include "support/TestImages.h"
#include "support/fakes/OpenAiFakeServer.h"
#include "support/fakes/UniqueImageReplies.h"

#include <catch2/catch.hpp>
#include <cstdlib>
#include <signal.h>

using namespace ripen;
using namespace ripen::test;

namespace {

constexpr int kJobs = 40;

struct KillPoint {
    const char* op;   // KillShim's RIPEN_KILL_OP
    const char* path; // a part of the file's path
    int nth;
};

// From a half-written file to a renamed one whose catalog row is not committed yet.
constexpr KillPoint kKillPoints[] = {
    {"write", "/jobs/", 1},          {"fsync", "/jobs/", 1},         {"rename", "/jobs/", 1},
    {"rename-after", "/jobs/", 2},   {"write", "/blobs/", 1},        {"fsync", "/blobs/", 1},
    {"rename", "/blobs/", 1},        {"rename-after", "/blobs/", 2}, {"write", "catalog.sqlite", 3},
    {"write", "catalog.sqlite", 40}, {"fsync", "catalog.sqlite", 2}, {"fsync", "catalog.sqlite", 9},
};

// With KillShim preloaded, for one run of ripen-cli.
class Killer {
public:
    Killer(const KillPoint& point, const std::filesystem::path& log) {
        const char* shim = std::getenv("RIPEN_KILL_SHIM");
        REQUIRE(shim != nullptr);
        ::setenv("LD_PRELOAD", shim, 1);
        ::setenv("RIPEN_KILL_OP", point.op, 1);
        ::setenv("RIPEN_KILL_PATH", point.path, 1);
        ::setenv("RIPEN_KILL_AT", std::to_string(point.nth).c_str(), 1);
        ::setenv("RIPEN_KILL_LOG", log.c_str(), 1);
    }
    ~Killer() {
        for (const char* name : {"LD_PRELOAD", "RIPEN_KILL_OP", "RIPEN_KILL_PATH", "RIPEN_KILL_AT",
                                 "RIPEN_KILL_LOG"}) {
            ::unsetenv(name);
        }
    }
};

// Every stored asset is complete: a file under blobs/ (temp files in blobs/.incoming
// aside) is named after the SHA-256 of its bytes. Returns the temp files left behind.
int checkBlobsComplete(const std::filesystem::path& root) {
    int temps = 0;
    const auto blobs = root / "blobs";
    for (const auto& entry : std::filesystem::recursive_directory_iterator(blobs)) {
        if (!entry.is_regular_file()) {
            continue;
        }
        if (entry.path().parent_path().filename() == ".incoming") {
            ++temps;
            continue;
        }
        INFO("asset file " << entry.path());
        CHECK(Sha256::ofBytes(readBytes(entry.path())) == entry.path().stem().string());
    }
    return temps;
}

} // namespace

TEST_CASE("a kill between write, fsync and rename of a result, an asset or the catalog "
          "leaves no half-written asset and a consistent queue",
          "[reliability][crash][d5]") {
    TempDir dir;
    FakeHttpServer server;
    UniqueImageReplies replies{server, std::chrono::milliseconds(10)};
    const auto root = dir / "library";
    ::setenv("RIPEN_OPENAI_BASE_URL", server.baseUrl().c_str(), 1);
    ::setenv("OPENAI_API_KEY", OpenAiFakeServer::kApiKey, 1);
    enqueueOpenAiJobs(root, numberedPrompts("kill during save", kJobs));
    const std::vector<std::string> argv{ripenCli(), "--library", root.string(), "queue", "run"};
    int kills = 0;
    int temps = 0;
    int recoveredResults = 0; // paid results a restart found on disk
    for (const KillPoint& point : kKillPoints) {
        INFO("SIGKILL at " << point.op << " #" << point.nth << " on " << point.path);
        const auto log = dir / "kill.log";
        std::filesystem::remove(log);
        int status = 0;
        {
            Killer killer(point, log);
            status = waitProcess(startProcessLogged(argv, (dir / "queue-run.txt").string()));
        }
        // Each point is reached while jobs remain: the shim, not an exit, ended the run.
        CHECK(status == -SIGKILL);
        CHECK(readBytes(log).starts_with(point.op));
        kills += status == -SIGKILL ? 1 : 0;
        const QueueCensus restart = checkQueueInvariants(root, replies.executionsByPrompt(), kJobs);
        recoveredResults += restart.resultsRecovered;
        temps = checkBlobsComplete(root);
    }
    // A plain run finishes the batch: what was paid for is stored, nothing runs twice.
    const auto finish = runProcess(argv);
    CHECK(finish.exitCode == 0);
    const QueueCensus census = checkQueueInvariants(root, replies.executionsByPrompt(), kJobs);
    CHECK(census.succeeded + census.interrupted == kJobs);
    CHECK(census.storing == 0);
    checkBlobsComplete(root);
    WARN("D5: " << kills << " kills at " << std::size(kKillPoints) << " points; "
                << census.succeeded << " succeeded, " << census.interrupted
                << " interrupted (charge unknown; " << census.interruptedUnexecuted
                << " of them never executed), " << replies.total() << " server executions, "
                << recoveredResults << " paid results found on disk at a restart, " << temps
                << " temp files left in blobs/.incoming");
    ::unsetenv("RIPEN_OPENAI_BASE_URL");
    ::unsetenv("OPENAI_API_KEY");
}

TEST_CASE("a kill right after a paid result reaches the job's folder still gives the user "
          "the image, charged once",
          "[reliability][crash][d5]") {
    // rename #1 on jobs/ is the image (complete under its name); #2 is its manifest.
    const int nth = GENERATE(1, 2);
    INFO("SIGKILL right after rename #" << nth << " on /jobs/");
    TempDir dir;
    FakeHttpServer server;
    UniqueImageReplies replies{server};
    const auto root = dir / "library";
    ::setenv("RIPEN_OPENAI_BASE_URL", server.baseUrl().c_str(), 1);
    ::setenv("OPENAI_API_KEY", OpenAiFakeServer::kApiKey, 1);
    enqueueOpenAiJobs(root, numberedPrompts("paid then killed", 1));
    const std::vector<std::string> argv{ripenCli(), "--library", root.string(), "queue", "run"};
    const auto log = dir / "kill.log";
    int status = 0;
    {
        Killer killer(KillPoint{"rename-after", "/jobs/", nth}, log);
        status = waitProcess(startProcessLogged(argv, (dir / "queue-run.txt").string()));
    }
    REQUIRE(status == -SIGKILL);
    INFO("killed after " << readBytes(log));
    CHECK(replies.total() == 1);
    // The restart finds the result: the job is saved, not interrupted.
    const QueueCensus restart = checkQueueInvariants(root, replies.executionsByPrompt(), 1);
    CHECK(restart.storing == 1);
    CHECK(restart.interrupted == 0);
    CHECK(runProcess(argv).exitCode == 0);
    const QueueCensus census = checkQueueInvariants(root, replies.executionsByPrompt(), 1);
    CHECK(census.succeeded == 1);
    CHECK(replies.total() == 1);
    ::unsetenv("RIPEN_OPENAI_BASE_URL");
    ::unsetenv("OPENAI_API_KEY");
}

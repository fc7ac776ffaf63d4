// RELIABILITY.md D1/D2 in small: a ripen-cli working a 200-job batch is SIGKILLed at
// random moments; after each restart nothing is lost and nothing is paid for twice.
#include "catalog/Library.h"
#include "common/ResourceLocator.h"
#include "jobs/JobStore.h"
#include "support/FakeHttpServer.h"
#include "support/Process.h"
#include "support/QueueInvariants.h"
#include "support/TempDir.h"
#include "support/TestImages.h"
#include "support/fakes/OpenAiFakeServer.h"
#include "support/fakes/UniqueImageReplies.h"

#include <catch2/catch.hpp>

#include <signal.h>

#include <cstdlib>
#include <random>
#include <thread>

using namespace ripen;
using namespace ripen::test;

namespace {

constexpr int kJobs = 200;

std::string promptOf(int i) { return "batch item " + std::to_string(i); }

void enqueueBatch(Library& library) {
    auto prices = PriceBook::load(resourceFile("pricebook.json"));
    REQUIRE(prices);
    JobStore store(library);
    for (int i = 0; i < kJobs; ++i) {
        GenerationRequest r;
        r.provider = "openai";
        r.model = "gpt-image-1";
        r.prompt = promptOf(i);
        auto estimate = prices->estimate(r);
        REQUIRE(estimate);
        REQUIRE(store.enqueue(r, {}, *estimate));
    }
}

// What a restart sees, checked against what the server executed (= charged).
void checkInvariants(const std::filesystem::path& root, const UniqueImageReplies& replies) {
    checkQueueInvariants(root, replies.executionsByPrompt(), kJobs);
}

} // namespace

TEST_CASE("a queue run killed at random moments loses no job and pays for none twice",
          "[cli][crash][jobs]") {
    TempDir dir;
    FakeHttpServer server;
    UniqueImageReplies replies(server, std::chrono::milliseconds(15));
    ::setenv("RIPEN_OPENAI_BASE_URL", server.baseUrl().c_str(), 1);
    ::setenv("OPENAI_API_KEY", OpenAiFakeServer::kApiKey, 1);
    const auto root = dir / "library";
    {
        auto library = Library::open(root);
        REQUIRE(library);
        enqueueBatch(**library);
    }
    const std::vector<std::string> argv{ripenCli(), "--library", root.string(), "queue", "run"};
    std::mt19937 rng(4242);
    std::uniform_int_distribution<int> delayMs(150, 900);
    const int rounds = std::getenv("RIPEN_LONG_TESTS") != nullptr ? 200 : 12;
    for (int round = 0; round < rounds; ++round) {
        const int pid = startProcess(argv);
        std::this_thread::sleep_for(std::chrono::milliseconds(delayMs(rng)));
        ::kill(pid, SIGKILL);
        waitProcess(pid);
        checkInvariants(root, replies);
    }
    // An undisturbed run finishes everything that is not waiting for the user.
    const auto finish = runProcess(argv);
    CHECK((finish.exitCode == 0 || finish.exitCode == 3));
    checkInvariants(root, replies);
    auto library = Library::open(root);
    REQUIRE(library);
    auto jobs = JobStore(**library).jobs();
    REQUIRE(jobs);
    int done = 0;
    int waiting = 0;
    int waitingButCharged = 0;
    const auto executed = replies.executionsByPrompt();
    for (const Job& job : *jobs) {
        done += job.state == JobState::Succeeded;
        waiting += job.state == JobState::Interrupted;
        waitingButCharged += job.state == JobState::Interrupted &&
                             executed.contains(job.request.prompt);
    }
    INFO("succeeded " << done << ", interrupted (charge unknown) " << waiting);
    CHECK(done + waiting == kJobs);
    // The server's charges are the succeeded jobs plus those the user was told about.
    CHECK(replies.total() == done + waitingButCharged);
    CHECK(done > kJobs / 2);
}

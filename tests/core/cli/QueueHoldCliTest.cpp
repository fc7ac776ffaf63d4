// A provider's rate-limit hold in ripen-cli: it survives a `queue run` killed during a 429
// storm, `queue` and `queue --json` show it, and the next `queue run` waits it out.
#include "catalog/Library.h"
#include "common/Clock.h"
#include "common/ResourceLocator.h"
#include "jobs/JobStore.h"
#include "jobs/ProviderHolds.h"
#include "support/FakeHttpServer.h"
#include "support/OpenAiJobs.h"
#include "support/Process.h"
#include "support/TempDir.h"
#include "support/fakes/OpenAiFakeServer.h"

#include <algorithm>
#include <atomic>
#include <catch2/catch.hpp>
#include <cstdlib>
#include <nlohmann/json.hpp>
#include <signal.h>
#include <sstream>
#include <thread>

using namespace ripen;
using namespace ripen::test;
using std::chrono::milliseconds;

namespace {

constexpr int kJobs = 6; // more than the first run's slots (4): some are never sent before the kill
// Long enough for a loaded machine to list the queue while it runs.
constexpr milliseconds kRetryAfter{8000};

struct HoldCliFixture {
    TempDir dir;
    FakeHttpServer server;

    HoldCliFixture() {
        ::setenv("RIPEN_OPENAI_BASE_URL", server.baseUrl().c_str(), 1);
        ::setenv("OPENAI_API_KEY", OpenAiFakeServer::kApiKey, 1);
        enqueueOpenAiJobs(root(), numberedPrompts("held job", kJobs));
    }

    std::filesystem::path root() const { return dir / "lib"; }

    std::vector<std::string> argv(std::vector<std::string> args) const {
        std::vector<std::string> all{ripenCli(), "--library", root().string()};
        all.insert(all.end(), args.begin(), args.end());
        return all;
    }

    // Every job back in the queue (none on the wire) and the provider's hold on record.
    bool refusalsRecorded() const {
        auto library = Library::open(root());
        REQUIRE(library);
        auto jobs = JobStore(**library).jobs();
        REQUIRE(jobs);
        return std::ranges::all_of(*jobs,
                                   [](const Job& job) { return job.state == JobState::Queued; }) &&
               !holds().empty();
    }

    std::vector<ProviderHold> holds() const {
        auto library = Library::open(root());
        REQUIRE(library);
        auto active = ProviderHolds(**library).active(unixMillis(), std::chrono::hours(1));
        REQUIRE(active);
        return *active;
    }
};

} // namespace

TEST_CASE("a queue run killed during a 429 storm leaves the hold, queue shows it and the "
          "next run waits it out",
          "[cli][jobs][hold]") {
    HoldCliFixture f;
    // Every request is refused until the storm is over (the first run's slots may send
    // several at once); then every one is executed.
    std::atomic<bool> storm{true};
    f.server.on("POST", "/v1/images/generations", [&storm](const RecordedRequest&) {
        return storm ? FakeReply::rateLimited(std::to_string(kRetryAfter.count() / 1000),
                                              {{"error", {{"message", "Rate limit reached"}}}})
                     : FakeReply::json(200, OpenAiFakeServer::imagesReply(1, 32, 24));
    });
    const int pid = startProcess(f.argv({"queue", "run"}));
    // Killed once the refusals are on record: the hold is all a restart has to go on for
    // the jobs never sent.
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
    while (!f.refusalsRecorded() && std::chrono::steady_clock::now() < deadline) {
        std::this_thread::sleep_for(milliseconds(50));
    }
    ::kill(pid, SIGKILL);
    waitProcess(pid);
    storm = false;
    const auto refused = f.server.requestsTo("/v1/images/generations");
    REQUIRE_FALSE(refused.empty());
    const auto refusedAt = refused.front().receivedAt;

    const auto listing = runProcess(f.argv({"queue"}));
    REQUIRE(listing.exitCode == 0);
    const auto rows = outputLines(listing.out);
    REQUIRE(rows.size() == 1 + kJobs);
    CHECK_THAT(rows[0],
               Catch::Matches("openai: rate limited, held until [0-9]{2}:[0-9]{2}:[0-9]{2} "
                              "UTC \\(Retry-After, [0-9]+ s left\\): HTTP 429: Rate "
                              "limit reached"));
    const auto json = runProcess(f.argv({"queue", "--json"}));
    REQUIRE(json.exitCode == 0);
    const auto objects = outputLines(json.out);
    REQUIRE(objects.size() == kJobs);
    for (const auto& line : objects) {
        const auto job = nlohmann::json::parse(line);
        CHECK(job["state"] == "queued");
        REQUIRE(job.contains("provider_hold"));
        CHECK(job["provider_hold"]["until_ms"].get<std::int64_t>() > unixMillis());
        CHECK_THAT(job["provider_hold"]["reason"].get<std::string>(), Catch::Contains("429"));
    }

    const auto run = runProcess(f.argv({"queue", "run"}), std::chrono::seconds(120));
    CHECK(run.exitCode == 0);
    const auto requests = f.server.requestsTo("/v1/images/generations");
    CHECK(requests.size() == refused.size() + kJobs); // each job executed once
    for (std::size_t i = refused.size(); i < requests.size(); ++i) {
        CHECK(requests[i].receivedAt - refusedAt >= kRetryAfter);
    }
    // Done, and nothing held any more.
    CHECK(outputLines(runProcess(f.argv({"queue"})).out).size() == kJobs);
    CHECK(f.holds().empty());
}

TEST_CASE("queue lists only the holds still running", "[cli][jobs][hold]") {
    HoldCliFixture f;
    {
        auto library = Library::open(f.root());
        REQUIRE(library);
        ProviderHolds holds(**library);
        const std::int64_t now = unixMillis();
        REQUIRE(holds.refused({"stability", now - 1000, true, "HTTP 429: old", now - 5000},
                              std::chrono::hours(1)));
        REQUIRE(holds.refused({"openai", now + 600'000, true, "HTTP 429: slow down", now},
                              std::chrono::hours(1)));
    }
    const auto listing = runProcess(f.argv({"queue"}));
    REQUIRE(listing.exitCode == 0);
    const auto rows = outputLines(listing.out);
    REQUIRE(rows.size() == 1 + kJobs);
    CHECK_THAT(rows[0], Catch::StartsWith("openai: rate limited, held until ") &&
                            Catch::EndsWith("HTTP 429: slow down"));
    CHECK_THAT(listing.out, !Catch::Contains("stability"));
}

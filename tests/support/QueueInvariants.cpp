#include "support/QueueInvariants.h"

#include "catalog/Library.h"
#include "common/Sha256.h"
#include "credits/Ledger.h"
#include "jobs/JobStore.h"
#include "support/TestImages.h"

#include <catch2/catch.hpp>

namespace ripen::test {
namespace {

int executionsOf(const std::map<std::string, int>& executions, const std::string& prompt) {
    const auto found = executions.find(prompt);
    return found == executions.end() ? 0 : found->second;
}

void checkSucceeded(Library& library, const Job& job, int executed) {
    CHECK(executed == 1); // no asset the server did not make (and charge for)
    REQUIRE(job.assets.size() == 1);
    auto asset = library.catalog().asset(job.assets[0]);
    REQUIRE(asset);
    const std::string bytes = readBytes(library.blobFile(*asset));
    CHECK(static_cast<std::int64_t>(bytes.size()) == asset->byteSize);
    CHECK(Sha256::ofBytes(bytes) == asset->sha256);
}

void checkStoring(const Job& job) {
    // The paid result is kept until it is saved: the save is retried, never the generation.
    const auto files = job.result.value("files", nlohmann::json::array());
    CHECK(!files.empty());
    for (const auto& file : files) {
        INFO("job " << job.id << " result " << file.dump());
        CHECK(std::filesystem::is_regular_file(file.value("path", "")));
    }
}

} // namespace

QueueCensus checkQueueInvariants(const std::filesystem::path& root,
                                 const std::map<std::string, int>& executions, int expectedJobs) {
    auto library = Library::open(root);
    REQUIRE(library);
    REQUIRE((*library)->catalog().verifyIntegrity());
    auto& db = (*library)->catalog().database();
    const auto known = db.queryInt64(
        "SELECT count(*) FROM jobs WHERE state IN ('queued', 'submitting', 'running', "
        "'storing', 'succeeded', 'failed', 'canceled', 'interrupted')");
    REQUIRE(known);
    CHECK(*known == expectedJobs);
    const auto storingBefore =
        db.queryInt64("SELECT count(*) FROM jobs WHERE state = 'storing'");
    REQUIRE(storingBefore);
    JobStore store(**library);
    REQUIRE(store.recoverAfterCrash({}));
    auto jobs = store.jobs();
    REQUIRE(jobs);
    REQUIRE(static_cast<int>(jobs->size()) == expectedJobs);
    QueueCensus census;
    Micros succeededCost = 0;
    for (const Job& job : *jobs) {
        INFO("job " << job.id << " " << toString(job.state) << ": " << job.error);
        const int executed = executionsOf(executions, job.request.prompt);
        CHECK(executed <= 1);
        switch (job.state) {
        case JobState::Succeeded:
            ++census.succeeded;
            succeededCost += job.cost.value_or(0);
            checkSucceeded(**library, job, executed);
            continue;
        case JobState::Storing:
            ++census.storing;
            checkStoring(job);
            break;
        case JobState::Interrupted:
            ++census.interrupted;
            census.interruptedUnexecuted += executed == 0 ? 1 : 0;
            break;
        case JobState::Queued:
        case JobState::Running:
        case JobState::Submitting:
            ++census.unfinished;
            CHECK(executed == 0); // charged by the server but about to be sent again
            break;
        default:
            ++census.other;
            break;
        }
        CHECK(job.cost.value_or(0) == 0); // only a succeeded job is settled with a charge
    }
    census.resultsRecovered = census.storing - static_cast<int>(*storingBefore);
    const auto charges = db.queryInt64("SELECT count(*) FROM ledger WHERE kind = 'charge'");
    REQUIRE(charges);
    CHECK(*charges == census.succeeded);
    CHECK(*Ledger(db).totalChargedUsd() == succeededCost);
    return census;
}

} // namespace ripen::test

#pragma once

#include "catalog/Library.h"
#include "common/Error.h"
#include "credits/Ledger.h"
#include "credits/PriceBook.h"
#include "jobs/Job.h"
#include "jobs/ProviderHolds.h"

#include <chrono>
#include <cstdint>
#include <functional>
#include <optional>
#include <set>
#include <string>
#include <vector>

namespace ripen {

struct EnqueueOptions {
    int count = 1;
    std::string project;
    std::string client;
    Stage stage = Stage::Concept;
    int priority = 0;
    std::string recipeRun; // the recipe run the jobs belong to (recipe_runs.id), if any
};

// One job of a batch whose jobs differ (a recipe's prompts, sizes and seeds).
struct BatchItem {
    GenerationRequest request;
    Estimate estimate;
    Stage stage = Stage::Concept;
};

// What the runner should do with a claimed job.
enum class JobStep { Submit, Poll, Store };

struct ClaimedJob {
    Job job;
    JobStep step = JobStep::Submit;
};

// The persistent queue: every job state change, and the money event that goes with it, is
// one transaction on the library's catalog. Operates on the connection of the Library it
// is given, so it has that Library's thread affinity.
class JobStore {
public:
    explicit JobStore(Library& library);

    // Estimates, checks the project and client budgets and reserves, all inside one
    // BEGIN IMMEDIATE transaction, so that concurrent submitters can never overspend a cap.
    Result<std::vector<JobId>> enqueue(const GenerationRequest& request,
                                       const EnqueueOptions& options, const Estimate& estimate);
    // As enqueue for jobs that differ, all or none: the budgets are checked against the sum
    // of the estimates. `alsoInTransaction` (may be empty) runs after the inserts, inside the
    // same transaction, to record what the jobs belong to; its error rolls everything back.
    // options.count and options.stage are ignored (each item has its own stage).
    Result<std::vector<JobId>>
    enqueueBatch(const std::vector<BatchItem>& items, const EnqueueOptions& options,
                 const std::function<Status(const std::vector<JobId>&)>& alsoInTransaction);

    // The next job a runner should work on for one of `providers`: results to store first,
    // then due polls, then submissions by priority. The job is marked before it is
    // returned ("submitting" with attempts+1, or a lease on its next poll time). With
    // `submissions` false only stores and polls are claimed (the queue is paused).
    // Resubmissions to `retriesHeld` (providers whose retry budget is spent for now) are
    // passed over; their first submissions are not. A resubmission is a queued job with an
    // attempt or an error on record (a 429 gives its attempt back but records why). No submission
    // at all, first or retry, is claimed for `submissionsHeld` (providers that said Retry-After).
    Result<std::optional<ClaimedJob>> claimNext(const std::set<std::string>& providers,
                                                std::int64_t nowMs, bool submissions = true,
                                                const std::set<std::string>& retriesHeld = {},
                                                const std::set<std::string>& submissionsHeld = {});
    // A claimed submission could not leave after all (no free slot): it is queued again
    // from `notBeforeMs` and the attempt it was counted is given back.
    Status unclaim(JobId id, std::int64_t notBeforeMs);
    // When the earliest waiting job becomes due, for the runner's sleep.
    Result<std::optional<std::int64_t>> nextDueMs(const std::set<std::string>& providers,
                                                  bool submissions = true);

    Status recordEndpoint(JobId id, const std::string& endpoint);
    // The submission's request is about to leave (its first byte is not out yet): from now
    // on a restart cannot know whether the provider got it. Until then a restart queues the
    // job again. Only a job still "submitting" is marked (NotFound otherwise); the request
    // must not leave unless this succeeded.
    Status markSent(JobId id);
    Status recordRunning(JobId id, const std::string& operationId, std::int64_t nextPollMs,
                         std::optional<double> progress);
    Status recordStoring(JobId id, const nlohmann::json& result);
    // How far a job being worked on has come (0..1) and what it is doing ("upscaling tile
    // by tile"), kept in its result as "progress" and "stage" for `ripen-cli queue` and the
    // queue dock. Only a submitting or running job is touched. Callers throttle it.
    Status recordProgress(JobId id, double fraction, const std::string& stage);
    // A pass of a chained upscale (UpscaleChain) is done: in one transaction its share of
    // the reservation is released and its `charge` booked, the chain state `result` kept,
    // and the job queued again at once for the next pass with fresh attempts. Only a job
    // still submitting or running advances (NotFound otherwise).
    Status advanceChain(JobId id, const nlohmann::json& result, const Estimate& share,
                        const Estimate& charge);
    Status retryLater(JobId id, std::int64_t notBeforeMs, const std::string& reason,
                      bool countAsPoll);
    // The provider refused a submission with 429: nothing was executed, and a rate limit is
    // not the job's fault, so it is queued again from `notBeforeMs` with its attempt given
    // back (429s never use up maxAttempts). In the same transaction the provider's `hold`
    // is recorded (ProviderHolds::refused, bounded by `ceiling`), so that a runner started
    // after this one stops waits it out too.
    Status rateLimited(JobId id, std::int64_t notBeforeMs, const std::string& reason,
                       const ProviderHold& hold, std::chrono::milliseconds ceiling);
    // Assets (prepared by AssetIngest) become rows, the job succeeds and settles, at once.
    Result<std::vector<AssetId>> complete(JobId id, const std::vector<Asset>& assets,
                                          const Estimate& charge);
    Status failJob(JobId id, const std::string& reason, std::optional<Estimate> charge);
    Status interrupt(JobId id, const std::string& reason);
    // A runner stopped the job on the user's request; `note` says whether it may be charged.
    Status finishCancel(JobId id, const std::string& note);

    // User actions.
    Status cancel(JobId id);
    Status retry(JobId id);
    Status setPriority(JobId id, int priority);

    // After a crash, for each job left "submitting":
    // - its request left (markSent) and its complete result is in its work folder
    //   (ResultManifest::recover): "storing", so the result paid for is saved, once;
    // - its provider dedupes resubmissions: queued again with the same key;
    // - its request never left: queued again, the attempt given back;
    // - otherwise "interrupted" (charge unknown): the user decides.
    // Returns how many were interrupted.
    Result<int> recoverAfterCrash(const std::set<std::string>& dedupingProviders);

    Result<Job> job(JobId id);
    Result<std::vector<Job>> jobs(std::optional<JobState> state = std::nullopt, int limit = -1);
    Result<bool> cancelRequested(JobId id);

private:
    Status transition(JobId id, JobState to, const std::string& error, std::optional<Micros> cost);
    // Settles and moves a job to a final state in one transaction, once.
    Status finish(JobId id, JobState to, const std::string& reason, std::optional<Estimate> charge);
    Status settle(const Job& job, std::optional<Estimate> charge, const std::string& note);
    // The "submitting" jobs whose result is in their work folder become "storing".
    Status recoverResults();
    Status checkBudgets(std::optional<std::int64_t> projectId, std::optional<std::int64_t> clientId,
                        Micros neededUsd, int count);

    Library& m_library;
    sqlite::Database& m_db;
    Ledger m_ledger;
};

} // namespace ripen

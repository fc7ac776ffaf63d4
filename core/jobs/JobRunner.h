#pragma once

#include "credits/PriceBook.h"
#include "jobs/EndpointPool.h"
#include "jobs/JobEvent.h"
#include "jobs/JobStore.h"
#include "jobs/RateLimitHold.h"
#include "jobs/RetryPacer.h"
#include "jobs/RetryPolicy.h"
#include "jobs/UpscaleChain.h"
#include "providers/ProviderRegistry.h"

#include <atomic>
#include <filesystem>
#include <functional>
#include <map>
#include <mutex>
#include <stop_token>
#include <vector>

namespace ripen {

struct RunSummary {
    int succeeded = 0;
    int failed = 0;
    int interrupted = 0;
    int canceled = 0;
};

// Works the persistent queue: claims jobs, calls providers on worker threads within each
// provider's limits, retries with backoff, resumes long-running operations, stores results
// as assets and settles the ledger. Every step is persisted before its effect, so a runner
// killed at any moment loses nothing and never resends a paid request on its own.
class JobRunner {
public:
    struct Settings {
        RetryPolicy::Settings retry;
        RetryPacer::Settings retryPacing;
        std::chrono::milliseconds endpointCooldown{30'000};
        std::chrono::milliseconds idleTick{200}; // how often cancel requests are checked
        // How often a job's progress may reach the catalog and the subscribers at most.
        std::chrono::milliseconds progressInterval{250};
        // How long a result that arrived is kept trying to reach a catalog another writer
        // holds; after that it waits in the job folder for the next start.
        std::chrono::milliseconds storeBusyPatience{300'000};
    };
    using Listener = std::function<void(const JobEvent&)>;

    JobRunner(std::filesystem::path libraryRoot, const ProviderRegistry& registry,
              const Credentials& credentials, const PriceBook& priceBook,
              const http::HttpClient& http, Settings settings);
    JobRunner(std::filesystem::path libraryRoot, const ProviderRegistry& registry,
              const Credentials& credentials, const PriceBook& priceBook,
              const http::HttpClient& http)
        : JobRunner(std::move(libraryRoot), registry, credentials, priceBook, http, Settings{}) {}

    // Called from worker threads; must be cheap and thread-safe.
    void subscribe(Listener listener);

    // Paused, the runner sends no new requests; results already paid for are still stored
    // and running remote jobs still polled. Any thread. A full disk pauses it by itself:
    // a result that cannot be saved must not be followed by more paid work.
    void pause() { m_paused = true; }
    void resume() { m_paused = false; }
    bool paused() const { return m_paused; }

    // Recovers from a previous crash, then works until nothing runnable is left (jobs that
    // wait for a backoff or a poll count as runnable) or `stop` is requested.
    Result<RunSummary> runUntilIdle(std::stop_token stop);

private:
    void work(const ClaimedJob& claimed, const std::string& endpoint, std::stop_token stop,
              const std::function<void()>& providerAnswered);
    // `received`: the provider's outputs when they are still in memory (not after a
    // restart), so that an image decoded to verify it is not decoded again to store it.
    void storeResults(JobStore& store, Library& library, const Job& job,
                      const std::vector<GeneratedFile>& received = {});
    // The result could not be saved (`error`); the job keeps it and the save is retried.
    void waitToSave(JobStore& store, const Job& job, const Error& error);
    // What the user is told about a failed save; a full disk also pauses submissions.
    std::string saveFailed(const Error& error);
    void onResult(JobStore& store, Library& library, const Job& job, Provider& provider,
                  const ProviderOutcome<ProviderResult>& outcome, bool wasPoll,
                  std::stop_token stop);
    // Records that the job's paid result is in (state "storing"). A catalog another writer
    // holds is waited out (up to storeBusyPatience), so a result is not stranded in
    // "submitting" until the next start; other errors (a full disk) and `stop` give up at
    // once: the manifest beside the files lets the next start finish the job.
    Status recordStoringPatiently(JobStore& store, const Job& job, const nlohmann::json& result,
                                  std::stop_token stop);
    // A pass of a chained upscale is done (not its last): book it and queue the next.
    void advanceChain(JobStore& store, const Job& job, const UpscaleChain& chain,
                      const ProviderResult& result);
    void onFailure(JobStore& store, const Job& job, Provider& provider,
                   const ProviderFailure& failure, bool wasPoll);
    // A submission's answer, before its slot is given back: a 429 holds the provider; any
    // other answer ends its recovery, in the catalog too.
    void noteRateLimit(Library& library, const Job& job,
                       const ProviderOutcome<ProviderResult>& outcome);
    // The holds a previous runner left in the catalog (stopped or killed in a 429 storm)
    // become this one's, none for longer than the Retry-After ceiling; those that have
    // passed are forgotten.
    Status restoreRateLimits(Library& library);
    // The provider refused the submission with 429: the job waits, its attempt given back.
    void onRateLimited(JobStore& store, const Job& job, Provider& provider,
                       const ProviderFailure& failure);
    void emit(const JobEvent& event);
    std::set<std::string> usableProviders();
    // How long the loop may sleep; nullopt when nothing runnable is left and no worker runs.
    Result<std::optional<std::int64_t>>
    loopWaitMs(JobStore& store, const std::set<std::string>& providers, bool workersRunning);
    void checkCancelRequests(JobStore& store);

    std::filesystem::path m_root;
    const ProviderRegistry& m_registry;
    const Credentials& m_credentials;
    const PriceBook& m_priceBook;
    const http::HttpClient& m_http;
    Settings m_settings;
    RetryPolicy m_retry;
    EndpointPool m_pool;
    RetryPacer m_retryPacer; // the loop thread's only
    RateLimitHold m_rateLimits;

    std::atomic<bool> m_paused{false};
    std::mutex m_mutex; // guards the members below
    std::vector<Listener> m_listeners;
    std::map<JobId, std::stop_source> m_inFlight;
    std::map<JobId, int> m_refusals; // 429s per job in this run, for its backoff
    static constexpr int kMaxRateLimitRefusals = 50;
    RunSummary m_summary;
};

} // namespace ripen

#pragma once

#include "common/Error.h"
#include "credits/PriceBook.h"
#include "jobs/Job.h"
#include "jobs/JobEvent.h"
#include "jobs/JobStore.h"
#include "jobs/ProviderHolds.h"
#include "providers/ModelCatalog.h"
#include "providers/ProviderRegistry.h"
#include "queue/LayeredCredentials.h"

#include <QList>
#include <QObject>
#include <QThreadPool>
#include <QTimer>
#include <filesystem>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <stop_token>
#include <string>
#include <unordered_map>
#include <vector>

namespace ripen::http {
class HttpClient;
}

namespace ripen::ui {

// The GUI's job queue: core's JobStore and JobRunner on worker threads, with results as
// signals on the GUI thread. Owned by the CoreBridge (bridge.jobs()), so that core events
// still reach the UI through the one bridge.
//   - the store lane (one thread, its own catalog connection) enqueues, lists, cancels,
//     retries, reprioritises and reads the ledger, in order;
//   - the runner lane (one thread) runs JobRunner::runUntilIdle, which calls providers on
//     its own worker threads within each provider's limits. It starts when there is work
//     and stops when none is left; JobEvents come back to the GUI thread in batches, at
//     most one batch per frame (kEventFrameMs), so that 500 jobs reporting progress cost
//     the GUI thread one update of each view per frame, not one per event.
// Each run gets a fresh provider registry (from the factory app/ hands in, with the
// settings' base URLs and limits applied) and the keys current at that moment. A run's
// first step is core's crash recovery, so a paid request that was in flight when Ripen
// stopped shows as interrupted (charge unknown) and is never resent unless the user
// retries it.
//
// Thread affinity: create, call and destroy on the GUI thread. The destructor stops the
// runner (in-flight transfers are aborted and settle as core decides) and waits for it.
class JobLane final : public QObject {
    Q_OBJECT
public:
    using RequestId = quint64;
    using RegistryFactory = std::function<void(ripen::ProviderRegistry&)>;
    using Keys = LayeredCredentials::Keys;

    // What Settings may change about one provider; zero and empty mean "the default".
    struct ProviderOverride {
        std::vector<std::string> baseUrls;
        int concurrency = 0;
        int requestsPerMinute = 0;
    };
    using ProviderOverrides = std::map<std::string, ProviderOverride>;

    // A project's hard cap as the ledger holds it, in USD micro-units.
    struct Budget {
        ripen::Micros limitUsd = 0;
        ripen::Micros spentUsd = 0;
        ripen::Micros reservedUsd = 0;
        ripen::Micros remainingUsd() const { return limitUsd - spentUsd - reservedUsd; }
    };

    // How an asset was made, to make it again: its request (references as blob files),
    // the assets those references are, and the project it was charged to.
    struct Recipe {
        ripen::GenerationRequest request;
        std::vector<ripen::AssetId> references;
        std::string project;
    };

    struct ProviderInfo {
        std::string id;
        std::string displayName;
        std::string missingConfiguration; // empty when it can be called
        std::vector<std::string> endpoints;
        ripen::ProviderLimits limits;        // with the settings applied
        ripen::ProviderLimits defaultLimits; // as app/ registered them
        std::string baseUrlVariable;
    };

    explicit JobLane(std::filesystem::path libraryRoot, QObject* parent = nullptr);
    ~JobLane() override;
    JobLane(const JobLane&) = delete;
    JobLane& operator=(const JobLane&) = delete;

    // Which providers exist (app/ passes the built-in ones). Without a factory the lane
    // lists no providers and runs nothing.
    void setRegistryFactory(RegistryFactory factory);
    void setProviderOverrides(ProviderOverrides overrides);
    // Keys from Settings, layered over the environment; the next run uses them.
    void setKeys(Keys keys);

    // Loads the price book and the model catalog off the GUI thread, lists the queue, then
    // runs what is runnable. Call once the library is open (and the keys are loaded).
    void start();
    bool isStarted() const { return m_started; }
    // True once servicesReady has been emitted: priceBook() and models() are usable.
    bool isReady() const { return m_priceBook != nullptr; }
    const ripen::PriceBook* priceBook() const { return m_priceBook.get(); }
    const ripen::ModelCatalog* models() const { return m_models.get(); }
    // Reads the prices again off the GUI thread (a price was edited or an account changed),
    // so the next estimate and reservation use them. Answers pricesReloaded.
    void reloadPrices();
    std::vector<ProviderInfo> providers() const;

    // Validates, estimates, checks budgets and reserves (core's one transaction), then
    // runs the queue. Answers enqueued or enqueueFailed (a budget refusal says so plainly).
    RequestId enqueue(const ripen::GenerationRequest& request,
                      const ripen::EnqueueOptions& options);
    void cancel(ripen::JobId id);
    // Queues a failed, canceled or interrupted job again: only ever on the user's word.
    void retry(ripen::JobId id);
    void setPriority(ripen::JobId id, int priority);
    void pauseAll();
    void resumeAll();
    bool isPaused() const { return m_paused; }
    // The runner's message when a full disk paused the queue (it names the file and the
    // error); empty when the queue runs or the user paused it. Resume All clears it.
    const QString& diskFullMessage() const { return m_diskFullMessage; }
    // Lists the jobs and today's spend again; answers jobsChanged and spendChanged.
    void refresh();
    // Jobs were queued behind the lane's back (a recipe run, on its own connection): lists
    // the queue again and runs what is runnable.
    void wake();

    // The request that made an asset (its prompt, negative prompt, aspect ratio, size and
    // the references it was made from), to run it again. Answers recipeReady or
    // requestFailed.
    RequestId loadRecipe(ripen::AssetId asset);
    // The hard cap and spend of a project, when it has a budget. Answers budgetReady.
    RequestId loadBudget(const std::string& project);

    const std::vector<ripen::Job>& jobs() const { return m_jobs; }
    // The providers a 429 with Retry-After holds, as of the last listing (jobsChanged): a
    // runner sends them nothing until then, also after a restart.
    const std::vector<ripen::ProviderHold>& providerHolds() const { return m_holds; }
    // A provider's name as the user knows it ("OpenAI"), or its id.
    std::string displayNameOf(const std::string& provider) const;
    // Latest progress (0..1) and message a running job reported, if any.
    std::optional<double> progressOf(ripen::JobId id) const;
    QString messageOf(ripen::JobId id) const;
    // Jobs at a provider or being stored now, and jobs waiting for their turn.
    int activeCount() const;
    int queuedCount() const;
    ripen::Micros spentTodayUsd() const { return m_spentToday; }
    bool isRunning() const { return m_run != nullptr; }
    // Stops the runner, as the destructor does (in-flight transfers are aborted), and waits
    // for the lanes. Callable from any thread, so that a library switch waits off the GUI
    // thread; nothing runs afterwards.
    void stopAndWait();
    // Work still on its way (for tests and the screenshot tool).
    bool isBusy() const {
        return m_pending > 0 || m_run != nullptr || m_refreshThrottle.isActive() ||
               m_eventFrame.isActive();
    }
    // The listed job `id`, or null when the last listing does not hold it.
    const ripen::Job* job(ripen::JobId id) const;

    // How often a batch of runner events reaches the views at most (about 30 a second).
    static constexpr int kEventFrameMs = 33;
    // How often the queue is listed again at most while jobs settle (a listing brings the
    // settled costs and errors; the events already carry states and progress).
    static constexpr int kRefreshThrottleMs = 250;

signals:
    void servicesReady();
    void pricesReloaded();
    // The provider list, a provider's settings or the keys changed (see providers()).
    void providersChanged();
    void servicesFailed(const ripen::Error& error);
    void jobsChanged();
    // Once per changed job in a batch of runner events (its state, progress or message).
    void jobUpdated(qint64 id);
    // Once per batch, after its jobEvent and jobUpdated signals: views that show the queue
    // as a whole update once here instead of once per job.
    void jobsUpdated();
    // Every event the runner reported, in order (delivered in per-frame batches).
    void jobEvent(const ripen::JobEvent& event);
    void enqueued(quint64 request, const QList<qint64>& jobs);
    void enqueueFailed(quint64 request, const ripen::Error& error);
    void actionFailed(const ripen::Error& error);
    void recipeReady(quint64 request, const ripen::ui::JobLane::Recipe& recipe);
    void budgetReady(quint64 request, const std::optional<ripen::ui::JobLane::Budget>& budget);
    void requestFailed(quint64 request, const ripen::Error& error);
    void spendChanged(qint64 todayUsdMicros);
    void runningChanged(bool running);
    void pausedChanged(bool paused);
    // A job stored new assets in the catalog.
    void assetsAdded();

private:
    struct StoreState;
    struct Run;
    template <class Work, class Done> void runOnStore(Work work, Done done);
    void storeAction(std::function<ripen::Status(ripen::JobStore&)> action, bool wakeRunner);
    void startRunner();
    void postEvent(const ripen::JobEvent& event); // runner threads
    void flushEvents();                           // GUI thread
    void applyEvent(const ripen::JobEvent& event, bool& relist, bool& landed);
    void pauseForFullDisk(const QString& reason);
    void indexJobs();
    std::unique_ptr<ripen::ProviderRegistry> makeRegistry() const;

    std::filesystem::path m_root;
    std::shared_ptr<StoreState> m_store; // touched only by store-lane tasks
    QThreadPool m_storePool;
    QThreadPool m_runnerPool;
    std::stop_source m_stop;
    std::unique_ptr<ripen::http::HttpClient> m_http;
    RegistryFactory m_factory;
    ProviderOverrides m_overrides;
    std::unique_ptr<ripen::ProviderRegistry> m_registry; // for names and configuration only
    std::shared_ptr<const LayeredCredentials> m_credentials;
    std::shared_ptr<const ripen::PriceBook> m_priceBook;
    std::vector<std::shared_ptr<const ripen::PriceBook>> m_retiredPriceBooks;
    std::shared_ptr<const ripen::ModelCatalog> m_models;
    std::shared_ptr<Run> m_run;                               // the runner at work, null when idle
    std::vector<ripen::Job> m_jobs;                           // newest first
    std::vector<ripen::ProviderHold> m_holds;                 // providers a rate limit holds
    std::unordered_map<ripen::JobId, std::size_t> m_jobIndex; // id -> position in m_jobs
    std::map<ripen::JobId, std::optional<double>> m_progress;
    std::map<ripen::JobId, QString> m_messages;
    QTimer m_refreshThrottle;
    // Runner events waiting for the next frame: filled on runner threads, taken on the GUI.
    std::mutex m_inboxMutex;
    std::vector<ripen::JobEvent> m_inbox;
    bool m_inboxPosted = false; // a wake-up is on its way to the GUI thread
    QTimer m_eventFrame;
    ripen::Micros m_spentToday = 0;
    RequestId m_nextRequest = 1;
    int m_pending = 0;
    bool m_started = false;
    bool m_paused = false;
    QString m_diskFullMessage;
    bool m_rerun = false;
};

} // namespace ripen::ui

Q_DECLARE_METATYPE(ripen::JobEvent)
Q_DECLARE_METATYPE(ripen::ui::JobLane::Recipe)
Q_DECLARE_METATYPE(std::optional<ripen::ui::JobLane::Budget>)

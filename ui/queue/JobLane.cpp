#include "queue/JobLane.h"

#include "catalog/Library.h"
#include "common/Clock.h"
#include "common/ResourceLocator.h"
#include "credits/Ledger.h"
#include "credits/LibraryPriceBook.h"
#include "internal/BackgroundPriority.h"
// JobRunner has a member named emit(), which Qt's `emit` keyword macro would rewrite.
#pragma push_macro("emit")
#undef emit
#include "jobs/JobRunner.h"
#include "jobs/RetryPolicy.h"
#pragma pop_macro("emit")
#include "providers/http/HttpClient.h"

#include <QDateTime>
#include <QMetaObject>
#include <QTimeZone>
#include <QtConcurrent/QtConcurrentRun>
#include <algorithm>
#include <exception>
#include <type_traits>
#include <utility>

// GCC 12 reports "may be used uninitialized" for the value of a moved std::expected once
// the queued lambdas below are inlined into Qt's slot object (a known false positive of
// its -O2 flow analysis); the values are always initialized.
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"
#endif

namespace ripen::ui {

// The store lane's catalog connection, opened by its first task and used by store-lane
// tasks only (one thread, so one at a time).
struct JobLane::StoreState {
    std::unique_ptr<ripen::Library> library;
};

// One run of the runner with everything it reads, kept alive by the GUI and the worker.
struct JobLane::Run {
    std::unique_ptr<ripen::ProviderRegistry> registry;
    std::shared_ptr<const LayeredCredentials> credentials;
    std::shared_ptr<const ripen::PriceBook> prices;
    std::unique_ptr<ripen::JobRunner> runner;
};

namespace {

Result<ripen::Library*> openLibrary(std::unique_ptr<ripen::Library>& library,
                                    const std::filesystem::path& root) {
    if (!library) {
        auto opened = ripen::Library::open(root);
        if (!opened) {
            return std::unexpected(opened.error());
        }
        library = std::move(*opened);
    }
    return library.get();
}

struct Services {
    ripen::PriceBook prices;
    ripen::ModelCatalog models;
};

// The library's prices as ripen-cli reads them (loadLibraryPriceBook: its own or the
// shipped price book, the user's overrides, the accounts' cost per credit).
Result<ripen::PriceBook> loadPrices(std::unique_ptr<ripen::Library>& library,
                                    const std::filesystem::path& root) {
    auto opened = openLibrary(library, root);
    if (!opened) {
        return std::unexpected(opened.error());
    }
    return ripen::loadLibraryPriceBook(**opened, ripen::today());
}

Result<Services> loadServices(std::unique_ptr<ripen::Library>& library,
                              const std::filesystem::path& root) {
    auto prices = loadPrices(library, root);
    if (!prices) {
        return std::unexpected(prices.error());
    }
    auto models = ripen::ModelCatalog::load(ripen::resourceFile("models.json"));
    if (!models) {
        return std::unexpected(models.error());
    }
    return Services{std::move(*prices), std::move(*models)};
}

struct Listing {
    std::vector<ripen::Job> jobs;
    ripen::Micros spentToday = 0;
    std::vector<ripen::ProviderHold> holds;
};

// The request that made `asset`, with its parents (the references it was made from) as
// library blob files.
Result<JobLane::Recipe> recipeOf(ripen::Library& library, ripen::AssetId id) {
    auto asset = library.catalog().asset(id);
    if (!asset) {
        return std::unexpected(asset.error());
    }
    const auto& generation = asset->generation;
    if (generation.prompt.empty()) {
        return fail(ErrorCode::InvalidArgument,
                    "asset " + std::to_string(id) + " has no prompt to run again");
    }
    JobLane::Recipe recipe;
    recipe.project = asset->project;
    ripen::GenerationRequest& request = recipe.request;
    request.provider = generation.provider;
    request.model = generation.modelId;
    request.prompt = generation.prompt;
    request.negativePrompt = generation.negativePrompt;
    const auto& params = generation.params;
    if (params.is_object()) {
        request.aspectRatio = params.value("aspect_ratio", std::string());
        request.imageSize = params.value("image_size", std::string());
    }
    for (const ripen::AssetId parent : asset->parents) {
        auto reference = library.catalog().asset(parent);
        if (!reference) {
            return std::unexpected(reference.error());
        }
        if (reference->kind == ripen::AssetKind::Image) {
            request.images.push_back(library.blobFile(*reference));
            recipe.references.push_back(parent);
        }
    }
    request.kind = request.images.empty() ? ripen::JobKind::TextToImage : ripen::JobKind::EditImage;
    return recipe;
}

std::string todayUtc() {
    return QDateTime::currentDateTimeUtc().date().toString(Qt::ISODate).toStdString();
}

} // namespace

JobLane::JobLane(std::filesystem::path libraryRoot, QObject* parent)
    : QObject(parent), m_root(std::move(libraryRoot)), m_store(std::make_shared<StoreState>()),
      m_http(std::make_unique<ripen::http::HttpClient>()),
      m_credentials(std::make_shared<LayeredCredentials>()) {
    m_storePool.setMaxThreadCount(1);
    m_runnerPool.setMaxThreadCount(1);
    m_refreshThrottle.setSingleShot(true);
    m_refreshThrottle.setInterval(kRefreshThrottleMs);
    connect(&m_refreshThrottle, &QTimer::timeout, this, &JobLane::refresh);
    m_eventFrame.setSingleShot(true);
    m_eventFrame.setInterval(kEventFrameMs);
    connect(&m_eventFrame, &QTimer::timeout, this, &JobLane::flushEvents);
    qRegisterMetaType<ripen::JobEvent>();
    qRegisterMetaType<ripen::ui::JobLane::Recipe>();
    qRegisterMetaType<std::optional<ripen::ui::JobLane::Budget>>();
}

JobLane::~JobLane() {
    m_stop.request_stop();
    m_runnerPool.waitForDone();
    m_storePool.waitForDone();
    m_store.reset();
}

void JobLane::stopAndWait() {
    m_stop.request_stop();
    m_runnerPool.waitForDone();
    m_storePool.waitForDone();
}

void JobLane::setRegistryFactory(RegistryFactory factory) {
    m_factory = std::move(factory);
    m_registry = makeRegistry();
    emit providersChanged();
}

void JobLane::setProviderOverrides(ProviderOverrides overrides) {
    m_overrides = std::move(overrides);
    m_registry = makeRegistry();
    emit providersChanged();
}

void JobLane::setKeys(Keys keys) {
    m_credentials = std::make_shared<LayeredCredentials>(std::move(keys));
    emit providersChanged();
}

std::unique_ptr<ripen::ProviderRegistry> JobLane::makeRegistry() const {
    auto registry = std::make_unique<ripen::ProviderRegistry>();
    if (m_factory) {
        m_factory(*registry);
    }
    for (const auto& [id, chosen] : m_overrides) {
        if (registry->find(id) == nullptr) {
            continue;
        }
        ripen::ProviderLimits limits = registry->limits(id);
        if (chosen.concurrency > 0) {
            limits.concurrencyPerEndpoint = chosen.concurrency;
        }
        if (chosen.requestsPerMinute > 0) {
            limits.requestsPerMinute = chosen.requestsPerMinute;
        }
        registry->setLimits(id, limits);
        registry->setBaseUrls(id, chosen.baseUrls);
    }
    return registry;
}

std::vector<JobLane::ProviderInfo> JobLane::providers() const {
    std::vector<ProviderInfo> list;
    if (!m_registry) {
        return list;
    }
    ripen::ProviderRegistry defaults;
    if (m_factory) {
        m_factory(defaults);
    }
    for (const ripen::Provider* provider : m_registry->all()) {
        list.push_back(ProviderInfo{
            provider->id(), provider->displayName(), provider->missingConfiguration(*m_credentials),
            m_registry->endpoints(provider->id()), m_registry->limits(provider->id()),
            defaults.limits(provider->id()), provider->baseUrlVariable()});
    }
    return list;
}

std::string JobLane::displayNameOf(const std::string& provider) const {
    const ripen::Provider* found = m_registry ? m_registry->find(provider) : nullptr;
    return found != nullptr ? found->displayName() : provider;
}

// Runs `work(StoreState&) -> Result<T>` on the store lane and `done(Result<T>)` on the GUI
// thread. Exceptions from core (there should be none) become Internal errors here.
template <class Work, class Done> void JobLane::runOnStore(Work work, Done done) {
    ++m_pending;
    (void)QtConcurrent::run(&m_storePool, [this, store = m_store, work = std::move(work),
                                           done = std::move(done)]() mutable {
        lowerCurrentThreadPriority();
        using R = std::invoke_result_t<Work&, StoreState&>;
        R result = [&]() -> R {
            try {
                return work(*store);
            } catch (const std::exception& e) {
                return fail(ErrorCode::Internal, std::string("unexpected error: ") + e.what());
            }
        }();
        QMetaObject::invokeMethod(
            this,
            [this, done = std::move(done), result = std::move(result)]() mutable {
                --m_pending;
                done(std::move(result));
            },
            Qt::QueuedConnection);
    });
}

void JobLane::start() {
    if (m_started) {
        return;
    }
    m_started = true;
    runOnStore([root = m_root](StoreState& state) { return loadServices(state.library, root); },
               [this](Result<Services> services) {
                   if (!services) {
                       emit servicesFailed(services.error());
                       return;
                   }
                   m_priceBook =
                       std::make_shared<const ripen::PriceBook>(std::move(services->prices));
                   m_models =
                       std::make_shared<const ripen::ModelCatalog>(std::move(services->models));
                   emit servicesReady();
                   refresh();
                   startRunner();
               });
}

void JobLane::reloadPrices() {
    runOnStore([root = m_root](StoreState& state) { return loadPrices(state.library, root); },
               [this](Result<ripen::PriceBook> prices) {
                   if (!prices) {
                       emit servicesFailed(prices.error());
                       return;
                   }
                   // Views may still hold the old book's address (priceBook()): it stays alive.
                   if (m_priceBook) {
                       m_retiredPriceBooks.push_back(m_priceBook);
                   }
                   m_priceBook = std::make_shared<const ripen::PriceBook>(std::move(*prices));
                   emit pricesReloaded();
               });
}

JobLane::RequestId JobLane::enqueue(const ripen::GenerationRequest& request,
                                    const ripen::EnqueueOptions& options) {
    const RequestId id = m_nextRequest++;
    const auto refuse = [this, id](ripen::Error error) {
        ++m_pending;
        QMetaObject::invokeMethod(
            this,
            [this, id, error = std::move(error)] {
                --m_pending;
                emit enqueueFailed(id, error);
            },
            Qt::QueuedConnection);
        return id;
    };
    if (!isReady()) {
        return refuse({ErrorCode::NotFound, "the price book and model list are still loading"});
    }
    const ripen::Provider* provider = m_registry ? m_registry->find(request.provider) : nullptr;
    if (provider == nullptr) {
        return refuse(
            {ErrorCode::NotFound, "this Ripen has no provider named '" + request.provider + "'"});
    }
    if (auto missing = provider->missingConfiguration(*m_credentials); !missing.empty()) {
        return refuse({ErrorCode::InvalidArgument,
                       provider->displayName() + " is not configured: " + missing});
    }
    if (auto valid = m_models->validate(request, todayUtc()); !valid) {
        return refuse(valid.error());
    }
    auto estimate = m_priceBook->estimate(request);
    if (!estimate) {
        return refuse(estimate.error());
    }
    runOnStore(
        [root = m_root, request, options, estimate = *estimate,
         prices = m_priceBook](StoreState& state) -> Result<std::vector<ripen::JobId>> {
            auto library = openLibrary(state.library, root);
            if (!library) {
                return std::unexpected(library.error());
            }
            return ripen::JobStore(**library).enqueue(request, options, estimate);
        },
        [this, id](Result<std::vector<ripen::JobId>> ids) {
            if (!ids) {
                emit enqueueFailed(id, ids.error());
                return;
            }
            emit enqueued(id, QList<qint64>(ids->begin(), ids->end()));
            refresh();
            startRunner();
        });
    return id;
}

void JobLane::storeAction(std::function<ripen::Status(ripen::JobStore&)> action, bool wakeRunner) {
    runOnStore(
        [root = m_root, action = std::move(action)](StoreState& state) -> Result<bool> {
            auto library = openLibrary(state.library, root);
            if (!library) {
                return std::unexpected(library.error());
            }
            ripen::JobStore store(**library);
            if (auto done = action(store); !done) {
                return std::unexpected(done.error());
            }
            return true;
        },
        [this, wakeRunner](Result<bool> done) {
            if (!done) {
                emit actionFailed(done.error());
            }
            refresh();
            if (done && wakeRunner) {
                startRunner();
            }
        });
}

void JobLane::cancel(ripen::JobId id) {
    storeAction([id](ripen::JobStore& store) { return store.cancel(id); }, false);
}

void JobLane::retry(ripen::JobId id) {
    m_messages.erase(id);
    m_progress.erase(id);
    storeAction([id](ripen::JobStore& store) { return store.retry(id); }, true);
}

void JobLane::setPriority(ripen::JobId id, int priority) {
    storeAction([id, priority](ripen::JobStore& store) { return store.setPriority(id, priority); },
                false);
}

void JobLane::pauseAll() {
    if (std::exchange(m_paused, true)) {
        return;
    }
    if (m_run) {
        m_run->runner->pause();
    }
    emit pausedChanged(true);
}

void JobLane::resumeAll() {
    if (!std::exchange(m_paused, false)) {
        return;
    }
    m_diskFullMessage.clear();
    if (m_run) {
        m_run->runner->resume();
    }
    emit pausedChanged(false);
    startRunner();
}

void JobLane::wake() {
    refresh();
    startRunner();
}

void JobLane::refresh() {
    m_refreshThrottle.stop();
    const qint64 midnight = QDateTime::currentDateTime().date().startOfDay().toMSecsSinceEpoch();
    runOnStore(
        [root = m_root, midnight](StoreState& state) -> Result<Listing> {
            auto library = openLibrary(state.library, root);
            if (!library) {
                return std::unexpected(library.error());
            }
            auto jobs = ripen::JobStore(**library).jobs();
            if (!jobs) {
                return std::unexpected(jobs.error());
            }
            auto spent = ripen::Ledger((*library)->catalog().database()).chargedUsdSince(midnight);
            if (!spent) {
                return std::unexpected(spent.error());
            }
            std::reverse(jobs->begin(), jobs->end());
            // Holds that cannot be read only leave the dock without them.
            auto holds = ripen::ProviderHolds(**library).active(
                ripen::unixMillis(), ripen::RetryPolicy::Settings{}.retryAfterCeiling);
            return Listing{std::move(*jobs), *spent,
                           holds.value_or(std::vector<ripen::ProviderHold>{})};
        },
        [this](Result<Listing> listing) {
            if (!listing) {
                emit actionFailed(listing.error());
                return;
            }
            m_jobs = std::move(listing->jobs);
            m_holds = std::move(listing->holds);
            indexJobs();
            // Progress and messages belong to work in flight; a finished job shows its
            // stored error instead.
            for (const auto& job : m_jobs) {
                if (ripen::isFinal(job.state)) {
                    m_progress.erase(job.id);
                    m_messages.erase(job.id);
                }
            }
            emit jobsChanged();
            if (std::exchange(m_spentToday, listing->spentToday) != listing->spentToday) {
                emit spendChanged(m_spentToday);
            }
        });
}

JobLane::RequestId JobLane::loadRecipe(ripen::AssetId asset) {
    const RequestId id = m_nextRequest++;
    runOnStore(
        [root = m_root, asset](StoreState& state) -> Result<Recipe> {
            auto library = openLibrary(state.library, root);
            if (!library) {
                return std::unexpected(library.error());
            }
            return recipeOf(**library, asset);
        },
        [this, id](Result<Recipe> recipe) {
            if (!recipe) {
                emit requestFailed(id, recipe.error());
                return;
            }
            emit recipeReady(id, *recipe);
        });
    return id;
}

JobLane::RequestId JobLane::loadBudget(const std::string& project) {
    const RequestId id = m_nextRequest++;
    runOnStore(
        [root = m_root, project](StoreState& state) -> Result<std::optional<Budget>> {
            auto library = openLibrary(state.library, root);
            if (!library) {
                return std::unexpected(library.error());
            }
            auto& catalog = (*library)->catalog();
            auto projects = catalog.projects();
            if (!projects) {
                return std::unexpected(projects.error());
            }
            const auto found = std::ranges::find(*projects, project, &ripen::Project::name);
            if (found == projects->end()) {
                return std::optional<Budget>();
            }
            auto status = ripen::Ledger(catalog.database()).budget("project", found->id);
            if (!status) {
                return std::unexpected(status.error());
            }
            if (!*status) {
                return std::optional<Budget>();
            }
            return std::optional<Budget>(
                Budget{(*status)->limitUsd, (*status)->spentUsd, (*status)->reservedUsd});
        },
        [this, id](Result<std::optional<Budget>> budget) {
            if (!budget) {
                emit requestFailed(id, budget.error());
                return;
            }
            emit budgetReady(id, *budget);
        });
    return id;
}

void JobLane::startRunner() {
    if (!m_started || !isReady() || !m_factory) {
        return;
    }
    if (m_run) {
        // The runner may be deciding that it is idle right now: run again once it stops.
        m_rerun = true;
        return;
    }
    auto run = std::make_shared<Run>();
    run->registry = makeRegistry();
    run->credentials = m_credentials;
    run->prices = m_priceBook;
    run->runner = std::make_unique<ripen::JobRunner>(m_root, *run->registry, *run->credentials,
                                                     *run->prices, *m_http);
    // Called on runner threads: hand the event to the GUI thread and return at once.
    run->runner->subscribe([this](const ripen::JobEvent& event) { postEvent(event); });
    if (m_paused) {
        run->runner->pause();
    }
    m_run = run;
    emit runningChanged(true);
    (void)QtConcurrent::run(&m_runnerPool, [this, run, stop = m_stop.get_token()] {
        // The runner's request threads start from here and inherit the lower priority.
        lowerCurrentThreadPriority();
        std::optional<ripen::Error> error;
        try {
            if (auto summary = run->runner->runUntilIdle(stop); !summary) {
                error = summary.error();
            }
        } catch (const std::exception& e) {
            error =
                ripen::Error{ErrorCode::Internal, std::string("the queue stopped: ") + e.what()};
        }
        QMetaObject::invokeMethod(
            this,
            [this, error] {
                flushEvents(); // the run's last events come before its end
                m_run.reset();
                if (error) {
                    emit actionFailed(*error);
                }
                emit runningChanged(false);
                refresh();
                if (std::exchange(m_rerun, false) && !error) {
                    startRunner();
                }
            },
            Qt::QueuedConnection);
    });
}

void JobLane::postEvent(const ripen::JobEvent& event) {
    {
        const std::lock_guard lock(m_inboxMutex);
        m_inbox.push_back(event);
        if (std::exchange(m_inboxPosted, true)) {
            return; // the GUI thread is already told; it takes the whole inbox
        }
    }
    QMetaObject::invokeMethod(
        this,
        [this] {
            if (!m_eventFrame.isActive()) {
                m_eventFrame.start();
            }
        },
        Qt::QueuedConnection);
}

void JobLane::flushEvents() {
    m_eventFrame.stop();
    std::vector<ripen::JobEvent> batch;
    {
        const std::lock_guard lock(m_inboxMutex);
        batch.swap(m_inbox);
        m_inboxPosted = false;
    }
    if (batch.empty()) {
        return;
    }
    bool relist = false;
    bool landed = false;
    std::vector<ripen::JobId> changed;
    for (const ripen::JobEvent& event : batch) {
        applyEvent(event, relist, landed);
        if (std::ranges::find(changed, event.id) == changed.end()) {
            changed.push_back(event.id);
        }
    }
    for (const ripen::JobEvent& event : batch) {
        emit jobEvent(event);
    }
    for (const ripen::JobId id : changed) {
        emit jobUpdated(id);
    }
    emit jobsUpdated();
    // A throttle, not a debounce: results landing without a pause still get listed.
    if (relist && !m_refreshThrottle.isActive()) {
        m_refreshThrottle.start();
    }
    if (landed) {
        emit assetsAdded();
    }
}

void JobLane::applyEvent(const ripen::JobEvent& event, bool& relist, bool& landed) {
    if (event.progress) {
        m_progress[event.id] = event.progress;
    } else if (event.state == ripen::JobState::Queued) {
        m_progress.erase(event.id); // back in the queue (a 429, a full disk): nothing under way
    }
    m_messages[event.id] = QString::fromStdString(event.message);
    const auto known = m_jobIndex.find(event.id);
    // A job sent back to the queue (a retry, a 429) is listed again for its error and
    // its provider's rate-limit hold.
    bool requeued = false;
    if (known != m_jobIndex.end()) {
        requeued = event.state == ripen::JobState::Queued &&
                   m_jobs[known->second].state != ripen::JobState::Queued;
        m_jobs[known->second].state = event.state;
    }
    relist = relist || known == m_jobIndex.end() || ripen::isFinal(event.state) || requeued;
    landed = landed || (event.state == ripen::JobState::Succeeded && !event.assets.empty());
    if (event.pausedSubmissions) {
        pauseForFullDisk(m_messages[event.id]);
    }
}

void JobLane::pauseForFullDisk(const QString& reason) {
    // The runner has already stopped sending; the lane keeps it so (a runner started later,
    // e.g. for a new job, starts paused) until the user has freed space and resumes.
    const bool changed = !std::exchange(m_paused, true) || m_diskFullMessage != reason;
    m_diskFullMessage = reason;
    if (changed) {
        emit pausedChanged(true);
    }
}

void JobLane::indexJobs() {
    m_jobIndex.clear();
    m_jobIndex.reserve(m_jobs.size());
    for (std::size_t i = 0; i < m_jobs.size(); ++i) {
        m_jobIndex.emplace(m_jobs[i].id, i);
    }
}

const ripen::Job* JobLane::job(ripen::JobId id) const {
    const auto it = m_jobIndex.find(id);
    return it == m_jobIndex.end() ? nullptr : &m_jobs[it->second];
}

int JobLane::queuedCount() const {
    return static_cast<int>(
        std::ranges::count(m_jobs, ripen::JobState::Queued, &ripen::Job::state));
}

std::optional<double> JobLane::progressOf(ripen::JobId id) const {
    const auto it = m_progress.find(id);
    return it == m_progress.end() ? std::nullopt : it->second;
}

QString JobLane::messageOf(ripen::JobId id) const {
    const auto it = m_messages.find(id);
    return it == m_messages.end() ? QString() : it->second;
}

int JobLane::activeCount() const {
    return static_cast<int>(std::ranges::count_if(m_jobs, [](const ripen::Job& job) {
        return job.state == ripen::JobState::Submitting || job.state == ripen::JobState::Running ||
               job.state == ripen::JobState::Storing;
    }));
}

} // namespace ripen::ui

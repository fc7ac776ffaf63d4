#include "jobs/JobRunner.h"

#include "catalog/AssetIngest.h"
#include "common/Clock.h"
#include "common/FileIo.h"
#include "common/Sha256.h"
#include "jobs/InpaintJob.h"
#include "jobs/JobProgress.h"
#include "jobs/ProviderHolds.h"
#include "jobs/QueueLock.h"
#include "jobs/ResultManifest.h"
#include "jobs/UpscaleChain.h"
#include "jobs/UpscaleJob.h"
#include "providers/http/SendGate.h"
#include "video/VideoProbe.h"

#include <condition_variable>
#include <list>
#include <thread>

namespace ripen {
namespace {

// Waits `duration`, waking early when `stop` is requested; false if it was.
bool sleepUnlessStopped(const std::stop_token& stop, std::chrono::milliseconds duration) {
    std::mutex mutex;
    std::condition_variable_any never;
    std::unique_lock lock(mutex);
    (void)never.wait_for(lock, stop, duration, [] { return false; });
    return !stop.stop_requested();
}

nlohmann::json resultToJson(const ProviderResult& result) {
    nlohmann::json files = nlohmann::json::array();
    for (const auto& f : result.outputs) {
        nlohmann::json file = {{"path", f.file.string()}, {"mime", f.mimeType}};
        if (f.seed) {
            file["seed"] = *f.seed;
        }
        files.push_back(std::move(file));
    }
    nlohmann::json usage = {{"unit", result.usage.unit}, {"raw", result.usage.raw}};
    if (result.usage.costMicros) {
        usage["cost_micros"] = *result.usage.costMicros;
    }
    return {{"files", files},
            {"model_version", result.modelVersion},
            {"usage", usage},
            {"info", result.info}};
}

ProviderUsage usageFromJson(const nlohmann::json& result) {
    ProviderUsage usage;
    const auto u = result.value("usage", nlohmann::json::object());
    usage.unit = u.value("unit", "USD");
    usage.raw = u.value("raw", nlohmann::json::object());
    if (u.contains("cost_micros") && u["cost_micros"].is_number_integer()) {
        usage.costMicros = u["cost_micros"].get<Micros>();
    }
    return usage;
}

// The decode the provider made of `file` to verify it, when that output is still in memory.
const DecodedImage* verifiedDecode(const std::vector<GeneratedFile>& received,
                                   const std::filesystem::path& file) {
    for (const GeneratedFile& output : received) {
        if (output.file == file) {
            return output.decoded.get();
        }
    }
    return nullptr;
}

// The fraction last recorded for a job (0 when none).
double progressOf(const nlohmann::json& result) {
    if (!result.is_object()) {
        return 0.0;
    }
    const auto it = result.find("progress");
    return it != result.end() && it->is_number() ? it->get<double>() : 0.0;
}

// A provider's clip plays at the rate its file says, whatever was asked for: Veo and Kling
// choose their own (24 fps, not the 30 a player would guess). The probe's rate and length
// go into the provenance, where the Motion view and the cutter read them; a file the probe
// cannot read is refused by the ingest that follows.
void recordClipTiming(const std::filesystem::path& clip, Asset& asset) {
    auto info = probeVideo(clip);
    if (!info) {
        return;
    }
    if (info->frameRateNum > 0 && info->frameRateDen > 0) {
        asset.generation.params["fps"] =
            static_cast<double>(info->frameRateNum) / info->frameRateDen;
    }
    if (info->durationMicros > 0) {
        asset.generation.params["duration_seconds"] =
            static_cast<double>(info->durationMicros) / 1e6;
    }
}

// Lineage: inputs that are library blobs (named by their hash) become the asset's parents.
std::vector<AssetId> parentAssets(Catalog& catalog, const GenerationRequest& request) {
    std::vector<AssetId> parents;
    for (const auto& image : request.images) {
        if (auto found = catalog.findBySha256(image.stem().string()); found && *found) {
            parents.push_back(**found);
        }
    }
    return parents;
}

Asset provenanceFor(const Job& job, const nlohmann::json& result, const nlohmann::json& file) {
    const GenerationRequest& r = job.request;
    Asset a;
    a.project = job.project;
    a.client = job.client;
    a.stage = job.stage;
    a.sourcePath = "job " + std::to_string(job.id);
    a.generation.prompt = r.prompt;
    a.generation.negativePrompt = r.negativePrompt;
    a.generation.provider = r.provider;
    a.generation.modelId = r.model;
    a.generation.modelVersion = result.value("model_version", "");
    if (file.contains("seed") && file["seed"].is_number_integer()) {
        a.generation.seed = file["seed"].get<std::int64_t>();
    } else {
        a.generation.seed = r.seed;
    }
    a.generation.params = r.options;
    a.generation.params["job_id"] = job.id;
    a.generation.params["job_key"] = job.key;
    a.generation.params["kind"] = std::string(toString(r.kind));
    if (!job.recipeRun.empty()) {
        a.generation.params["ripen_recipe_run"] = job.recipeRun; // read by provenanceOf
    }
    if (isMaskedEdit(r)) {
        // An inpaint result is its own asset beside the image; the mask, engine and cost
        // travel with it so the edit can be judged and repeated.
        a.stage = Stage::Inpainted;
        a.generation.params["mask"] = r.mask->stem().string();
        a.generation.params["engine"] = r.model.empty() ? r.provider : r.provider + ":" + r.model;
    }
    if (!r.aspectRatio.empty()) {
        a.generation.params["aspect_ratio"] = r.aspectRatio;
    }
    if (!r.imageSize.empty()) {
        a.generation.params["image_size"] = r.imageSize;
    }
    if (const auto info = result.value("info", nlohmann::json::object()); !info.empty()) {
        a.generation.params["provider_info"] = info;
    }
    return a;
}

} // namespace

JobRunner::JobRunner(std::filesystem::path libraryRoot, const ProviderRegistry& registry,
                     const Credentials& credentials, const PriceBook& priceBook,
                     const http::HttpClient& http, Settings settings)
    : m_root(std::move(libraryRoot)), m_registry(registry), m_credentials(credentials),
      m_priceBook(priceBook), m_http(http), m_settings(settings), m_retry(settings.retry),
      m_pool(registry), m_retryPacer(settings.retryPacing) {}

void JobRunner::subscribe(Listener listener) {
    std::lock_guard lock(m_mutex);
    m_listeners.push_back(std::move(listener));
}

void JobRunner::emit(const JobEvent& event) {
    std::vector<Listener> listeners;
    {
        std::lock_guard lock(m_mutex);
        listeners = m_listeners;
        switch (event.state) {
        case JobState::Succeeded:
            ++m_summary.succeeded;
            break;
        case JobState::Failed:
            ++m_summary.failed;
            break;
        case JobState::Interrupted:
            ++m_summary.interrupted;
            break;
        case JobState::Canceled:
            ++m_summary.canceled;
            break;
        default:
            break;
        }
    }
    for (const auto& listener : listeners) {
        listener(event);
    }
}

std::set<std::string> JobRunner::usableProviders() {
    std::set<std::string> ids;
    for (const Provider* provider : m_registry.all()) {
        if (m_pool.hasCapacity(provider->id())) {
            ids.insert(provider->id());
        }
    }
    return ids;
}

Result<std::optional<std::int64_t>> JobRunner::loopWaitMs(JobStore& store,
                                                          const std::set<std::string>& providers,
                                                          bool workersRunning) {
    // Wake when the next retry falls due, also while other jobs run: waking only at the
    // tick or when a worker finishes would send every retry due meanwhile at once, the
    // herd a jittered Retry-After is meant to avoid. A job already due that found no
    // free slot waits for a worker to finish (or the tick) instead of spinning, unless it
    // may be a retry the pacer holds back, which may go when a token is back.
    const std::int64_t tick = m_settings.idleTick.count();
    auto due = store.nextDueMs(providers, !m_paused);
    if (!due) {
        return std::unexpected(due.error());
    }
    if (!*due) {
        return workersRunning ? std::optional<std::int64_t>(tick) : std::nullopt;
    }
    std::int64_t untilDue = **due - unixMillis();
    if (untilDue <= 0) {
        const auto now = RetryPacer::Clock::now();
        untilDue = std::max(m_retryPacer.untilNextToken(now).count(),
                            m_rateLimits.untilReleased(now).count());
    }
    if (untilDue <= 0 && workersRunning) {
        return std::optional<std::int64_t>(tick);
    }
    return std::optional<std::int64_t>(std::clamp<std::int64_t>(untilDue, 1, tick));
}

void JobRunner::checkCancelRequests(JobStore& store) {
    std::lock_guard lock(m_mutex);
    for (auto& [id, source] : m_inFlight) {
        if (auto requested = store.cancelRequested(id); requested && *requested) {
            source.request_stop();
        }
    }
}

Result<RunSummary> JobRunner::runUntilIdle(std::stop_token stop) {
    // Held until this returns: no other process recovers or claims jobs meanwhile.
    auto queueLock = QueueLock::acquire(m_root);
    if (!queueLock) {
        return std::unexpected(queueLock.error());
    }
    auto library = Library::open(m_root);
    if (!library) {
        return std::unexpected(library.error());
    }
    JobStore store(**library);
    std::set<std::string> deduping;
    std::set<std::string> all;
    for (const Provider* provider : m_registry.all()) {
        all.insert(provider->id());
        if (provider->dedupesResubmission()) {
            deduping.insert(provider->id());
        }
    }
    if (auto recovered = store.recoverAfterCrash(deduping); !recovered) {
        return std::unexpected(recovered.error());
    }
    if (auto restored = restoreRateLimits(**library); !restored) {
        return std::unexpected(restored.error());
    }
    struct Worker {
        std::jthread thread;
        std::shared_ptr<std::atomic<bool>> done;
    };
    std::list<Worker> workers;
    // A finishing worker wakes the loop at once, so a freed slot is refilled without
    // waiting out the idle tick (which only paces cancel checks and backoff waits).
    std::mutex wakeMutex;
    std::condition_variable_any wake;
    int finishedSinceWait = 0;
    const auto reap = [&] {
        workers.remove_if([](Worker& w) { return w.done->load(); });
    };
    while (!stop.stop_requested()) {
        reap();
        checkCancelRequests(store);
        // A provider that said Retry-After gets nothing until then; one refused since it
        // last took a request gets its first submissions paced like retries.
        const auto pacedNow = RetryPacer::Clock::now();
        std::set<std::string> submissionsHeld;
        for (const auto& [provider, until] : m_rateLimits.held(pacedNow)) {
            submissionsHeld.insert(provider);
            m_retryPacer.holdUntil(provider, until, pacedNow);
        }
        const std::set<std::string> retriesHeld = m_retryPacer.held(pacedNow);
        const std::set<std::string> recovering = m_rateLimits.recovering();
        for (const std::string& provider : recovering) {
            if (retriesHeld.contains(provider)) {
                submissionsHeld.insert(provider);
            }
        }
        auto claimed = store.claimNext(usableProviders(), unixMillis(), !m_paused, retriesHeld,
                                       submissionsHeld);
        if (!claimed) {
            // Another process writing the catalog (the GUI, a CLI command) only delays the
            // queue; anything else stops it.
            if (claimed.error().code != ErrorCode::Busy) {
                return std::unexpected(claimed.error());
            }
            sleepUnlessStopped(stop, m_settings.idleTick);
            continue;
        }
        if (*claimed) {
            ClaimedJob claim = std::move(**claimed);
            std::string endpoint = claim.job.endpoint;
            if (claim.step == JobStep::Submit) {
                auto acquired = m_pool.acquire(claim.job.request.provider);
                if (!acquired) {
                    (void)store.unclaim(claim.job.id, unixMillis() + 100);
                    continue;
                }
                endpoint = *acquired;
                if (claim.job.attempts > 1 || !claim.job.error.empty() ||
                    recovering.contains(claim.job.request.provider)) {
                    m_retryPacer.take(claim.job.request.provider, RetryPacer::Clock::now());
                }
            } else if (endpoint.empty()) {
                const auto urls = m_registry.endpoints(claim.job.request.provider);
                endpoint = urls.empty() ? "" : urls.front();
            }
            std::stop_source source;
            {
                std::lock_guard lock(m_mutex);
                m_inFlight[claim.job.id] = source;
            }
            auto done = std::make_shared<std::atomic<bool>>(false);
            const bool holdsSlot = claim.step == JobStep::Submit;
            workers.push_back(Worker{std::jthread([this, claim, endpoint, source, done, holdsSlot,
                                                   &wake, &wakeMutex, &finishedSinceWait]() {
                                         // The slot limits requests at the provider, not local
                                         // work: it is given back as soon as the provider has
                                         // answered, before the result is stored.
                                         bool released = !holdsSlot;
                                         const auto releaseSlot = [&] {
                                             if (!std::exchange(released, true)) {
                                                 m_pool.release(claim.job.request.provider,
                                                                endpoint);
                                                 std::lock_guard wakeLock(wakeMutex);
                                                 ++finishedSinceWait;
                                                 wake.notify_all();
                                             }
                                         };
                                         work(claim, endpoint, source.get_token(), releaseSlot);
                                         releaseSlot();
                                         {
                                             std::lock_guard lock(m_mutex);
                                             m_inFlight.erase(claim.job.id);
                                         }
                                         done->store(true);
                                         {
                                             std::lock_guard wakeLock(wakeMutex);
                                             ++finishedSinceWait;
                                         }
                                         wake.notify_all();
                                     }),
                                     done});
            continue;
        }
        const auto waitMs = loopWaitMs(store, all, !workers.empty());
        if (!waitMs) {
            if (waitMs.error().code != ErrorCode::Busy) {
                return std::unexpected(waitMs.error());
            }
            sleepUnlessStopped(stop, m_settings.idleTick);
            continue;
        }
        if (!*waitMs) {
            break; // nothing runnable is left
        }
        std::unique_lock lock(wakeMutex);
        wake.wait_for(lock, stop, std::chrono::milliseconds(**waitMs),
                      [&] { return finishedSinceWait > 0; });
        finishedSinceWait = 0;
    }
    {
        std::lock_guard lock(m_mutex);
        for (auto& [id, source] : m_inFlight) {
            source.request_stop();
        }
    }
    workers.clear(); // joins
    std::lock_guard lock(m_mutex);
    return m_summary;
}

void JobRunner::work(const ClaimedJob& claimed, const std::string& endpoint, std::stop_token stop,
                     const std::function<void()>& providerAnswered) {
    Job job = claimed.job;
    job.endpoint = endpoint;
    auto library = Library::open(m_root);
    if (!library) {
        emit({job.id, JobState::Interrupted, library.error().message, std::nullopt, {}});
        return;
    }
    JobStore store(**library);
    if (claimed.step == JobStep::Store) {
        storeResults(store, **library, job);
        return;
    }
    if (claimed.step == JobStep::Submit && m_paused) {
        // Paused (a full disk) after this job was claimed: it goes back to the queue unsent.
        (void)store.retryLater(job.id, unixMillis(), "", false);
        return;
    }
    Provider* provider = m_registry.find(job.request.provider);
    if (provider == nullptr) {
        (void)store.failJob(job.id, "this Ripen has no provider named " + job.request.provider,
                            std::nullopt);
        emit({job.id, JobState::Failed, "unknown provider " + job.request.provider, {}, {}});
        return;
    }
    if (const std::string missing = provider->missingConfiguration(m_credentials);
        !missing.empty()) {
        if (claimed.step == JobStep::Poll) {
            (void)store.retryLater(job.id, unixMillis() + 60'000, missing, true);
        } else {
            (void)store.failJob(job.id, missing, std::nullopt);
            emit({job.id, JobState::Failed, missing, {}, {}});
        }
        return;
    }
    const auto workDir = m_root / "jobs" / job.key;
    std::error_code ec;
    std::filesystem::create_directories(workDir, ec);
    // What the engine reports reaches the catalog and the queue dock a few times a second;
    // the state stays what it is (a local engine works while "submitting").
    const JobState reportedState =
        claimed.step == JobStep::Submit ? JobState::Submitting : JobState::Running;
    JobProgress progress(
        stop,
        [&](double fraction, const std::string& stage) {
            (void)store.recordProgress(job.id, fraction, stage);
            emit({job.id, reportedState, stage, fraction, {}});
        },
        m_settings.progressInterval);
    // A chained upscale sends the pass it is at, under that pass's own key.
    const auto chain = UpscaleChain::of(job);
    const ProviderContext context{
        m_http, endpoint, m_credentials, workDir, chain ? chain->nextKey() : job.key,
        stop,   &progress};
    if (claimed.step == JobStep::Submit) {
        (void)store.recordEndpoint(job.id, endpoint);
        const std::string pass = chain ? "pass " + std::to_string(chain->passesDone() + 1) +
                                             " of " + std::to_string(chain->passCount()) + " "
                                       : "";
        emit({job.id,
              JobState::Submitting,
              "sending " + pass + "to " + provider->displayName(),
              {},
              {}});
        GenerationRequest request = chain ? chain->nextRequest() : job.request;
        if (isMaskedEdit(request)) {
            auto prepared = maskedEditSubmission(request, workDir);
            if (!prepared) {
                providerAnswered();
                (void)store.failJob(job.id, prepared.error().message, std::nullopt);
                emit({job.id, JobState::Failed, prepared.error().message, {}, {}});
                return;
            }
            request = std::move(*prepared);
        }
        // Nothing of an earlier attempt may pass for this one's result after a crash.
        std::filesystem::remove(workDir / ResultManifest::kFileName, ec);
        http::SendGate gate([&] { return store.markSent(job.id); });
        auto outcome = provider->submit(context, request);
        // Before the slot is given back, or another job could leave into the 429's hold.
        noteRateLimit(**library, job, outcome);
        providerAnswered();
        if (gate.refusal()) {
            // Nothing left: the job goes back to the queue as if it had not been claimed.
            // A full disk also stops the requests after it.
            const Error& why = *gate.refusal();
            std::string message = "not sent: " + why.message;
            const bool diskFull = why.code == ErrorCode::DiskFull;
            if (diskFull) {
                pause();
                message = "disk full: " + why.message +
                          "; the request was not sent and waits in the queue (no new requests "
                          "are sent meanwhile)";
            }
            (void)store.unclaim(job.id, unixMillis() + 1'000);
            emit({job.id, JobState::Queued, message, {}, {}, diskFull});
            return;
        }
        onResult(store, **library, job, *provider, outcome, false, stop);
    } else {
        (void)store.recordProgress(job.id, progressOf(job.result),
                                   "waiting for " + provider->displayName() + " (poll " +
                                       std::to_string(job.polls + 1) + ")");
        onResult(
            store, **library, job, *provider,
            provider->poll(context, job.operationId, chain ? chain->nextRequest() : job.request),
            true, stop);
    }
}

void JobRunner::onResult(JobStore& store, Library& library, const Job& job, Provider& provider,
                         const ProviderOutcome<ProviderResult>& outcome, bool wasPoll,
                         std::stop_token stop) {
    if (!outcome) {
        onFailure(store, job, provider, outcome.error(), wasPoll);
        return;
    }
    if (outcome->state == ProviderResult::State::Running) {
        const std::string operation =
            outcome->operationId.empty() ? job.operationId : outcome->operationId;
        const auto next = unixMillis() + provider.pollInterval(wasPoll ? job.polls + 1 : 0).count();
        (void)store.recordRunning(job.id, operation, next, outcome->progress);
        emit({job.id,
              JobState::Running,
              "running at " + provider.displayName(),
              outcome->progress,
              {}});
        return;
    }
    const auto chain = UpscaleChain::of(job);
    if (chain && !chain->onLastPass()) {
        advanceChain(store, job, *chain, *outcome);
        return;
    }
    nlohmann::json result = resultToJson(*outcome);
    if (chain) {
        result["upscale_chain"] = UpscaleChain::stateOf(job); // the passes before this one
    }
    // Kept beside the files first: should "storing" not reach the catalog (a kill, a full
    // disk), the next start finds the result here (JobStore::recoverAfterCrash).
    (void)ResultManifest::write(m_root / "jobs" / job.key, result);
    if (auto recorded = recordStoringPatiently(store, job, result, stop); !recorded) {
        emit({job.id, JobState::Storing, saveFailed(recorded.error()), {}, {}});
        return;
    }
    Job storing = job;
    storing.result = result;
    storeResults(store, library, storing, outcome->outputs);
}

Status JobRunner::recordStoringPatiently(JobStore& store, const Job& job,
                                         const nlohmann::json& result, std::stop_token stop) {
    const auto giveUp = std::chrono::steady_clock::now() + m_settings.storeBusyPatience;
    auto wait = std::chrono::milliseconds(250);
    for (bool told = false;; told = true) {
        auto recorded = store.recordStoring(job.id, result);
        // A full disk is not waited out here: the run pauses and ends, and the next start
        // finds the result by its manifest.
        if (recorded || recorded.error().code != ErrorCode::Busy ||
            std::chrono::steady_clock::now() >= giveUp) {
            return recorded;
        }
        if (!told) {
            emit({job.id,
                  JobState::Storing,
                  recorded.error().message + "; the paid result is kept and saved once the "
                                             "catalog is free",
                  {},
                  {}});
        }
        // Each attempt already waited out SQLite's busy timeout; this only paces them.
        if (!sleepUnlessStopped(stop, wait)) {
            return recorded;
        }
        wait = std::min(wait * 2, std::chrono::milliseconds(10'000));
    }
}

void JobRunner::advanceChain(JobStore& store, const Job& job, const UpscaleChain& chain,
                             const ProviderResult& result) {
    const int done = chain.passesDone() + 1;
    const std::string which =
        "pass " + std::to_string(done) + " of " + std::to_string(chain.passCount());
    // The pass is paid for: its charge is booked with it, whatever happens next.
    const auto settled = m_priceBook.settle(chain.nextRequest(), result.usage);
    const Estimate charge = settled ? *settled : Estimate{};
    if (result.outputs.empty()) {
        const std::string reason = "the upscale's " + which + " returned no image";
        (void)store.failJob(job.id, reason, charge);
        emit({job.id, JobState::Failed, reason, {}, {}});
        return;
    }
    nlohmann::json state = job.result.is_object() ? job.result : nlohmann::json::object();
    state.erase("progress");
    state.erase("stage");
    state["upscale_chain"] = chain.withPassDone(result, charge);
    if (auto advanced = store.advanceChain(job.id, state, chain.nextShare(), charge); !advanced) {
        // Sending the pass again could charge twice: the user decides.
        const std::string reason = "the upscale's " + which + " was done but could not be " +
                                   "recorded (" + advanced.error().message +
                                   "). Retry it (that pass may be charged twice) or cancel it.";
        (void)store.interrupt(job.id, reason);
        emit({job.id, JobState::Interrupted, reason, {}, {}});
        return;
    }
    if (auto requested = store.cancelRequested(job.id); requested && *requested) {
        const std::string note =
            "canceled after the upscale's " + which + "; the passes done are charged";
        (void)store.finishCancel(job.id, note);
        emit({job.id, JobState::Canceled, note, {}, {}});
        return;
    }
    emit({job.id,
          JobState::Queued,
          which + " done; the next pass is queued",
          static_cast<double>(done) / chain.passCount(),
          {}});
}

std::string JobRunner::saveFailed(const Error& error) {
    // A full disk (files or catalog) stops new paid work until the user frees space.
    if (error.code != ErrorCode::DiskFull) {
        return error.message;
    }
    pause();
    return "disk full: " + error.message +
           "; the paid result is kept and will be saved once there is space (no new requests "
           "are sent meanwhile)";
}

void JobRunner::waitToSave(JobStore& store, const Job& job, const Error& error) {
    // Retry the save, never the generation: the paid result is still in the work dir.
    const std::string message = saveFailed(error);
    (void)store.retryLater(job.id, unixMillis() + 30'000, message, true);
    emit({job.id, JobState::Storing, message, {}, {}, error.code == ErrorCode::DiskFull});
}

void JobRunner::storeResults(JobStore& store, Library& library, const Job& job,
                             const std::vector<GeneratedFile>& received) {
    std::vector<Asset> assets;
    AssetIngest ingest(library);
    NullProgress progress;
    const auto files = job.result.value("files", nlohmann::json::array());
    // A chained upscale's last pass is priced as one request; the earlier passes are
    // booked already (JobStore::advanceChain).
    const auto chain = UpscaleChain::of(job);
    const auto charged =
        m_priceBook.settle(chain ? chain->nextRequest() : job.request, usageFromJson(job.result));
    for (const auto& file : files) {
        std::filesystem::path path = file.value("path", "");
        Asset base = provenanceFor(job, job.result, file);
        base.parents = parentAssets(library.catalog(), job.request);
        if (file.value("mime", "").starts_with("video/")) {
            recordClipTiming(path, base);
        }
        if (chain) {
            nlohmann::json passes = UpscaleChain::provenance(UpscaleChain::stateOf(job));
            passes.push_back({{"factor", chain->nextRequest().upscaleFactor},
                              {"model_version", job.result.value("model_version", "")},
                              {"cost_micros", charged ? charged->amount : 0},
                              {"unit", charged ? charged->unit : job.unit}});
            base.generation.params["upscale_chain"] = std::move(passes);
        }
        Result<Asset> prepared = fail(ErrorCode::Internal, "not prepared");
        if (isMaskedEdit(job.request)) {
            // What the provider returned never reaches the library as it is.
            auto composited = compositeMaskedEditOutput(job.request, path);
            if (charged && !files.empty()) {
                base.costMicros = charged->amount / static_cast<Micros>(files.size());
                base.costCurrency = charged->unit;
                base.generation.params["cost_micros"] = base.costMicros;
            }
            if (composited) {
                path = *composited;
                prepared = ingest.prepare(path, base, progress);
            } else {
                prepared = std::unexpected(composited.error());
            }
        } else if (upscaleTargetOf(job.request)) {
            // An upscale becomes an asset at exactly the size asked for.
            auto finished = finishUpscaleOutput(job.request, path);
            if (finished) {
                path = *finished;
                prepared = ingest.prepare(path, base, progress);
            } else {
                prepared = std::unexpected(finished.error());
            }
        } else {
            prepared = ingest.prepare(path, base, progress, verifiedDecode(received, path));
        }
        if (prepared) {
            assets.push_back(std::move(*prepared));
            continue;
        }
        if (prepared.error().code == ErrorCode::Duplicate) {
            auto bytes = readFileBounded(path, 1ULL << 34);
            if (bytes) {
                base.sha256 = Sha256::ofBytes(*bytes);
                assets.push_back(std::move(base));
                continue;
            }
        }
        if (prepared.error().code == ErrorCode::DiskFull ||
            prepared.error().code == ErrorCode::Io) {
            waitToSave(store, job, prepared.error());
            return;
        }
        const std::string reason =
            "the provider's result could not be stored: " + prepared.error().message;
        (void)store.failJob(job.id, reason,
                            charged ? std::optional<Estimate>(*charged) : std::nullopt);
        emit({job.id, JobState::Failed, reason, {}, {}});
        return;
    }
    const Estimate settled = charged ? *charged : Estimate{};
    auto ids = store.complete(job.id, assets, settled);
    if (!ids) {
        waitToSave(store, job, ids.error());
        return;
    }
    std::error_code ec;
    std::filesystem::remove_all(m_root / "jobs" / job.key, ec);
    emit({job.id, JobState::Succeeded, "", 1.0, *ids});
}

void JobRunner::onFailure(JobStore& store, const Job& job, Provider& provider,
                          const ProviderFailure& failure, bool wasPoll) {
    using Kind = ProviderFailure::Kind;
    const std::string who = provider.displayName();
    const auto chargeOf = [&]() -> std::optional<Estimate> {
        if (!failure.chargeMicros) {
            return std::nullopt;
        }
        Estimate e;
        e.amount = *failure.chargeMicros;
        e.unit = job.unit;
        e.usdMicros = m_priceBook.toUsd(e.amount, e.unit, job.request.provider);
        return e;
    };
    const auto failWith = [&](const std::string& reason) {
        (void)store.failJob(job.id, reason, chargeOf());
        emit({job.id, JobState::Failed, reason, {}, {}});
    };
    switch (failure.kind) {
    case Kind::Retryable: {
        if (!wasPoll && failure.httpStatus == 429) {
            onRateLimited(store, job, provider, failure);
            return;
        }
        if (!wasPoll && failure.httpStatus == 0) {
            m_pool.coolDown(job.request.provider, job.endpoint, m_settings.endpointCooldown);
        }
        if (!wasPoll && m_retry.exhausted(job.attempts)) {
            failWith("gave up after " + std::to_string(job.attempts) +
                     " attempts: " + failure.message);
            return;
        }
        auto wait = m_retry.delay(wasPoll ? job.polls + 1 : job.attempts, failure.retryAfter);
        if (wasPoll) {
            wait = std::max(wait, provider.pollInterval(job.polls + 1));
        }
        (void)store.retryLater(job.id, unixMillis() + wait.count(), failure.message, wasPoll);
        emit({job.id,
              wasPoll ? JobState::Running : JobState::Queued,
              "will retry in " + std::to_string(wait.count() / 1000) + " s: " + failure.message,
              {},
              {}});
        return;
    }
    case Kind::Blocked:
        failWith("blocked by " + who + ": " + failure.message);
        return;
    case Kind::Permanent:
    case Kind::NotConfigured:
        failWith(who + ": " + failure.message);
        return;
    case Kind::Ambiguous:
        if (wasPoll || provider.dedupesResubmission()) {
            const auto wait = m_retry.delay(job.attempts, failure.retryAfter);
            (void)store.retryLater(job.id, unixMillis() + wait.count(), failure.message, wasPoll);
            return;
        }
        (void)store.interrupt(job.id, "charge unknown: the request may have reached " + who + " (" +
                                          failure.message +
                                          "). Retry it (it may be charged twice) or cancel it.");
        emit({job.id, JobState::Interrupted, failure.message, {}, {}});
        return;
    case Kind::Cancelled: {
        // Only a paid request that already left can still be charged; a free engine's
        // (local, or priced at zero) never can.
        const bool mayCharge = (wasPoll || job.attempts > 0) && job.estimate > 0;
        const std::string note =
            mayCharge ? "canceled; " + who + " may still charge for it" : "canceled";
        (void)store.finishCancel(job.id, note);
        emit({job.id, JobState::Canceled, note, {}, {}});
        return;
    }
    }
}

void JobRunner::noteRateLimit(Library& library, const Job& job,
                              const ProviderOutcome<ProviderResult>& outcome) {
    const std::string& provider = job.request.provider;
    bool wasRecovering = false;
    if (outcome) {
        wasRecovering = m_rateLimits.accepted(provider);
    } else if (outcome.error().httpStatus == 429 &&
               outcome.error().kind == ProviderFailure::Kind::Retryable) {
        // The catalog's copy is written with the job's 429 (onRateLimited).
        const auto retryAfter = outcome.error().retryAfter;
        m_rateLimits.refused(provider, RateLimitHold::Clock::now(),
                             retryAfter ? std::optional(m_retry.bounded(*retryAfter))
                                        : std::nullopt);
        return;
    } else if (outcome.error().httpStatus != 0) {
        wasRecovering = m_rateLimits.accepted(provider);
    }
    if (wasRecovering) {
        // Best effort: a record left behind only paces the next start's first submissions.
        const bool stillHeld = m_rateLimits.held(RateLimitHold::Clock::now()).contains(provider);
        (void)ProviderHolds(library).accepted(provider, stillHeld);
    }
    std::lock_guard lock(m_mutex);
    m_refusals.erase(job.id);
}

Status JobRunner::restoreRateLimits(Library& library) {
    ProviderHolds holds(library);
    const std::int64_t nowMs = unixMillis();
    const auto ceiling = m_retry.settings().retryAfterCeiling;
    if (auto tidied = holds.tidy(nowMs, ceiling); !tidied) {
        return tidied;
    }
    auto active = holds.active(nowMs, ceiling);
    if (!active) {
        return std::unexpected(active.error());
    }
    const auto now = RateLimitHold::Clock::now();
    for (const ProviderHold& hold : *active) {
        m_rateLimits.restore(hold.provider, now + std::chrono::milliseconds(hold.untilMs - nowMs),
                             hold.recovering);
    }
    return {};
}

void JobRunner::onRateLimited(JobStore& store, const Job& job, Provider& provider,
                              const ProviderFailure& failure) {
    int refusals = 0;
    {
        std::lock_guard lock(m_mutex);
        refusals = ++m_refusals[job.id];
    }
    // A safety valve, not a retry cap: with the backoff at its 60 s ceiling this is most of
    // an hour of refusals in one run (a quota no wait cures, that the provider still calls
    // a rate limit), after which the queue must be able to end.
    if (refusals > kMaxRateLimitRefusals) {
        const std::string reason = "gave up after " + std::to_string(refusals - 1) +
                                   " rate-limit refusals by " + provider.displayName() + ": " +
                                   failure.message;
        (void)store.failJob(job.id, reason, std::nullopt);
        emit({job.id, JobState::Failed, reason, {}, {}});
        return;
    }
    // The backoff still grows with each refusal (the attempt count does not).
    const auto wait = m_retry.delay(job.attempts - 1 + refusals, failure.retryAfter);
    const std::string reason = "rate limited by " + provider.displayName() + ": " +
                               failure.message + " (not counted as an attempt)";
    const std::int64_t nowMs = unixMillis();
    const ProviderHold hold{
        job.request.provider,
        failure.retryAfter ? nowMs + m_retry.bounded(*failure.retryAfter).count() : 0, true,
        failure.message, nowMs};
    (void)store.rateLimited(job.id, nowMs + wait.count(), reason, hold,
                            m_retry.settings().retryAfterCeiling);
    emit({job.id,
          JobState::Queued,
          "will retry in " + std::to_string(wait.count() / 1000) + " s: " + reason,
          {},
          {}});
}

} // namespace ripen

#include "QueueReporter.h"

#include "InterruptWatch.h"

#include <iostream>
#include <mutex>

namespace ripen::cli {

Result<RunSummary> runQueueAndReport(CliServices& services, const std::set<JobId>& only,
                                     ProgressLine* progress) {
    // SIGINT/SIGTERM stop the runner cleanly: in-flight transfers are aborted and their
    // jobs settle as canceled or stay resumable, instead of dying mid-write.
    InterruptWatch interrupts;
    JobRunner runner(services.library->root(), services.registry, services.credentials,
                     services.priceBook, services.http);
    std::mutex outputMutex;
    RunSummary mine;
    runner.subscribe([&](const JobEvent& event) {
        if (!only.empty() && !only.contains(event.id)) {
            return;
        }
        std::lock_guard lock(outputMutex);
        if (progress != nullptr && event.progress && !isFinal(event.state)) {
            progress->update(event.id, *event.progress, event.message);
            return;
        }
        // A queued job is reported only when the runner has paused (a request held back
        // because a full disk could not record it); ordinary retries stay quiet.
        const bool prints = isFinal(event.state) || event.state == JobState::Interrupted ||
                            (event.state == JobState::Storing && !event.message.empty()) ||
                            (event.state == JobState::Queued && !event.message.empty() &&
                             runner.paused());
        if (!prints) {
            return;
        }
        if (progress != nullptr) {
            progress->finish();
        }
        switch (event.state) {
        case JobState::Succeeded:
            ++mine.succeeded;
            for (const AssetId asset : event.assets) {
                std::cout << "done " << event.id << " " << asset << "\n";
            }
            break;
        case JobState::Failed:
            ++mine.failed;
            std::cout << "failed " << event.id << ": " << event.message << "\n";
            break;
        case JobState::Interrupted:
            ++mine.interrupted;
            std::cout << "interrupted " << event.id << ": " << event.message << "\n";
            break;
        case JobState::Canceled:
            ++mine.canceled;
            std::cout << "canceled " << event.id << ": " << event.message << "\n";
            break;
        case JobState::Storing:
        case JobState::Queued:
            std::cout << "waiting " << event.id << ": " << event.message << "\n";
            break;
        default:
            return;
        }
        std::cout.flush();
    });
    auto summary = runner.runUntilIdle(interrupts.token());
    if (!summary) {
        return std::unexpected(summary.error());
    }
    return mine;
}

} // namespace ripen::cli

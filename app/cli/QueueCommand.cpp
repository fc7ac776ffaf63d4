#include "CliServices.h"
#include "Command.h"
#include "QueueReporter.h"
#include "common/Clock.h"
#include "jobs/JobStore.h"
#include "jobs/ProviderHolds.h"
#include "jobs/RetryPolicy.h"

#include <cmath>
#include <cstdio>
#include <iostream>
#include <map>

namespace ripen::cli {
namespace {

// How far a job in the works has come ("42%") and what it is doing, as the runner last
// recorded them; nullopt for jobs not being worked on.
std::optional<std::pair<int, std::string>> progressOf(const Job& j) {
    if ((j.state != JobState::Submitting && j.state != JobState::Running) ||
        !j.result.is_object()) {
        return std::nullopt;
    }
    const auto fraction = j.result.find("progress");
    if (fraction == j.result.end() || !fraction->is_number()) {
        return std::nullopt;
    }
    const auto stage = j.result.find("stage");
    return std::pair{static_cast<int>(std::lround(fraction->get<double>() * 100)),
                     stage != j.result.end() && stage->is_string() ? stage->get<std::string>()
                                                                   : std::string()};
}

// The rate-limit holds a runner would honour if it started now, by provider.
std::map<std::string, ProviderHold> heldProviders(Library& library, std::int64_t nowMs) {
    std::map<std::string, ProviderHold> held;
    // Unreadable holds only leave the listing without them; the jobs are what it is for.
    if (auto holds =
            ProviderHolds(library).active(nowMs, RetryPolicy::Settings{}.retryAfterCeiling)) {
        for (ProviderHold& hold : *holds) {
            held.emplace(hold.provider, std::move(hold));
        }
    }
    return held;
}

// "openai: rate limited, held until 14:03:12 UTC (Retry-After, 42 s left): HTTP 429: ..."
void printHold(const ProviderHold& hold, std::int64_t nowMs) {
    const std::int64_t left = (hold.untilMs - nowMs + 999) / 1000;
    std::cout << hold.provider << ": rate limited, held until "
              << formatUtc(hold.untilMs, "%H:%M:%S UTC") << " (Retry-After, " << left << " s left)"
              << (hold.reason.empty() ? "" : ": " + hold.reason) << "\n";
}

nlohmann::json holdJson(const ProviderHold& hold) {
    return {{"until_ms", hold.untilMs},
            {"until", formatUtc(hold.untilMs, "%Y-%m-%dT%H:%M:%SZ")},
            {"reason", hold.reason}};
}

nlohmann::json jobJson(const Job& j) {
    nlohmann::json json = {
        {"id", j.id},
        {"state", toString(j.state)},
        {"provider", j.request.provider},
        {"model", j.request.model},
        {"kind", toString(j.request.kind)},
        {"prompt", j.request.prompt},
        {"project", j.project},
        {"client", j.client},
        {"priority", j.priority},
        {"attempts", j.attempts},
        {"operation_id", j.operationId},
        {"endpoint", j.endpoint},
        {"estimate", formatMicros(j.estimate)},
        {"estimate_micros", j.estimate},
        {"unit", j.unit},
        {"cost_micros", j.cost ? nlohmann::json(*j.cost) : nlohmann::json(nullptr)},
        {"error", j.error},
        {"assets", j.assets},
        {"created_at_ms", j.createdAtMs},
    };
    if (const auto progress = progressOf(j)) {
        json["progress_percent"] = progress->first;
        json["stage"] = progress->second;
    }
    return json;
}

void printJobRow(const Job& j) {
    // The state column carries the progress of a job in the works: "submitting 42%".
    std::string state(toString(j.state));
    const auto progress = progressOf(j);
    if (progress) {
        state += " " + std::to_string(progress->first) + "%";
    }
    char line[200];
    std::snprintf(line, sizeof line, "%6lld  %-15s  %-13s  %-26s  %10s %-7s  ",
                  static_cast<long long>(j.id), state.c_str(), j.request.provider.c_str(),
                  j.request.model.substr(0, 26).c_str(),
                  formatMicros(j.cost.value_or(j.estimate)).c_str(), j.unit.c_str());
    std::cout << line
              << (progress && !progress->second.empty() ? progress->second
                  : j.error.empty()                     ? j.request.prompt.substr(0, 50)
                                                        : j.error)
              << "\n";
}

std::optional<std::int64_t> numberArgument(const ArgParser& args, std::size_t index) {
    if (args.positionals().size() <= index) {
        return std::nullopt;
    }
    try {
        std::size_t used = 0;
        const std::int64_t value = std::stoll(args.positionals()[index], &used);
        return used == args.positionals()[index].size() ? std::optional(value) : std::nullopt;
    } catch (const std::exception&) {
        return std::nullopt;
    }
}

int prioritizeJob(CliServices& services, JobId id, int priority) {
    JobStore store(*services.library);
    if (auto job = store.job(id); !job) {
        std::cerr << "ripen-cli queue priority: " << job.error().message << "\n";
        return kExitFailure;
    }
    if (auto set = store.setPriority(id, priority); !set) {
        std::cerr << "ripen-cli queue priority: " << set.error().message << "\n";
        return kExitFailure;
    }
    std::cout << "priority " << id << " " << priority << "\n";
    return kExitOk;
}

int listJobs(CliServices& services, bool json) {
    auto jobs = JobStore(*services.library).jobs();
    if (!jobs) {
        std::cerr << "ripen-cli queue: " << jobs.error().message << "\n";
        return kExitFailure;
    }
    const std::int64_t nowMs = unixMillis();
    const auto held = heldProviders(*services.library, nowMs);
    if (!json) {
        for (const auto& [provider, hold] : held) {
            printHold(hold, nowMs);
        }
    }
    for (const auto& job : *jobs) {
        if (json) {
            nlohmann::json row = jobJson(job);
            // A job that still has to be sent says why it is not.
            if (const auto hold = held.find(job.request.provider);
                hold != held.end() && !isFinal(job.state)) {
                row["provider_hold"] = holdJson(hold->second);
            }
            std::cout << row.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace) << "\n";
        } else {
            printJobRow(job);
        }
    }
    return kExitOk;
}

int retryJob(CliServices& services, JobId id) {
    JobStore store(*services.library);
    auto job = store.job(id);
    if (!job) {
        std::cerr << "ripen-cli queue retry: " << job.error().message << "\n";
        return kExitFailure;
    }
    if (job->state == JobState::Interrupted) {
        std::cout << "warning: job " << id << " may already have been charged by "
                  << job->request.provider << "; retrying it may charge it twice.\n";
    }
    if (auto retried = store.retry(id); !retried) {
        std::cerr << "ripen-cli queue retry: " << retried.error().message << "\n";
        return kExitFailure;
    }
    std::cout << "queued " << id << " estimate " << formatMicros(job->estimate) << " " << job->unit
              << "\n";
    return kExitOk;
}

int cancelJob(CliServices& services, JobId id) {
    if (auto canceled = JobStore(*services.library).cancel(id); !canceled) {
        std::cerr << "ripen-cli queue cancel: " << canceled.error().message << "\n";
        return kExitFailure;
    }
    std::cout << "canceled " << id << "\n";
    return kExitOk;
}

int runQueue(const CommandContext& context, const ArgParser& args) {
    const std::string action = args.positionals().empty() ? "list" : args.positionals()[0];
    auto services = CliServices::open(context.library);
    if (!services) {
        return kExitFailure;
    }
    if (action == "list") {
        return listJobs(*services, args.has("json"));
    }
    if (action == "run") {
        auto summary = runQueueAndReport(*services, {});
        if (!summary) {
            std::cerr << "ripen-cli queue run: "
                      << (summary.error().code == ErrorCode::DiskFull ? "disk full: " : "")
                      << summary.error().message << "\n";
            return kExitFailure;
        }
        return summary->failed + summary->interrupted > 0 ? kExitSkipped : kExitOk;
    }
    const auto id = numberArgument(args, 1);
    if (action == "priority") {
        const auto priority = numberArgument(args, 2);
        if (!id || !priority || args.positionals().size() != 3) {
            std::cerr << "ripen-cli queue priority: expected JOB-ID N\n";
            return kExitUsage;
        }
        return prioritizeJob(*services, *id, static_cast<int>(*priority));
    }
    if ((action == "retry" || action == "cancel") && (!id || args.positionals().size() != 2)) {
        std::cerr << "ripen-cli queue " << action << ": expected one JOB-ID\n";
        return kExitUsage;
    }
    if (action == "retry") {
        return retryJob(*services, *id);
    }
    if (action == "cancel") {
        return cancelJob(*services, *id);
    }
    std::cerr << "ripen-cli queue: unknown action '" << action
              << "' (list, run, retry, cancel, priority)\n";
    return kExitUsage;
}

} // namespace

Command queueCommand() {
    return {"queue",
            "queue [--json] | queue run | queue retry JOB-ID | queue cancel JOB-ID | "
            "queue priority JOB-ID N",
            "Shows and works the job queue, which lives in the library and survives restarts.\n"
            "  queue              lists jobs with state, provider, model and cost, after a\n"
            "                     line per provider held by a rate limit (429 Retry-After)\n"
            "  queue run          sends what is queued and resumes polling of jobs that hold a\n"
            "                     remote operation id, until nothing runnable is left; prints\n"
            "                     done/failed/interrupted lines; exit 3 if any failed\n"
            "  queue retry ID     queues a failed, canceled or interrupted job again; a job\n"
            "                     interrupted with its charge unknown may be charged twice\n"
            "  queue cancel ID    cancels a job (a running remote job may still be charged)\n"
            "  queue priority ID N  higher runs first among queued jobs (default 0)\n"
            "A paid request that may have reached the provider when Ripen stopped is never\n"
            "resent on its own: it waits as 'interrupted' for retry or cancel.",
            [](ArgParser& p) {
                p.addOption("json", false, "",
                            "one JSON object per job (with provider_hold while its "
                            "provider is rate limited)");
            },
            runQueue};
}

} // namespace ripen::cli

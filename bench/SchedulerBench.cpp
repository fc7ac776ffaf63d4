// bench_scheduler: the job queue's own cost (issue 3). JobRunner::runUntilIdle drives real
// OpenAiImagesProvider requests through the real HTTP client into a fresh library, against
// a loopback fake OpenAI (tests/support FakeHttpServer). Two measurements:
//   1. overhead: many jobs, zero server latency, so the wall time is all Ripen's (plus the
//      fake server's handler, timed and reported beside it); once with full-size replies and
//      once with 8x8 PNGs, whose difference is the image-size-dependent ingest work;
//   2. throughput: 200 ms of server latency at concurrency 8, against the ideal of
//      concurrency / latency jobs per second.
// The anchors are the fake server's own time and that ideal, both from this same run.
#include "BenchCommon.h"
#include "CommandLine.h"
#include "ResultTable.h"
#include "TimedImageReplies.h"

#include "catalog/Library.h"
#include "common/ResourceLocator.h"
#include "credits/PriceBook.h"
#include "jobs/JobRunner.h"
#include "jobs/JobStore.h"
#include "providers/openai/OpenAiImagesProvider.h"
#include "support/FakeHttpServer.h"

#include <algorithm>
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <map>
#include <mutex>
#include <stdexcept>

namespace rb = ripen::bench;

namespace {

class KeyCredentials final : public ripen::Credentials {
public:
    std::optional<std::string> get(std::string_view name) const override {
        if (name == "OPENAI_API_KEY") {
            return std::string("sk-bench");
        }
        return std::nullopt;
    }
};

struct Scenario {
    int jobs = 0;
    int imageSide = 0;
    std::chrono::milliseconds latency{0};
    int concurrency = 8;
};

struct RunResult {
    double wallSeconds = 0.0;
    double handlerSeconds = 0.0;
    double medianJobSeconds = 0.0; // Submitting event -> Succeeded event, per job
};

struct Figures {
    std::vector<double> wall;
    std::vector<double> handler;
    std::vector<double> perJob;
    std::size_t pngBytes = 0;

    double wallMedian() const { return rb::median(wall); }
};

std::string loadAverage() {
    std::ifstream in("/proc/loadavg");
    std::string one, five, fifteen;
    in >> one >> five >> fifteen;
    return one + " " + five + " " + fifteen;
}

// One measured run: a fresh library with `jobs` queued, then one runUntilIdle. Only the
// runner is timed; the queueing before it is setup.
RunResult runOnce(const Scenario& scenario, const ripen::PriceBook& prices, Figures& figures) {
    ripen::test::FakeHttpServer server;
    rb::TimedImageReplies replies(server, scenario.imageSide, scenario.latency);
    figures.pngBytes = replies.pngBytes();
    // The provider reads its base URL when it is built, so the variable comes first.
    ::setenv("RIPEN_OPENAI_BASE_URL", server.baseUrl().c_str(), 1);
    ripen::ProviderRegistry registry;
    registry.add(std::make_unique<ripen::OpenAiImagesProvider>(ripen::OpenAiImagesSettings{}),
                 ripen::ProviderLimits{scenario.concurrency, 100'000});
    const KeyCredentials credentials;
    const ripen::http::HttpClient http;

    const auto scratch = rb::makeScratchDir("ripen-bench-scheduler");
    const auto root = scratch / "library";
    {
        auto library = ripen::Library::open(root);
        if (!library) {
            throw std::runtime_error("cannot open a library: " + library.error().message);
        }
        ripen::GenerationRequest request;
        request.provider = "openai";
        request.model = "gpt-image-1";
        request.prompt = "a ceramic mug on a walnut table";
        auto estimate = prices.estimate(request);
        if (!estimate) {
            throw std::runtime_error("no estimate: " + estimate.error().message);
        }
        ripen::EnqueueOptions options;
        options.count = scenario.jobs;
        if (auto ids = ripen::JobStore(**library).enqueue(request, options, *estimate); !ids) {
            throw std::runtime_error("cannot enqueue: " + ids.error().message);
        }
    }

    std::mutex eventsMutex;
    std::map<ripen::JobId, rb::Clock::time_point> submitted;
    std::vector<double> jobSeconds;
    ripen::JobRunner runner(root, registry, credentials, prices, http);
    runner.subscribe([&](const ripen::JobEvent& event) {
        const auto now = rb::Clock::now();
        std::lock_guard lock(eventsMutex);
        if (event.state == ripen::JobState::Submitting) {
            submitted.emplace(event.id, now);
        } else if (event.state == ripen::JobState::Succeeded) {
            if (const auto it = submitted.find(event.id); it != submitted.end()) {
                jobSeconds.push_back(std::chrono::duration<double>(now - it->second).count());
            }
        }
    });
    const auto start = rb::Clock::now();
    auto summary = runner.runUntilIdle({});
    RunResult result;
    result.wallSeconds = rb::secondsSince(start);
    if (!summary) {
        throw std::runtime_error("runUntilIdle failed: " + summary.error().message);
    }
    if (summary->succeeded != scenario.jobs || replies.served() != scenario.jobs) {
        throw std::runtime_error(std::to_string(summary->succeeded) + " of " +
                                 std::to_string(scenario.jobs) + " jobs succeeded with " +
                                 std::to_string(replies.served()) + " requests served (" +
                                 std::to_string(summary->failed) + " failed, " +
                                 std::to_string(summary->interrupted) + " interrupted)");
    }
    result.handlerSeconds = replies.handlerSeconds();
    result.medianJobSeconds = rb::median(jobSeconds);
    std::filesystem::remove_all(scratch);
    return result;
}

Figures measure(const Scenario& scenario, int runs, const ripen::PriceBook& prices,
                const std::string& label) {
    Figures figures;
    for (int r = 0; r < runs; ++r) {
        const RunResult result = runOnce(scenario, prices, figures);
        figures.wall.push_back(result.wallSeconds);
        figures.handler.push_back(result.handlerSeconds);
        figures.perJob.push_back(result.medianJobSeconds);
        std::cout << label << " run " << r + 1 << "/" << runs << ": "
                  << rb::formatFixed(result.wallSeconds, 3) << " s wall, fake server handler "
                  << rb::formatFixed(result.handlerSeconds, 3) << " s; load "
                  << loadAverage() << "\n";
    }
    return figures;
}

std::string msPerJob(double seconds, int jobs) {
    return rb::formatFixed(seconds / jobs * 1e3, 2);
}

std::string sizeLabel(int side, std::size_t bytes) {
    return std::to_string(side) + "x" + std::to_string(side) + " PNG (" +
           (bytes >= 10 * 1024 ? std::to_string(bytes / 1024) + " KiB" :
                                 std::to_string(bytes) + " B") + ")";
}

int run(int argc, char** argv) {
    const rb::CommandLine args(argc, argv,
                               {"--jobs", "--latency-jobs", "--runs", "--image", "--latency-ms",
                                "--concurrency"},
                               {"--quick"});
    const bool quick = args.has("--quick");
    const int jobs = static_cast<int>(args.number("--jobs", quick ? 200 : 1000));
    const int latencyJobs = static_cast<int>(args.number("--latency-jobs", quick ? 80 : 200));
    const int runs = static_cast<int>(args.number("--runs", 3));
    const int side = static_cast<int>(args.number("--image", 1024));
    const auto latency = std::chrono::milliseconds(args.number("--latency-ms", 200));
    const int concurrency = static_cast<int>(args.number("--concurrency", 8));
    constexpr int kTinySide = 8;

    std::cout << "## bench_scheduler\n\nmachine: " << rb::machineDescription()
              << "; load average at start: " << loadAverage() << "\n";
    auto prices = ripen::PriceBook::load(ripen::resourceFile("pricebook.json"));
    if (!prices) {
        throw std::runtime_error("cannot load the price book: " + prices.error().message);
    }

    const Figures big = measure({jobs, side, {}, concurrency}, runs, *prices, "overhead, full");
    const Figures tiny =
        measure({jobs, kTinySide, {}, concurrency}, runs, *prices, "overhead, 8x8");
    const Figures bigLatency =
        measure({latencyJobs, side, latency, concurrency}, runs, *prices, "latency, full");
    const Figures tinyLatency =
        measure({latencyJobs, kTinySide, latency, concurrency}, runs, *prices, "latency, 8x8");

    const std::string bigName = sizeLabel(side, big.pngBytes);
    const std::string tinyName = sizeLabel(kTinySide, tiny.pngBytes);
    rb::ResultTable overhead({"1. overhead: " + std::to_string(jobs) +
                                  " jobs, zero latency, concurrency " +
                                  std::to_string(concurrency) + " (median of " +
                                  std::to_string(runs) + ")",
                              "replies " + bigName, "replies " + tinyName});
    overhead.addRow({"wall time of runUntilIdle", rb::formatDuration(big.wallMedian()),
                     rb::formatDuration(tiny.wallMedian())});
    overhead.addRow({"ms per job (lower is better)", msPerJob(big.wallMedian(), jobs),
                     msPerJob(tiny.wallMedian(), jobs)});
    overhead.addRow({"jobs per second (higher is better)",
                     rb::formatFixed(jobs / big.wallMedian(), 1),
                     rb::formatFixed(jobs / tiny.wallMedian(), 1)});
    overhead.addRow({"fake server handler, ms per job (inside the wall time)",
                     msPerJob(rb::median(big.handler), jobs),
                     msPerJob(rb::median(tiny.handler), jobs)});
    overhead.addRow({"median job, Submitting -> Succeeded event",
                     rb::formatDuration(rb::median(big.perJob)),
                     rb::formatDuration(rb::median(tiny.perJob))});
    overhead.addRow({"ratio to the 8x8 run (wall)",
                     rb::ratioText(big.wallMedian(), tiny.wallMedian()), "1.00x"});

    const double ideal = concurrency / (static_cast<double>(latency.count()) / 1e3);
    const auto rate = [&](const Figures& f) { return latencyJobs / f.wallMedian(); };
    rb::ResultTable throughput({"2. throughput: " + std::to_string(latencyJobs) + " jobs, " +
                                    std::to_string(latency.count()) + " ms latency, concurrency " +
                                    std::to_string(concurrency) + " (median of " +
                                    std::to_string(runs) + ")",
                                "replies " + bigName, "replies " + tinyName});
    throughput.addRow({"wall time of runUntilIdle", rb::formatDuration(bigLatency.wallMedian()),
                       rb::formatDuration(tinyLatency.wallMedian())});
    throughput.addRow({"jobs per second (higher is better)", rb::formatFixed(rate(bigLatency), 1),
                       rb::formatFixed(rate(tinyLatency), 1)});
    throughput.addRow({"ideal: concurrency / latency, jobs per second", rb::formatFixed(ideal, 1),
                       rb::formatFixed(ideal, 1)});
    throughput.addRow({"fraction of the ideal", rb::ratioText(rate(bigLatency), ideal),
                       rb::ratioText(rate(tinyLatency), ideal)});
    throughput.addRow({"median job, Submitting -> Succeeded event (latency included)",
                       rb::formatDuration(rb::median(bigLatency.perJob)),
                       rb::formatDuration(rb::median(tinyLatency.perJob))});

    std::cout << "\nRipen = JobRunner::runUntilIdle on a fresh library per run: claim, "
                 "OpenAiImagesProvider over libcurl to a loopback fake, ingest (decode, "
                 "thumbnail, blob + fsync), complete + settle.\nfake server handler = building "
                 "the reply (unique PNG, base64, JSON), without its latency sleep; HTTP "
                 "transport not included.\n\n"
              << overhead.toMarkdown() << "\n"
              << throughput.toMarkdown() << "\nprocess peak RSS (ru_maxrss): "
              << rb::maxRssKiBRusage() / 1024 << " MiB; load average at end: " << loadAverage()
              << "\n";
    return 0;
}

} // namespace

int main(int argc, char** argv) {
    try {
        return run(argc, argv);
    } catch (const std::exception& e) {
        std::cerr << "bench_scheduler: " << e.what() << "\n";
        return 1;
    }
}

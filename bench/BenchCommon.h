#pragma once

#include "common/Error.h"

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

// Small helpers shared by the bench programs. Benchmarks report medians because one slow
// run (another process on the shared 2 vCPU) must not move the figure.
namespace ripen::bench {

using Clock = std::chrono::steady_clock;

double secondsSince(Clock::time_point start);
double median(std::vector<double> values);


// Where generated corpora and catalogs are cached between runs: $RIPEN_BENCH_CACHE, else
// $TMPDIR/ripen-bench, else /tmp/ripen-bench.
std::filesystem::path cacheRoot();

// A fresh, empty scratch folder under the system temp folder (removed by the caller).
std::filesystem::path makeScratchDir(std::string_view prefix);

// Peak resident set: resetPeakRss() sets the high-water mark to the current RSS (Linux
// /proc/self/clear_refs "5"), so the peak of one phase can be read with peakRssKiB().
// Returns false when the kernel refuses; the peak then covers the whole process so far.
bool resetPeakRss();
std::int64_t peakRssKiB();       // VmHWM from /proc/self/status
std::int64_t maxRssKiBRusage();  // getrusage(RUSAGE_SELF).ru_maxrss

// CPU time the whole process has used so far (all threads, getrusage(RUSAGE_SELF)): two
// readings bracket one phase, so its CPU cost is measured without the set-up around it.
struct ProcessCpu {
    double userSeconds = 0;
    double systemSeconds = 0;
    std::int64_t minorFaults = 0; // pages the kernel had to map (zeroed) on first touch
    ProcessCpu operator-(const ProcessCpu& earlier) const {
        return {userSeconds - earlier.userSeconds, systemSeconds - earlier.systemSeconds,
                minorFaults - earlier.minorFaults};
    }
};
ProcessCpu processCpu();

std::string machineDescription(); // CPU model and online cores, for the report header

std::string formatDuration(double seconds); // "103 µs", "4.44 ms", "1.25 s"
std::string formatFixed(double value, int decimals);

// The value of `result`, or a std::runtime_error naming `what`: bench programs stop at the
// first failure and print it.
template <class T> T orThrow(ripen::Result<T> result, const std::string& what) {
    if (!result) {
        throw std::runtime_error(what + ": " + result.error().message);
    }
    return std::move(*result);
}

inline void orThrow(const ripen::Status& status, const std::string& what) {
    if (!status) {
        throw std::runtime_error(what + ": " + status.error().message);
    }
}

} // namespace ripen::bench

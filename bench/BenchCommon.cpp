#include "BenchCommon.h"

#include <sys/resource.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <random>
#include <stdexcept>

namespace ripen::bench {

double secondsSince(Clock::time_point start) {
    return std::chrono::duration<double>(Clock::now() - start).count();
}

double median(std::vector<double> values) {
    if (values.empty()) {
        return 0.0;
    }
    std::sort(values.begin(), values.end());
    const std::size_t mid = values.size() / 2;
    return values.size() % 2 == 1 ? values[mid] : (values[mid - 1] + values[mid]) / 2.0;
}

std::filesystem::path cacheRoot() {
    if (const char* explicitDir = std::getenv("RIPEN_BENCH_CACHE"); explicitDir && *explicitDir) {
        return explicitDir;
    }
    return std::filesystem::temp_directory_path() / "ripen-bench";
}

std::filesystem::path makeScratchDir(std::string_view prefix) {
    const auto base = std::filesystem::temp_directory_path();
    std::random_device entropy;
    for (int attempt = 0; attempt < 100; ++attempt) {
        const auto candidate =
            base / (std::string(prefix) + "-" + std::to_string(::getpid()) + "-" +
                    std::to_string(entropy() % 1'000'000));
        if (std::filesystem::create_directory(candidate)) {
            return candidate;
        }
    }
    throw std::runtime_error("cannot create a scratch folder under " + base.string());
}

bool resetPeakRss() {
    std::ofstream clear("/proc/self/clear_refs");
    clear << "5";
    clear.flush();
    return static_cast<bool>(clear);
}

std::int64_t peakRssKiB() {
    std::ifstream status("/proc/self/status");
    std::string line;
    while (std::getline(status, line)) {
        if (line.rfind("VmHWM:", 0) == 0) {
            return std::strtoll(line.c_str() + 6, nullptr, 10);
        }
    }
    return maxRssKiBRusage();
}

std::int64_t maxRssKiBRusage() {
    rusage usage{};
    ::getrusage(RUSAGE_SELF, &usage);
    return usage.ru_maxrss; // Linux reports KiB
}

ProcessCpu processCpu() {
    rusage usage{};
    ::getrusage(RUSAGE_SELF, &usage);
    const auto seconds = [](const timeval& t) {
        return static_cast<double>(t.tv_sec) + static_cast<double>(t.tv_usec) * 1e-6;
    };
    return {seconds(usage.ru_utime), seconds(usage.ru_stime), usage.ru_minflt};
}

std::string machineDescription() {
    std::ifstream cpuinfo("/proc/cpuinfo");
    std::string line;
    std::string model = "unknown CPU";
    while (std::getline(cpuinfo, line)) {
        if (line.rfind("model name", 0) == 0) {
            model = line.substr(line.find(':') + 2);
            break;
        }
    }
    return model + ", " + std::to_string(::sysconf(_SC_NPROCESSORS_ONLN)) + " online cores";
}

std::string formatFixed(double value, int decimals) {
    char text[64];
    std::snprintf(text, sizeof text, "%.*f", decimals, value);
    return text;
}

std::string formatDuration(double seconds) {
    if (seconds < 1e-3) {
        return formatFixed(seconds * 1e6, seconds < 1e-4 ? 1 : 0) + " µs";
    }
    if (seconds < 1.0) {
        return formatFixed(seconds * 1e3, seconds < 1e-2 ? 2 : 1) + " ms";
    }
    return formatFixed(seconds, 2) + " s";
}

} // namespace ripen::bench

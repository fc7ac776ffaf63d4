#pragma once

#include <chrono>
#include <cstdint>
#include <ctime>
#include <string>

namespace ripen {

// Wall-clock time as stored in the catalog: milliseconds since the Unix epoch, UTC.
inline std::int64_t unixMillis() {
    return std::chrono::duration_cast<std::chrono::milliseconds>(
               std::chrono::system_clock::now().time_since_epoch())
        .count();
}

// `ms` (as unixMillis) in UTC through strftime's `pattern`, e.g. "2026-11-25 13:35:21".
inline std::string formatUtc(std::int64_t ms, const char* pattern = "%Y-%m-%d %H:%M:%S") {
    const std::time_t seconds = ms / 1000;
    std::tm utc{};
    gmtime_r(&seconds, &utc);
    char text[64];
    return std::string(text, std::strftime(text, sizeof text, pattern, &utc));
}

} // namespace ripen

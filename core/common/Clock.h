#pragma once

#include <chrono>
#include <cstdint>

namespace ripen {

// Wall-clock time as stored in the catalog: milliseconds since the Unix epoch, UTC.
inline std::int64_t unixMillis() {
    return std::chrono::duration_cast<std::chrono::milliseconds>(
               std::chrono::system_clock::now().time_since_epoch())
        .count();
}

} // namespace ripen

#pragma once

#include <chrono>
#include <cstdint>

namespace ripen {

// Transfer limits for Stability AI calls. The defaults suit the real service; tests use
// short ones to prove that a stalled server is given up on.
struct StabilitySettings {
    std::chrono::milliseconds connectTimeout{10'000};
    // Sync edits and upscales send nothing until the image is ready (tens of seconds), so
    // the deadline ends a stall and the low-speed window is as long as it.
    std::chrono::milliseconds requestDeadline{300'000};
    std::chrono::seconds lowSpeedWindow{300};
    std::int64_t lowSpeedBytes = 1;
    // A poll answers at once; its download of a 4K upscale is a few MB.
    std::chrono::milliseconds pollDeadline{120'000};
    // Image replies are streamed to a file; a 4x upscale of a 1 MP PNG is tens of MB.
    std::uint64_t maxImageBytes = 1ULL << 30;
    // Stability asks clients to poll results no more than once every 10 s.
    std::chrono::milliseconds minPollInterval{10'000};
    std::chrono::milliseconds maxPollInterval{30'000};
};

} // namespace ripen

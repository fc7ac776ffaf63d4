#pragma once

#include <chrono>
#include <cstdint>

namespace ripen {

// Transfer limits for OpenAI Images calls. The defaults suit the real service; tests use
// short ones to prove that a stalled server is given up on.
struct OpenAiImagesSettings {
    std::chrono::milliseconds connectTimeout{10'000};
    // gpt-image-1 at high quality takes one to two minutes and sends nothing meanwhile, so
    // the whole-request deadline (RELIABILITY.md P5: sync image <= 300 s) is what ends a
    // stall; the low-speed window is as long, or it would cut every slow generation.
    std::chrono::milliseconds requestDeadline{300'000};
    std::chrono::seconds lowSpeedWindow{300};
    std::int64_t lowSpeedBytes = 1;
    // Up to 10 images of base64 PNG in one JSON reply.
    std::uint64_t maxResponseBytes = 256ULL << 20;
};

} // namespace ripen

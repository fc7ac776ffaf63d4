#pragma once

#include "support/FakeHttpServer.h"

#include <atomic>
#include <chrono>
#include <cstdint>
#include <string>

namespace ripen::bench {

// OpenAI-shaped image generation replies for the scheduler and load benches. Every reply is
// a distinct PNG of one fixed size (a PNG encoded once, plus a per-request tEXt chunk), so
// every job stores its own asset as real generations do. The server shares the CPU with the
// client it serves, so its own work per reply is kept to copying: the reply's JSON text and
// the base64 of the PNG around the unique chunk are built once, before any request, and a
// reply only encodes its few-dozen-byte chunk. The handler's work is timed, without the
// latency sleep, so the bench can report what the fake server took out of the shared CPU.
class TimedImageReplies {
public:
    TimedImageReplies(test::FakeHttpServer& server, int imageSide,
                      std::chrono::milliseconds latency);

    int served() const { return m_served.load(); }
    double handlerSeconds() const { return static_cast<double>(m_handlerNanos.load()) * 1e-9; }
    std::size_t pngBytes() const { return m_pngBytes; }

private:
    // The reply's JSON text for request number `seed`.
    std::string replyBody(int seed) const;

    std::size_t m_pngBytes = 0;
    std::string m_bodyBeforeChunk; // JSON up to the base64, then the PNG up to its IHDR's end
    std::string m_bodyAfterChunk;  // the rest of the PNG in base64, then the end of the JSON
    std::atomic<int> m_served{0};
    std::atomic<std::int64_t> m_handlerNanos{0};
};

} // namespace ripen::bench

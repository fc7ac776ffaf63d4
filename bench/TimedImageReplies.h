#pragma once

#include "support/FakeHttpServer.h"

#include <atomic>
#include <chrono>
#include <cstdint>
#include <string>

namespace ripen::bench {

// OpenAI-shaped image generation replies for the scheduler bench. Every reply is a distinct
// PNG of one fixed size (a PNG encoded once, plus a per-request tEXt chunk), so every job
// stores its own asset as real generations do, while the server's own cost stays small and
// does not grow with the image. The handler's work is timed, without the latency sleep, so
// the bench can report what the fake server took out of the shared CPU.
class TimedImageReplies {
public:
    TimedImageReplies(test::FakeHttpServer& server, int imageSide,
                      std::chrono::milliseconds latency);

    int served() const { return m_served.load(); }
    double handlerSeconds() const { return static_cast<double>(m_handlerNanos.load()) * 1e-9; }
    std::size_t pngBytes() const { return m_basePng.size(); }

private:
    std::string uniquePng(int seed) const;

    std::string m_basePng;
    std::atomic<int> m_served{0};
    std::atomic<std::int64_t> m_handlerNanos{0};
};

} // namespace ripen::bench

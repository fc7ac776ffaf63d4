#include "TimedImageReplies.h"

#include "providers/ProviderSupport.h"
#include "support/TestImages.h"

#include <zlib.h>

#include <thread>

namespace ripen::bench {
namespace {

void appendBigEndian(std::string& out, std::uint32_t value) {
    for (int shift = 24; shift >= 0; shift -= 8) {
        out.push_back(static_cast<char>((value >> shift) & 0xFF));
    }
}

// PNG signature (8 bytes) + IHDR chunk (4 length + 4 type + 13 data + 4 CRC).
constexpr std::size_t kAfterIhdr = 33;

} // namespace

TimedImageReplies::TimedImageReplies(test::FakeHttpServer& server, int imageSide,
                                     std::chrono::milliseconds latency)
    : m_basePng(test::encodeTestImage(test::makeTestImage(imageSide, imageSide, 7), ".png")) {
    server.on("POST", "/v1/images/generations", [this, latency](const test::RecordedRequest&) {
        // The latency is the provider "thinking": it is not the server's CPU work, so it
        // stays outside the timed part.
        if (latency.count() > 0) {
            std::this_thread::sleep_for(latency);
        }
        const auto start = std::chrono::steady_clock::now();
        const int seed = ++m_served;
        auto reply = test::FakeReply::json(
            200, {{"created", 1764000000},
                  {"data", {{{"b64_json", providers::encodeBase64(uniquePng(seed))}}}},
                  {"usage", {{"input_tokens", 20}, {"output_tokens", 1056},
                             {"total_tokens", 1076}}}});
        m_handlerNanos += std::chrono::duration_cast<std::chrono::nanoseconds>(
                              std::chrono::steady_clock::now() - start)
                              .count();
        return reply;
    });
}

std::string TimedImageReplies::uniquePng(int seed) const {
    // A tEXt chunk makes the bytes (and so the content hash) unique without re-encoding;
    // decoders skip it, so the client's work is that of the base image.
    const std::string data = std::string("Comment") + '\0' + "bench reply " + std::to_string(seed);
    std::string chunk;
    appendBigEndian(chunk, static_cast<std::uint32_t>(data.size()));
    chunk += "tEXt" + data;
    const auto* typed = reinterpret_cast<const Bytef*>(chunk.data() + 4);
    appendBigEndian(chunk, static_cast<std::uint32_t>(
                               ::crc32(0L, typed, static_cast<uInt>(chunk.size() - 4))));
    std::string png = m_basePng;
    png.insert(kAfterIhdr, chunk);
    return png;
}

} // namespace ripen::bench

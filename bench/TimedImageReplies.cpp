#include "TimedImageReplies.h"

#include "providers/ProviderSupport.h"
#include "support/TestImages.h"

#include <thread>
#include <zlib.h>

namespace ripen::bench {
namespace {

void appendBigEndian(std::string& out, std::uint32_t value) {
    for (int shift = 24; shift >= 0; shift -= 8) {
        out.push_back(static_cast<char>((value >> shift) & 0xFF));
    }
}

// PNG signature (8 bytes) + IHDR chunk (4 length + 4 type + 13 data + 4 CRC): a multiple
// of 3 bytes, so the base64 of what precedes and follows the inserted chunk does not
// depend on it as long as the chunk is a multiple of 3 bytes too.
constexpr std::size_t kAfterIhdr = 33;
static_assert(kAfterIhdr % 3 == 0);

// A tEXt chunk that makes the bytes (and so the content hash) unique without re-encoding;
// decoders skip it, so the client's work is that of the base image. Padded with spaces to
// a multiple of 3 bytes.
std::string uniqueTextChunk(int seed) {
    std::string data = std::string("Comment") + '\0' + "bench reply " + std::to_string(seed);
    while ((data.size() + 12) % 3 != 0) {
        data.push_back(' ');
    }
    std::string chunk;
    appendBigEndian(chunk, static_cast<std::uint32_t>(data.size()));
    chunk += "tEXt" + data;
    const auto* typed = reinterpret_cast<const Bytef*>(chunk.data() + 4);
    appendBigEndian(
        chunk, static_cast<std::uint32_t>(::crc32(0L, typed, static_cast<uInt>(chunk.size() - 4))));
    return chunk;
}

} // namespace

TimedImageReplies::TimedImageReplies(test::FakeHttpServer& server, int imageSide,
                                     std::chrono::milliseconds latency) {
    const std::string png =
        test::encodeTestImage(test::makeTestImage(imageSide, imageSide, 7), ".png");
    m_pngBytes = png.size();
    const std::string_view bytes(png);
    // The same JSON that nlohmann would write for the reply: keys in order, no spaces.
    m_bodyBeforeChunk = R"({"created":1764000000,"data":[{"b64_json":")" +
                        providers::encodeBase64(bytes.substr(0, kAfterIhdr));
    m_bodyAfterChunk = providers::encodeBase64(bytes.substr(kAfterIhdr)) +
                       R"("}],"usage":{"input_tokens":20,"output_tokens":1056,)"
                       R"("total_tokens":1076}})";
    server.on("POST", "/v1/images/generations", [this, latency](const test::RecordedRequest&) {
        // The latency is the provider "thinking": it is not the server's CPU work, so it
        // stays outside the timed part.
        if (latency.count() > 0) {
            std::this_thread::sleep_for(latency);
        }
        const auto start = std::chrono::steady_clock::now();
        auto reply = test::FakeReply::text(200, replyBody(++m_served), "application/json");
        m_handlerNanos += std::chrono::duration_cast<std::chrono::nanoseconds>(
                              std::chrono::steady_clock::now() - start)
                              .count();
        return reply;
    });
}

std::string TimedImageReplies::replyBody(int seed) const {
    const std::string chunk = providers::encodeBase64(uniqueTextChunk(seed));
    std::string body;
    body.reserve(m_bodyBeforeChunk.size() + chunk.size() + m_bodyAfterChunk.size());
    body += m_bodyBeforeChunk;
    body += chunk;
    body += m_bodyAfterChunk;
    return body;
}

} // namespace ripen::bench

// Retry-After (delay-seconds or an HTTP-date) and Gemini's protobuf durations: no input
// may crash, overflow or give a negative wait.
#include "FuzzSupport.h"
#include "providers/ProviderSupport.h"

#include <cstdlib>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const auto text = ripen::fuzz::textOf(data, size);
    const auto now = std::chrono::system_clock::time_point(std::chrono::seconds(1764000000));
    const auto wait = ripen::providers::parseRetryAfter(text, now);
    const auto duration = ripen::providers::parseProtobufDuration(text);
    if ((wait && wait->count() < 0) || (duration && duration->count() < 0)) {
        std::abort();
    }
    return 0;
}

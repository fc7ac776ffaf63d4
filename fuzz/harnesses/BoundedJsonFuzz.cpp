// BoundedJson: any bytes give JSON within the depth limit or an error, and whatever it
// accepts can be copied and dumped (the 100 000-deep crash of RELIABILITY.md I6).
#include "FuzzSupport.h"
#include "common/BoundedJson.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    auto parsed = ripen::parseBoundedJson(ripen::fuzz::textOf(data, size), "fuzz input", 16);
    if (parsed) {
        const nlohmann::json copy = *parsed;
        (void)copy.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
    }
    return 0;
}

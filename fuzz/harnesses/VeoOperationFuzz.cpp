// Veo: a long-running operation as predictLongRunning and operations.get return it
// (running, finished with clips, filtered by the safety filter, failed).
#include "FuzzSupport.h"
#include "common/BoundedJson.h"
#include "providers/google/VeoOperation.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    auto json = ripen::parseBoundedJson(ripen::fuzz::textOf(data, size), "fuzz operation");
    if (!json) {
        return 0;
    }
    auto operation = ripen::providers::google::readVeoOperation(*json, ripen::fuzz::kFuzzApiKey);
    if (!operation) {
        ripen::fuzz::requireNoKey(operation.error().message);
    } else {
        ripen::fuzz::requireNoKey(operation->filteredReasons);
    }
    return 0;
}

// Stability v2beta replies: the JSON image reply, the error reply and the async id.
#include "FuzzSupport.h"
#include "providers/stability/StabilityReply.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    using namespace ripen::providers;
    const auto key = ripen::fuzz::kFuzzApiKey;
    ripen::http::Response response;
    response.status = 200;
    response.body = std::string(ripen::fuzz::textOf(data, size));
    response.headers = {{"content-type", "application/json"}, {"finish-reason", "SUCCESS"}};
    if (auto image = readStabilityImageReply(response, ripen::fuzz::scratchDir(), key); !image) {
        ripen::fuzz::requireNoKey(image.error().message);
    }
    if (auto id = readStabilityGenerationId(response, key); !id) {
        ripen::fuzz::requireNoKey(id.error().message);
    }
    response.status = 403;
    ripen::fuzz::requireNoKey(stabilityErrorFailure(response, key).message);
    ripen::fuzz::clearScratch();
    return 0;
}

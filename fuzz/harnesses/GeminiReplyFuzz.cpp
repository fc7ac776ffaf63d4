// Gemini: a generateContent reply (images saved to scratch), an error reply
// (google.rpc.Status with details) and a finished operation's error.
#include "FuzzSupport.h"
#include "common/BoundedJson.h"
#include "providers/google/GeminiErrors.h"
#include "providers/google/GeminiImageClient.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    using namespace ripen::providers::google;
    const auto key = ripen::fuzz::kFuzzApiKey;
    ripen::http::Response response;
    response.status = 429;
    response.body = std::string(ripen::fuzz::textOf(data, size));
    ripen::fuzz::requireNoKey(GeminiErrors::fromReply(response, key).message);
    auto json = ripen::parseBoundedJson(response.body, "fuzz reply");
    if (!json) {
        return 0;
    }
    if (json->is_object() && json->contains("error")) {
        ripen::fuzz::requireNoKey(GeminiErrors::fromOperationError((*json)["error"], key).message);
    }
    ripen::GenerationRequest request;
    request.provider = "google";
    request.model = "gemini-2.5-flash-image";
    request.prompt = "a lighthouse at dusk";
    (void)GeminiImageClient(GoogleSettings{}).readReply(*json, request, ripen::fuzz::scratchDir());
    ripen::fuzz::clearScratch();
    return 0;
}

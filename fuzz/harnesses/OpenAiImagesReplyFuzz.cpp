// An OpenAI Images reply as the server sends it: the first byte picks the status, the rest
// is the body. Saved images land in the scratch folder; the key is never echoed.
#include "FuzzSupport.h"
#include "providers/openai/OpenAiImagesReply.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    static constexpr int kStatuses[] = {200, 200, 400, 401, 429, 500, 503, 201};
    ripen::http::Response response;
    response.status = size == 0 ? 200 : kStatuses[data[0] % 8];
    response.body = std::string(ripen::fuzz::textOf(data, size).substr(size == 0 ? 0 : 1));
    response.headers = {{"content-type", "application/json"}};
    auto outcome = ripen::providers::readOpenAiImagesReply(response, ripen::fuzz::scratchDir(),
                                                           ripen::fuzz::kFuzzApiKey);
    if (!outcome) {
        ripen::fuzz::requireNoKey(outcome.error().message);
    }
    ripen::fuzz::clearScratch();
    return 0;
}

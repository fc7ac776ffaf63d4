// ComfyUI: replies of POST /prompt, GET /history/{id} (then the outputs of its entry) and
// GET /queue. The first byte picks the reader (low 2 bits) and the HTTP status (next 2).
#include "FuzzSupport.h"
#include "providers/comfyui/ComfyReply.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    using namespace ripen::providers::comfyui;
    static constexpr int kStatuses[] = {200, 200, 400, 500};
    static const std::string kPromptId = "p1-0b1c2d3e";
    const std::uint8_t selector = size == 0 ? 0 : data[0];
    ripen::http::Response response;
    response.status = kStatuses[(selector >> 2) % 4];
    response.body = std::string(ripen::fuzz::textOf(data, size).substr(size == 0 ? 0 : 1));
    response.headers = {{"content-type", "application/json"}};
    switch (selector % 4) {
    case 0:
        if (auto queued = readComfyPromptReply(response);
            queued && !isSafeComfyName(queued->promptId)) {
            __builtin_trap(); // an id that could reach a URL unchecked
        }
        break;
    case 2:
        (void)readComfyQueue(response, kPromptId);
        break;
    default:
        if (auto entry = readComfyHistory(response, kPromptId); entry && *entry) {
            (void)readComfyOutputs(**entry, kPromptId, 64);
        }
        break;
    }
    return 0;
}

// AUTOMATIC1111 / Forge: a txt2img/img2img or extra-single-image reply as the server sends
// it (the first byte picks the HTTP status); images are saved into the scratch folder.
#include "FuzzSupport.h"
#include "providers/automatic1111/A1111Reply.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    using namespace ripen::providers::automatic1111;
    static constexpr int kStatuses[] = {200, 200, 422, 401, 404, 500, 200, 503};
    ripen::http::Response response;
    response.status = size == 0 ? 200 : kStatuses[data[0] % 8];
    response.body = std::string(ripen::fuzz::textOf(data, size).substr(size == 0 ? 0 : 1));
    response.headers = {{"content-type", "application/json"}};
    auto reply = readA1111Reply(response, 64ULL << 20);
    if (reply) {
        (void)readA1111Images(*reply, ripen::fuzz::scratchDir());
        (void)readA1111Upscale(*reply, ripen::fuzz::scratchDir(), "R-ESRGAN 4x+");
    }
    ripen::fuzz::clearScratch();
    return 0;
}

// Kling: the reply envelope of a create or query call (the first byte picks the HTTP status
// and whether the call was the create POST), then the task its data describes.
#include "FuzzSupport.h"
#include "providers/kling/KlingReply.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    using namespace ripen::providers;
    static constexpr int kStatuses[] = {200, 200, 400, 401, 429, 500, 404, 200};
    const std::uint8_t selector = size == 0 ? 0 : data[0];
    ripen::http::Response response;
    response.status = kStatuses[selector % 8];
    response.body = std::string(ripen::fuzz::textOf(data, size).substr(size == 0 ? 0 : 1));
    response.headers = {{"content-type", "application/json"}};
    const auto unreadable = (selector & 8) != 0 ? ripen::ProviderFailure::Kind::Ambiguous
                                                : ripen::ProviderFailure::Kind::Retryable;
    auto reply = kling::readKlingReply(response, unreadable);
    if (!reply) {
        return 0;
    }
    (void)kling::isSafeKlingId(kling::klingString(*reply, "task_id"));
    auto task = kling::readKlingTask(*reply, response.status);
    if (task && task->costMicros && *task->costMicros < 0) {
        __builtin_trap(); // a charge is never negative
    }
    return 0;
}

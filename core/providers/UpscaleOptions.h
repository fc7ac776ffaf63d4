#pragma once

#include "providers/GenerationRequest.h"

#include <opencv2/core/types.hpp>
#include <optional>
#include <vector>

namespace ripen {

// What an upscale request made by upscaleRequest (jobs/UpscaleJob.h) carries in its
// options, read back by the engines and the queue.

// The exact size an upscale job must deliver; nullopt for requests made otherwise.
std::optional<cv::Size> upscaleTargetOf(const GenerationRequest& request);
// The passes a local engine runs in order (empty when the request names none).
std::vector<int> upscalePassesOf(const GenerationRequest& request);
// How many requests the job sends, each priced as one: a provider's upscale sends one per
// pass (UpscaleChain); everything else, the local provider's chained passes included, one.
int requestsSentBy(const GenerationRequest& request);

} // namespace ripen

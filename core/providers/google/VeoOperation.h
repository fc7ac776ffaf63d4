#pragma once

#include "providers/ProviderTypes.h"

#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <vector>

namespace ripen::providers::google {

// One generated clip of a finished Veo operation: a URI to download, or the video itself.
struct VeoSample {
    std::string uri;          // to fetch (the key goes only where GoogleUrls::keyAllowed)
    std::string encodedVideo; // base64, when Google inlines the clip instead
};

// A Veo long-running operation as predictLongRunning or operations.get return it.
struct VeoOperation {
    std::string name; // "models/veo-.../operations/..." as sent (unchecked)
    bool done = false;
    std::vector<VeoSample> samples; // at least one when done
    std::int64_t filteredCount = 0; // raiMediaFilteredCount: samples the safety filter removed
    std::string filteredReasons;    // raiMediaFilteredReasons joined by "; ", key scrubbed
};

// Reads an operation object (untrusted; nothing here touches the network or the disk).
// Not done: the name only. Done: an "error" is GeminiErrors::fromOperationError
// (Blocked for content refusals, else Permanent); no response.generateVideoResponse is
// Permanent; no sample with a video is Blocked when the responsible-AI filter removed
// them (with Google's reasons), else Permanent; a sample with neither "uri" nor
// "encodedVideo" is Permanent. `apiKey` is scrubbed from every message.
ProviderOutcome<VeoOperation> readVeoOperation(const nlohmann::json& operation,
                                               std::string_view apiKey);

} // namespace ripen::providers::google

#include "providers/google/VeoOperation.h"

#include "providers/google/GeminiErrors.h"
#include "providers/google/GoogleJson.h"

#include <string>
#include <utility>

namespace ripen::providers::google {

ProviderOutcome<VeoOperation> readVeoOperation(const nlohmann::json& operation,
                                               std::string_view apiKey) {
    VeoOperation result;
    result.name = stringMember(operation, "name");
    const nlohmann::json* done = member(operation, "done");
    result.done = done != nullptr && done->is_boolean() && done->get<bool>();
    if (!result.done) {
        return result;
    }
    if (const nlohmann::json* error = member(operation, "error")) {
        return std::unexpected(GeminiErrors::fromOperationError(*error, apiKey));
    }
    const nlohmann::json* response = member(operation, "response");
    const nlohmann::json* videoResponse =
        response != nullptr ? member(*response, "generateVideoResponse") : nullptr;
    if (videoResponse == nullptr || !videoResponse->is_object()) {
        return std::unexpected(
            GeminiErrors::permanent("the Veo operation finished without a video response"));
    }

    std::int64_t& filteredCount = result.filteredCount;
    if (const nlohmann::json* count = member(*videoResponse, "raiMediaFilteredCount");
        count != nullptr && count->is_number_integer()) {
        filteredCount = count->get<std::int64_t>();
    }
    std::string& filteredReasons = result.filteredReasons;
    if (const nlohmann::json* reasons = member(*videoResponse, "raiMediaFilteredReasons");
        reasons != nullptr && reasons->is_array()) {
        for (const nlohmann::json& reason : *reasons) {
            if (reason.is_string()) {
                filteredReasons +=
                    (filteredReasons.empty() ? "" : "; ") + reason.get<std::string>();
            }
        }
    }
    filteredReasons = GeminiErrors::scrub(std::move(filteredReasons), apiKey);

    std::vector<const nlohmann::json*> videos;
    if (const nlohmann::json* samples = member(*videoResponse, "generatedSamples");
        samples != nullptr && samples->is_array()) {
        for (const nlohmann::json& sample : *samples) {
            if (const nlohmann::json* video = member(sample, "video");
                video != nullptr && video->is_object()) {
                videos.push_back(video);
            }
        }
    }
    if (videos.empty()) {
        if (filteredCount > 0 || !filteredReasons.empty()) {
            return std::unexpected(GeminiErrors::blocked(
                "Veo's safety filter removed the video" +
                (filteredReasons.empty() ? std::string() : ": " + filteredReasons)));
        }
        return std::unexpected(
            GeminiErrors::permanent("the Veo operation finished without any video"));
    }

    for (std::size_t i = 0; i < videos.size(); ++i) {
        VeoSample sample{stringMember(*videos[i], "uri"), stringMember(*videos[i], "encodedVideo")};
        if (sample.uri.empty() && sample.encodedVideo.empty()) {
            return std::unexpected(GeminiErrors::permanent("Veo sample " + std::to_string(i + 1) +
                                                           " has neither a uri nor encoded video"));
        }
        result.samples.push_back(std::move(sample));
    }
    return result;
}

} // namespace ripen::providers::google

#pragma once

#include "providers/GenerationRequest.h"
#include "providers/Provider.h"
#include "providers/ProviderTypes.h"
#include "providers/google/GoogleSettings.h"
#include "providers/google/VeoOperation.h"

#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

namespace ripen::providers::google {

// Veo image-to-video through the Gemini API (providers.md §2): a long-running operation.
//   start:    POST {base}/v1beta/models/{model}:predictLongRunning -> {"name": ...}
//   poll:     GET  {base}/v1beta/{name} until "done"
//   download: GET  response.generateVideoResponse.generatedSamples[].video.uri
//
// Stateless apart from its settings: every call may run on its own thread. Nothing is
// remembered between calls, so polling resumes after a restart from the persisted
// operation name alone, and a download cut half-way is simply fetched again by the next
// poll (the operation stays "done" on the server).
class VeoClient {
public:
    explicit VeoClient(GoogleSettings settings);

    // Running with the operation name to persist; a cut reply is Ambiguous.
    ProviderOutcome<ProviderResult> start(const ProviderContext& context,
                                          const GenerationRequest& request,
                                          std::string_view apiKey) const;

    // Running while the operation runs; Done with the downloaded clips; an operation error
    // is Permanent, or Blocked for content refusals; a finished operation whose samples
    // were all removed by the responsible-AI filter (raiMediaFilteredCount /
    // raiMediaFilteredReasons) is Blocked with Google's reasons. Transport trouble,
    // 5xx and a garbled reply are Retryable: asking again costs nothing.
    ProviderOutcome<ProviderResult> poll(const ProviderContext& context,
                                         const std::string& operationName,
                                         const GenerationRequest& request,
                                         std::string_view apiKey) const;

    // instances[0]: prompt, image {bytesBase64Encoded, mimeType} from request.images[0],
    // lastFrame from request.images[1] when options "lastFrame" is true. parameters:
    // aspectRatio, durationSeconds, negativePrompt, resolution (options "resolution" or
    // an imageSize such as "720p"), personGeneration, sampleCount, enhancePrompt.
    // The Gemini API refuses a seed for Veo, so a seed is not sent.
    ProviderOutcome<nlohmann::json> buildBody(const GenerationRequest& request) const;

    // Fetches one generated clip into context.workDir. Redirects are followed here, hop by
    // hop, instead of by libcurl, so the decision to send the API key is made for every
    // URL: the key goes only to the configured base's origin and to Google's own https
    // endpoint, never to a storage host a redirect points at.
    ProviderOutcome<GeneratedFile> download(const ProviderContext& context, const std::string& uri,
                                            std::string_view apiKey) const;

private:
    ProviderOutcome<ProviderResult> finished(const ProviderContext& context,
                                             const VeoOperation& operation,
                                             const GenerationRequest& request,
                                             std::string_view apiKey) const;
    ProviderOutcome<GeneratedFile> saveEncoded(const ProviderContext& context,
                                               const std::string& base64) const;

    GoogleSettings m_settings;
};

} // namespace ripen::providers::google

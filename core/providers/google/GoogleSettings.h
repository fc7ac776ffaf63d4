#pragma once

#include <chrono>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace ripen {
class ModelCatalog;
}

namespace ripen::providers::google {

// What Ripen knows about one family of Gemini image models. Matched by prefix so that
// "gemini-3-pro-image" also covers "gemini-3-pro-image-preview" and dated variants.
struct GeminiModelTraits {
    std::string modelPrefix;
    int maxReferenceImages = 3;     // input images per prompt, the image to edit included
    bool supportsImageSize = false; // imageConfig.imageSize ("1K"/"2K"/"4K") is accepted
};

// Configuration of the Google provider. Model facts are data handed in here (from
// resources/models.json or Settings), so a renamed or new model needs no code change;
// defaults() holds what providers.md §1 documents today.
struct GoogleSettings {
    // Longest matching prefix wins; a model matching none gets the defaults below.
    std::vector<GeminiModelTraits> models;
    int defaultMaxReferenceImages = 3;
    // Unknown (newer) models get imageSize sent: Google refuses it with a free 400 when a
    // model does not take it, while silently dropping it would deliver the wrong size.
    bool defaultSupportsImageSize = true;

    // Inline uploads: Vertex documents 7 MB per inline image, and Google's own clients
    // keep the whole inline request under 20 MB (providers.md §1.3). Bytes, before base64.
    std::uint64_t maxInputImageBytes = 7ULL * 1000 * 1000;
    std::uint64_t maxInlineRequestBytes = 20ULL * 1000 * 1000; // base64 text of all images

    // A 4K PNG as base64 is about 1.37x its size; 64 MiB holds any Gemini reply.
    std::uint64_t maxReplyBytes = 64ULL << 20;
    std::uint64_t maxVideoBytes = 2ULL << 30; // one downloaded Veo clip

    // generateContent is one long request: 4K Pro generations take minutes.
    std::chrono::milliseconds imageDeadline{300'000};
    std::chrono::milliseconds submitDeadline{120'000}; // predictLongRunning
    std::chrono::milliseconds pollDeadline{60'000};    // one operations.get
    std::chrono::milliseconds downloadDeadline{600'000};
    int maxRedirects = 5; // Veo video download

    // The table from providers.md §1.3 (Vertex model pages, as seen 2026):
    //   gemini-2.5-flash-image[-preview]  3 input images, 1K only (imageSize not taken)
    //   gemini-3-pro-image[-preview]      14 input images, 1K/2K/4K
    //   gemini-3.1-flash-image[-preview]  14 input images, 1K/2K/4K (3P sources; verify)
    static GoogleSettings defaults();

    // defaults() updated from resources/models.json: every Google model there with a
    // max_reference_images gets that limit; one that lists image_sizes takes imageSize.
    // (An empty image_sizes list keeps the table's answer: in models.json it means "no
    // choice offered", which for Gemini 2.5 Flash Image is "1K only".)
    static GoogleSettings fromCatalog(const ModelCatalog& catalog);

    const GeminiModelTraits* traitsFor(std::string_view model) const;
    int maxReferenceImagesFor(std::string_view model) const;
    bool supportsImageSizeFor(std::string_view model) const;
};

} // namespace ripen::providers::google

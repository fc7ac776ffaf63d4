#pragma once

#include "common/Error.h"
#include "providers/GenerationRequest.h"
#include "providers/http/HttpTypes.h"

#include <string>
#include <vector>

namespace ripen::providers {

// One Stability v2beta operation and the form fields it takes.
struct StabilityEndpoint {
    std::string name;   // "upscale/fast", "edit/inpaint", ... (for messages and provenance)
    std::string path;   // "/v2beta/stable-image/upscale/fast"
    bool async = false; // creative upscale: returns an id to poll
    bool needsPrompt = false;
    bool takesMask = false;
    bool takesNegativePrompt = false;
    bool takesSeed = false;
    bool takesCreativity = false;
    bool takesStylePreset = false;
    bool takesGrowMask = false;
};

// The endpoint for a job: Upscale by GenerationRequest::upscaleMode ("fast" when empty,
// "conservative", "creative"), Inpaint, Erase. Errors: InvalidArgument for another kind or
// an unknown mode.
Result<StabilityEndpoint> stabilityEndpoint(const GenerationRequest& request);

// The text fields of the form, checked against the ranges Stability documents (seed
// 0..4294967294, creativity 0.1..0.5, grow_mask 0..100, prompts <= 10000 characters,
// output_format png/jpeg/webp). Options: "output_format", "creativity", "style_preset",
// "grow_mask". Errors: InvalidArgument naming the field, before anything is sent.
Result<std::vector<http::MultipartPart>> stabilityTextFields(const GenerationRequest& request,
                                                             const StabilityEndpoint& endpoint);

} // namespace ripen::providers

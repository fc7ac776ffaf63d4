#pragma once

#include "common/Error.h"
#include "providers/GenerationRequest.h"

#include <nlohmann/json.hpp>

namespace ripen::providers {

// The model and settings of a generation or edit, checked and typed as OpenAI's Images API
// takes them: "model", "prompt", and where given "n" (1..10), "size", "quality",
// "background", "output_format", "output_compression" (0..100), "moderation" and, for
// edits, "input_fidelity". Values come from GenerationRequest (model, prompt, imageSize or
// aspectRatio 1:1 / 3:2 / 2:3) and its options object. OpenAI has no negative prompt or
// seed, so those are not sent. Errors: InvalidArgument naming the field, before anything
// is sent.
Result<nlohmann::json> openAiImageParameters(const GenerationRequest& request, bool forEdit);

// A parameter as a multipart text value: strings as they are, numbers in JSON notation.
std::string multipartValue(const nlohmann::json& value);

} // namespace ripen::providers

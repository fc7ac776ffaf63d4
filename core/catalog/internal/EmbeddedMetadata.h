#pragma once

#include "catalog/GenerationMetadata.h"
#include "imaging/MediaFormat.h"

#include <string>
#include <string_view>
#include <vector>

namespace ripen {

// Generation metadata that other tools embedded in a file: AUTOMATIC1111/Forge write a
// "parameters" text chunk, ComfyUI writes "prompt" (API graph) and "workflow" (UI graph).
// Damaged or hostile metadata never fails an import; it is ignored and noted in `warnings`.
GenerationMetadata readEmbeddedMetadata(std::string_view fileBytes, MediaFormat format,
                                        std::vector<std::string>* warnings = nullptr);

} // namespace ripen

#pragma once

#include "catalog/Asset.h"
#include "catalog/GenerationMetadata.h"

#include <cstdint>
#include <optional>
#include <string>

namespace ripen {

// IPTC's digital source type: how a buyer, a marketplace or a platform's AI label learns
// that an image was made by a model. https://cv.iptc.org/newscodes/digitalsourcetype/
enum class DigitalSourceType {
    TrainedAlgorithmicMedia,             // made by a generative model
    CompositeWithTrainedAlgorithmicMedia // a user's own image edited with a model
};

// The IPTC code's full URI, as XMP stores it.
std::string digitalSourceTypeUri(DigitalSourceType type);
std::optional<DigitalSourceType> digitalSourceTypeFromUri(std::string_view uri);

// What an exported file says about where it came from: the generation (prompt, model,
// seed, parameters) and Ripen's own record (asset, stage, job, recipe run). Written into
// files as XMP (and EXIF where the format has it); read back by import and `ripen-cli info`.
struct Provenance {
    GenerationMetadata generation;
    // Empty when the image is not known to be AI-made (a user's photo with no lineage):
    // Ripen never labels such a file as generated.
    std::optional<DigitalSourceType> sourceType;
    std::string creatorTool; // "Ripen 0.1.0"
    std::optional<std::int64_t> assetId;
    std::string stage; // "master", "inpainted", ...
    std::optional<std::int64_t> jobId;
    std::string recipeRun;

    bool empty() const {
        return generation.empty() && !sourceType && creatorTool.empty() && !assetId &&
               stage.empty() && !jobId && recipeRun.empty();
    }
};

// The provenance of a library asset. `editedUserImage` is true when its lineage leads back
// to an imported image that no model made (then the type is the composite one). An asset
// with no provider, no model and no parents is a user's own file: no source type.
// The job and the recipe run come from the generation parameters "job_id" and
// "ripen_recipe_run", which the queue records (JobRunner) on every asset it stores.
Provenance provenanceOf(const Asset& asset, bool editedUserImage);

} // namespace ripen

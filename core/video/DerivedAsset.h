#pragma once

#include "catalog/Asset.h"
#include "catalog/Library.h"
#include "common/Error.h"
#include "common/ProgressSink.h"

#include <filesystem>
#include <nlohmann/json.hpp>
#include <string>

namespace ripen {

// What Ripen made locally from an asset, for the new asset's provenance.
struct Derivation {
    std::string operation;     // "camera-move", "cut", "frame": the generation's model id
    Stage stage = Stage::Clip; // clips and segments are Clip; frames None
    nlohmann::json params = nlohmann::json::object(); // move, duration, size, fps, crf, ...
};

// Brings `file` (a clip, segment or frame Ripen wrote) into the library through
// AssetIngest, as a child of `source`: same project and client, the derivation's stage,
// provider "ripen" and its params. One catalog transaction. When the same bytes are
// already an asset, that asset's id is returned instead of a second copy.
Result<AssetId> addDerivedAsset(Library& library, const std::filesystem::path& file,
                                const Asset& source, const Derivation& derivation,
                                ProgressSink& progress);

} // namespace ripen

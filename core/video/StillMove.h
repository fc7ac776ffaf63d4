#pragma once

#include "common/Error.h"
#include "common/ProgressSink.h"
#include "video/H264Settings.h"

#include <filesystem>
#include <nlohmann/json.hpp>
#include <string>

namespace ripen {

// A camera move asked for by name, as the CLI and the Motion view take it.
struct StillMoveRequest {
    std::string move; // pan-left ... dolly, or "path:FILE" for a keyframed path file
    double durationSeconds = 0;
    H264Settings video;
};

// Decodes the still (an untrusted image file, with the imaging limits), builds the move's
// camera path (reading and validating a path file), and renders it into `target`.
// Errors name the field at fault: "move", "duration", "size", "fps", "crf", "keys[2].w".
Status renderStillMove(const std::filesystem::path& still, const StillMoveRequest& request,
                       const std::filesystem::path& target, ProgressSink& progress);

// The provenance a rendered move carries in its asset's params.
nlohmann::json stillMoveParams(const StillMoveRequest& request);

} // namespace ripen

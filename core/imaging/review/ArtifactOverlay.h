#pragma once

#include "common/Error.h"
#include "imaging/review/ArtifactAnalysis.h"

#include <filesystem>
#include <opencv2/core/mat.hpp>

namespace ripen {

// The artifact maps as pictures a reviewer reads at a glance: transparent where the
// figure is below the "check" threshold, amber from it, red from "likely artifacts" on,
// more opaque the worse it gets. One pixel per block (Report::mapBlock); the view scales
// it over the upscale.
enum class ArtifactMap { Noise, Overshoot };

// BGRA 8-bit, the size of the report's block map.
cv::Mat artifactOverlay(const ArtifactAnalysis::Report& report, ArtifactMap map);

// Writes into `dir` (created if needed): noise-map.png and overshoot-map.png (the
// overlays), noise-map.tiff and overshoot-map.tiff (the block figures as 32-bit float,
// luma levels). Every file atomically. Errors: Io naming the file.
Status writeArtifactMaps(const ArtifactAnalysis::Report& report, const std::filesystem::path& dir);

} // namespace ripen

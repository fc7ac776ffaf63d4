#pragma once

#include "catalog/Library.h"
#include "common/Error.h"

#include <filesystem>

namespace ripen::cli {

// A reference image, mask or keyframe named on the command line is brought into the
// library first (or found there by content), so a queued job points at a file that
// survives restarts and the result's lineage names its inputs.
Result<std::filesystem::path> libraryCopyOf(Library& library, const std::filesystem::path& file,
                                            AssetKind kind);

} // namespace ripen::cli

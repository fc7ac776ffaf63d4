#pragma once

#include "catalog/Library.h"
#include "common/Error.h"

#include <filesystem>

namespace ripen {

// A reference image, mask or keyframe from outside the library is brought into it first (or
// found there by content), so a queued job points at a file that survives restarts and the
// result's lineage names its inputs. Returns the library's asset for the file.
Result<Asset> libraryCopyOf(Library& library, const std::filesystem::path& file, AssetKind kind);

} // namespace ripen

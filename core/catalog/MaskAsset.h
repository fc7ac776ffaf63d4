#pragma once

#include "catalog/Library.h"
#include "common/Error.h"

#include <filesystem>

namespace ripen {

// Keeps a mask painted on an image as an asset of kind "mask" whose parent is that image,
// so reopening the image can offer its masks and an inpaint result can name the mask it
// came from. One transaction; a mask already in the library (same bytes) is linked to the
// image instead of stored twice. Returns the mask asset.
// Errors: those of AssetIngest::prepare and the catalog.
Result<Asset> storeMaskFor(Library& library, AssetId image, const std::filesystem::path& maskFile);

} // namespace ripen

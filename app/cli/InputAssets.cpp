#include "InputAssets.h"

#include "catalog/LibraryCopy.h"

namespace ripen::cli {

Result<std::filesystem::path> libraryCopyOf(Library& library, const std::filesystem::path& file,
                                            AssetKind kind) {
    auto asset = ripen::libraryCopyOf(library, file, kind);
    if (!asset) {
        return std::unexpected(asset.error());
    }
    return library.blobFile(*asset);
}

} // namespace ripen::cli

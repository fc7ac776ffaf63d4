#include "catalog/LibraryCopy.h"

#include "catalog/AssetIngest.h"
#include "common/FileIo.h"
#include "common/Sha256.h"
#include "common/TextEncoding.h"
#include "imaging/ImageLimits.h"

namespace ripen {

Result<Asset> libraryCopyOf(Library& library, const std::filesystem::path& file, AssetKind kind) {
    Asset base;
    base.kind = kind;
    base.sourcePath = escapeInvalidUtf8(file.native());
    NullProgress progress;
    auto prepared = AssetIngest(library).prepare(file, base, progress);
    if (prepared) {
        auto id = library.catalog().addAsset(*prepared);
        if (!id) {
            return std::unexpected(id.error());
        }
        return library.catalog().asset(*id);
    }
    if (prepared.error().code != ErrorCode::Duplicate) {
        return std::unexpected(withContext(prepared.error(), escapeInvalidUtf8(file.native())));
    }
    auto bytes = readFileBounded(file, kMaxImageFileBytes);
    if (!bytes) {
        return std::unexpected(bytes.error());
    }
    auto existing = library.catalog().findBySha256(Sha256::ofBytes(*bytes));
    if (!existing || !*existing) {
        return std::unexpected(existing ? prepared.error() : existing.error());
    }
    return library.catalog().asset(**existing);
}

} // namespace ripen

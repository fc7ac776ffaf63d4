#include "catalog/MaskAsset.h"

#include "catalog/AssetIngest.h"
#include "common/FileIo.h"
#include "common/Sha256.h"
#include "common/TextEncoding.h"
#include "imaging/ImageLimits.h"

namespace ripen {

Result<Asset> storeMaskFor(Library& library, AssetId image, const std::filesystem::path& maskFile) {
    Asset base;
    base.kind = AssetKind::Mask;
    base.sourcePath = escapeInvalidUtf8(maskFile.native());
    base.parents = {image};
    NullProgress progress;
    auto prepared = AssetIngest(library).prepare(maskFile, base, progress);
    if (prepared) {
        auto id = library.catalog().addAsset(*prepared);
        if (!id) {
            return std::unexpected(id.error());
        }
        prepared->id = *id;
        return prepared;
    }
    if (prepared.error().code != ErrorCode::Duplicate) {
        return std::unexpected(withContext(prepared.error(), base.sourcePath));
    }
    auto bytes = readFileBounded(maskFile, kMaxImageFileBytes);
    if (!bytes) {
        return std::unexpected(bytes.error());
    }
    auto existing = library.catalog().findBySha256(Sha256::ofBytes(*bytes));
    if (!existing) {
        return std::unexpected(existing.error());
    }
    if (!*existing) {
        return std::unexpected(prepared.error());
    }
    if (auto linked = library.catalog().addParent(**existing, image); !linked) {
        return std::unexpected(linked.error());
    }
    return library.catalog().asset(**existing);
}

} // namespace ripen

#include "video/DerivedAsset.h"

#include "catalog/AssetIngest.h"
#include "common/FileDigest.h"
#include "common/FileIo.h"
#include "common/TextEncoding.h"

namespace ripen {

Result<AssetId> addDerivedAsset(Library& library, const std::filesystem::path& file,
                                const Asset& source, const Derivation& derivation,
                                ProgressSink& progress) {
    Asset base;
    base.sourcePath = escapeInvalidUtf8(file.native());
    base.project = source.project;
    base.client = source.client;
    base.stage = derivation.stage;
    base.parents = {source.id};
    base.generation.provider = "ripen";
    base.generation.modelId = derivation.operation;
    base.generation.prompt = source.generation.prompt;
    base.generation.params = derivation.params;
    AssetIngest ingest(library);
    auto prepared = ingest.prepare(file, base, progress);
    if (prepared) {
        return library.catalog().addAsset(*prepared);
    }
    if (prepared.error().code != ErrorCode::Duplicate) {
        return std::unexpected(prepared.error());
    }
    // The same render twice (x264 is deterministic): the earlier asset already holds it.
    auto sha = sha256OfFile(file);
    if (!sha) {
        return std::unexpected(sha.error());
    }
    auto found = ingest.existing(*sha);
    if (!found || !*found) {
        return std::unexpected(found ? prepared.error() : found.error());
    }
    return **found;
}

} // namespace ripen

#pragma once

#include "catalog/Asset.h"
#include "catalog/Library.h"
#include "common/Error.h"
#include "common/ProgressSink.h"
#include "imaging/DecodedImage.h"
#include "imaging/MediaFormat.h"

#include <filesystem>
#include <string>

namespace ripen {

// Turns one file into everything an asset row needs, without touching the catalog: the
// content is checked (by magic bytes, size and pixel limits, a full decode), copied into
// the blob store and given a thumbnail. Used by import and by the job queue, so that a
// file imported by hand and a file a provider returned are held to the same rules.
//
// The blob and thumbnail are on disk before any catalog row points at them; a crash in
// between leaves an unreferenced blob that the next ingest of the same bytes adopts.
class AssetIngest {
public:
    explicit AssetIngest(Library& library);

    // `base` carries what the caller knows (project, stage, prompt...); the result adds
    // kind, format, size, hash and blob path. Embedded generation metadata (A1111,
    // ComfyUI) fills base.generation only when the caller gave none.
    // ErrorCode::Duplicate when the same content is already an asset (the message names it).
    // `decoded`, when given, is a full decode of some bytes (a provider's verified result):
    // its pixels make the thumbnail only if the file read now holds exactly those bytes
    // (same SHA-256); any other file is decoded in full here as usual.
    Result<Asset> prepare(const std::filesystem::path& file, Asset base, ProgressSink& progress,
                          const DecodedImage* decoded = nullptr);

    // The asset id holding these bytes, if any.
    Result<std::optional<AssetId>> existing(const std::string& sha256);

private:
    Result<Asset> prepareImage(const std::filesystem::path& file, Asset asset,
                               const DecodedImage* decoded);
    Result<Asset> prepareVideo(int fd, const std::filesystem::path& file, MediaFormat format,
                               Asset asset, ProgressSink& progress);
    Status writeThumbnail(const std::string& sha256, const std::string& jpeg);
    Status refuseDuplicate(const std::string& sha256);

    Library& m_library;
};

} // namespace ripen

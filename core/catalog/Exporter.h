#pragma once

#include "catalog/Asset.h"
#include "catalog/Library.h"
#include "common/Error.h"

#include <filesystem>

namespace ripen {

struct ExportOptions {
    // Write provenance into the file: for PNG an AUTOMATIC1111-style "parameters" text
    // chunk, which A1111, Forge, InvokeAI and Ripen itself read back.
    bool writeMetadata = true;
};

// Writes an asset out of the library in its own format (no re-encoding, so pixels are
// bit-identical). `destination` is a file path, or an existing folder in which the file
// is named after the asset's source file. The file appears complete or not at all.
class Exporter {
public:
    explicit Exporter(Library& library);

    Result<std::filesystem::path> exportAsset(AssetId id, const std::filesystem::path& destination,
                                              const ExportOptions& options = {});

private:
    Result<std::filesystem::path> resolveDestination(const Asset& asset,
                                                     const std::filesystem::path& destination);

    Library& m_library;
};

} // namespace ripen

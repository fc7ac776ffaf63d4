#pragma once

#include "catalog/Asset.h"
#include "catalog/Library.h"
#include "common/Error.h"

#include <filesystem>
#include <string>

namespace ripen {

struct ExportOptions {
    // Write provenance into the file: for PNG an AUTOMATIC1111-style "parameters" text
    // chunk, which A1111, Forge, InvokeAI and Ripen itself read back.
    bool writeMetadata = true;
    // "png", "jpeg", "webp" or "tiff" to convert; empty keeps the asset's own format and
    // bytes (pixels bit-identical).
    std::string format;
    int quality = 92; // when converting to JPEG or WebP, 1-100
    int dpi = 0;      // > 0: the resolution the file states (PNG, JPEG, TIFF; WebP has none)
};

// Writes an asset out of the library in its own format (no re-encoding, so pixels are
// bit-identical; a PNG or JPEG resolution is set without touching pixels), or converted
// to another image format when options.format names one. With metadata on, images a model
// made or Ripen derived carry their provenance (EmbeddedProvenance: XMP with the prompt and
// IPTC digital source type, EXIF in JPEG/WebP/TIFF, an sRGB profile when the file has no
// colour profile, PNGs also an A1111 "parameters" chunk). `destination` is a file path, or an
// existing folder in which the file is named after the asset's source file. The file appears
// complete or not at all.
class Exporter {
public:
    explicit Exporter(Library& library);

    Result<std::filesystem::path> exportAsset(AssetId id, const std::filesystem::path& destination,
                                              const ExportOptions& options = {});

private:
    Result<std::filesystem::path> resolveDestination(const Asset& asset, const std::string& format,
                                                     const std::filesystem::path& destination);

    Library& m_library;
};

} // namespace ripen

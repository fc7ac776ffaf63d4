#include "catalog/Exporter.h"

#include "catalog/A1111Parameters.h"
#include "catalog/EmbeddedProvenance.h"
#include "catalog/Provenance.h"
#include "common/AtomicFileWriter.h"
#include "common/FileIo.h"
#include "common/Sha256.h"
#include "common/TextEncoding.h"
#include "imaging/ImageDecoder.h"
#include "imaging/ImageEncoder.h"
#include "imaging/ImageLimits.h"
#include "imaging/PngChunks.h"

#include <algorithm>
#include <cctype>
#include <optional>
#include <set>
#include <system_error>

namespace ripen {
namespace {

std::string lowerExtension(const std::filesystem::path& path) {
    std::string ext = path.extension().string();
    std::transform(ext.begin(), ext.end(), ext.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return ext.empty() ? ext : ext.substr(1);
}

bool extensionFits(const std::string& ext, const std::string& format) {
    if (ext == format) {
        return true;
    }
    if (format == "jpeg") {
        return ext == "jpg" || ext == "jpe";
    }
    if (format == "tiff") {
        return ext == "tif";
    }
    if (format == "mp4") {
        return ext == "m4v";
    }
    return false;
}

std::string preferredExtension(const std::string& format) {
    if (format == "jpeg") {
        return "jpg";
    }
    if (format == "tiff") {
        return "tif";
    }
    return format;
}

Error blobDamaged(const Asset& asset) {
    return Error{ErrorCode::Corrupt,
                 "the library file of asset " + std::to_string(asset.id) + " (" + asset.blobPath +
                     ") no longer matches its SHA-256; restore it from a backup"};
}

// Copies the blob as it is, hashing on the way: a blob that no longer hashes to its name
// was damaged on disk, and exporting it would hand a client a broken file. Memory stays at
// one buffer, so multi-gigabyte clips export as easily as thumbnails.
Status copyVerified(const std::filesystem::path& blob, const Asset& asset,
                    const std::filesystem::path& target) {
    auto in = openRegularFileForReading(blob);
    if (!in) {
        return std::unexpected(in.error());
    }
    auto out = AtomicFileWriter::create(target);
    if (!out) {
        return std::unexpected(out.error());
    }
    Sha256 hash;
    while (true) {
        auto chunk = readPrefix(in->get(), 1 << 20, blob);
        if (!chunk) {
            return std::unexpected(chunk.error());
        }
        if (chunk->empty()) {
            break;
        }
        hash.update(*chunk);
        if (auto written = out->write(*chunk); !written) {
            return written;
        }
    }
    if (hash.hexDigest() != asset.sha256) {
        return std::unexpected(blobDamaged(asset));
    }
    return out->commit();
}

Result<std::string> readVerified(const std::filesystem::path& blob, const Asset& asset) {
    auto bytes = readFileBounded(blob, kMaxImageFileBytes);
    if (!bytes) {
        return std::unexpected(bytes.error());
    }
    if (Sha256::ofBytes(*bytes) != asset.sha256) {
        return std::unexpected(blobDamaged(asset));
    }
    return std::move(*bytes);
}

// Whether the pixels must be encoded again: for another format, or for a TIFF resolution
// (PNG and JPEG state theirs in a header that can be rewritten alone; WebP has none).
bool needsReencode(const Asset& asset, const std::string& format, const ExportOptions& options) {
    return format != asset.format || (options.dpi > 0 && format == "tiff");
}

bool needsResolution(const std::string& format, const ExportOptions& options) {
    return options.dpi > 0 && (format == "png" || format == "jpeg");
}

// The file's bytes as they should be written: re-encoded only where needsReencode says,
// then the resolution and the provenance, each touching only what it must.
Result<std::string> exportedBytes(std::string bytes, const Asset& asset, const std::string& format,
                                  const ExportOptions& options,
                                  const std::optional<Provenance>& provenance) {
    const bool convert = needsReencode(asset, format, options);
    if (convert) {
        auto image = decodeImage(bytes);
        if (!image) {
            return std::unexpected(image.error());
        }
        auto encoded = encodeImage(*image, EncodeOptions{format, options.quality, options.dpi});
        if (!encoded) {
            return std::unexpected(encoded.error());
        }
        bytes = std::move(*encoded);
    } else if (needsResolution(format, options)) {
        auto stated = withResolution(bytes, format, options.dpi);
        if (!stated) {
            return std::unexpected(stated.error());
        }
        bytes = std::move(*stated);
    }
    if (!provenance) {
        return bytes;
    }
    const std::string parameters = A1111Parameters::format(asset.generation);
    if (format == "png" && !asset.generation.empty()) {
        auto tagged = PngChunks::withTextChunk(bytes, "parameters", parameters);
        if (!tagged) {
            return std::unexpected(withContext(tagged.error(), "writing metadata"));
        }
        bytes = std::move(*tagged);
    }
    EmbeddedProvenance::Options embed;
    embed.dpi = options.dpi;
    embed.userComment = asset.generation.empty() ? "" : parameters;
    auto embedded = EmbeddedProvenance::embed(bytes, format, *provenance, embed);
    if (!embedded) {
        return std::unexpected(withContext(embedded.error(), "writing metadata"));
    }
    return std::move(*embedded);
}

// Whether the asset's lineage leads back to an image no model made: a user's own photo or
// artwork that was edited with a model (IPTC's "composite" source type).
bool derivesFromUserImage(Catalog& catalog, const Asset& asset) {
    constexpr std::size_t kMaxAncestors = 1000; // lineage is a DAG; this bounds a damaged one
    std::vector<AssetId> pending = asset.parents;
    std::set<AssetId> seen;
    while (!pending.empty() && seen.size() < kMaxAncestors) {
        const AssetId id = pending.back();
        pending.pop_back();
        if (!seen.insert(id).second) {
            continue;
        }
        auto parent = catalog.asset(id);
        if (!parent) {
            continue;
        }
        if (parent->parents.empty() && parent->kind == AssetKind::Image &&
            parent->generation.empty() && parent->generation.provider.empty()) {
            return true;
        }
        pending.insert(pending.end(), parent->parents.begin(), parent->parents.end());
    }
    return false;
}

} // namespace

Exporter::Exporter(Library& library) : m_library(library) {}

Result<std::filesystem::path>
Exporter::resolveDestination(const Asset& asset, const std::string& format,
                             const std::filesystem::path& destination) {
    std::error_code ec;
    std::filesystem::path target = destination;
    if (std::filesystem::is_directory(destination, ec)) {
        std::string stem = std::filesystem::path(asset.sourcePath).stem().string();
        if (stem.empty() || !isValidUtf8(stem)) {
            stem = "asset-" + std::to_string(asset.id);
        }
        target = destination / (stem + "." + preferredExtension(format));
        if (std::filesystem::exists(target, ec)) {
            return fail(ErrorCode::InvalidArgument,
                        escapeInvalidUtf8(target.native()) +
                            " already exists; give a file path to overwrite it");
        }
        return target;
    }
    const std::string ext = lowerExtension(target);
    if (ext.empty()) {
        target += "." + preferredExtension(format);
    } else if (!extensionFits(ext, format)) {
        return fail(ErrorCode::InvalidArgument,
                    "asset " + std::to_string(asset.id) + " is exported as a " + format +
                        " file, so name the file ." + preferredExtension(format) + " instead of ." +
                        ext);
    }
    if (!target.parent_path().empty() && !std::filesystem::is_directory(target.parent_path(), ec)) {
        return fail(ErrorCode::NotFound, "folder " +
                                             escapeInvalidUtf8(target.parent_path().native()) +
                                             " does not exist");
    }
    return target;
}

Result<std::filesystem::path> Exporter::exportAsset(AssetId id,
                                                    const std::filesystem::path& destination,
                                                    const ExportOptions& options) {
    auto asset = m_library.catalog().asset(id);
    if (!asset) {
        return std::unexpected(asset.error());
    }
    const std::string format = options.format.empty() ? asset->format : options.format;
    const bool reencode = needsReencode(*asset, format, options);
    if (reencode && asset->kind != AssetKind::Image) {
        return fail(ErrorCode::Unsupported, "asset " + std::to_string(id) + " is a " +
                                                asset->format + " video; it exports as it is");
    }
    auto target = resolveDestination(*asset, format, destination);
    if (!target) {
        return std::unexpected(target.error());
    }
    const auto blob = m_library.blobFile(*asset);
    // Provenance goes into images that a model made or that were derived in Ripen; a
    // user's own untouched file leaves as it came.
    std::optional<Provenance> provenance;
    if (options.writeMetadata && asset->kind == AssetKind::Image &&
        (!asset->generation.empty() || !asset->parents.empty())) {
        provenance = provenanceOf(*asset, derivesFromUserImage(m_library.catalog(), *asset));
    }
    const bool rewrite = provenance || reencode || needsResolution(format, options);
    const auto write = [&]() -> Status {
        if (!rewrite) {
            return copyVerified(blob, *asset, *target);
        }
        auto bytes = readVerified(blob, *asset);
        if (!bytes) {
            return std::unexpected(bytes.error());
        }
        auto exported = exportedBytes(std::move(*bytes), *asset, format, options, provenance);
        if (!exported) {
            return std::unexpected(exported.error());
        }
        return writeFileAtomically(*target, *exported);
    };
    auto written = write();
    if (!written) {
        return std::unexpected(
            withContext(written.error(), "exporting asset " + std::to_string(id)));
    }
    return *target;
}

} // namespace ripen

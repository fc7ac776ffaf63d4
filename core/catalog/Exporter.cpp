#include "catalog/Exporter.h"

#include "catalog/A1111Parameters.h"
#include "common/AtomicFileWriter.h"
#include "common/FileIo.h"
#include "common/Sha256.h"
#include "common/TextEncoding.h"
#include "imaging/ImageLimits.h"
#include "imaging/PngChunks.h"

#include <algorithm>
#include <cctype>
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
    return Error{ErrorCode::Corrupt, "the library file of asset " + std::to_string(asset.id) +
                                         " (" + asset.blobPath +
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

Status writeWithProvenance(const std::filesystem::path& blob, const Asset& asset,
                           const std::filesystem::path& target) {
    auto bytes = readFileBounded(blob, kMaxImageFileBytes);
    if (!bytes) {
        return std::unexpected(bytes.error());
    }
    if (Sha256::ofBytes(*bytes) != asset.sha256) {
        return std::unexpected(blobDamaged(asset));
    }
    auto tagged =
        PngChunks::withTextChunk(*bytes, "parameters", A1111Parameters::format(asset.generation));
    if (!tagged) {
        return std::unexpected(withContext(tagged.error(), "writing metadata"));
    }
    return writeFileAtomically(target, *tagged);
}

} // namespace

Exporter::Exporter(Library& library) : m_library(library) {}

Result<std::filesystem::path> Exporter::resolveDestination(const Asset& asset,
                                                           const std::filesystem::path& destination) {
    std::error_code ec;
    std::filesystem::path target = destination;
    if (std::filesystem::is_directory(destination, ec)) {
        std::string stem = std::filesystem::path(asset.sourcePath).stem().string();
        if (stem.empty() || !isValidUtf8(stem)) {
            stem = "asset-" + std::to_string(asset.id);
        }
        target = destination / (stem + "." + preferredExtension(asset.format));
        if (std::filesystem::exists(target, ec)) {
            return fail(ErrorCode::InvalidArgument,
                        escapeInvalidUtf8(target.native()) +
                            " already exists; give a file path to overwrite it");
        }
        return target;
    }
    const std::string ext = lowerExtension(target);
    if (ext.empty()) {
        target += "." + preferredExtension(asset.format);
    } else if (!extensionFits(ext, asset.format)) {
        return fail(ErrorCode::InvalidArgument,
                    "asset " + std::to_string(asset.id) + " is a " + asset.format +
                        " file; export keeps the format, so name the file ." +
                        preferredExtension(asset.format) + " instead of ." + ext);
    }
    if (!target.parent_path().empty() && !std::filesystem::is_directory(target.parent_path(), ec)) {
        return fail(ErrorCode::NotFound,
                    "folder " + escapeInvalidUtf8(target.parent_path().native()) + " does not exist");
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
    auto target = resolveDestination(*asset, destination);
    if (!target) {
        return std::unexpected(target.error());
    }
    const auto blob = m_library.blobFile(*asset);
    const bool provenance =
        options.writeMetadata && asset->format == "png" && !asset->generation.empty();
    auto written = provenance ? writeWithProvenance(blob, *asset, *target)
                              : copyVerified(blob, *asset, *target);
    if (!written) {
        return std::unexpected(withContext(written.error(), "exporting asset " + std::to_string(id)));
    }
    return *target;
}

} // namespace ripen

#include "catalog/Importer.h"

#include "catalog/internal/EmbeddedMetadata.h"
#include "catalog/internal/ImportWalker.h"
#include "common/FileIo.h"
#include "common/Sha256.h"
#include "common/TextEncoding.h"
#include "imaging/ImageDecoder.h"
#include "imaging/ImageHeader.h"
#include "imaging/ImageLimits.h"
#include "imaging/MediaFormat.h"
#include "video/VideoProbe.h"

#include <sys/stat.h>
#include <unistd.h>

#include <opencv2/core.hpp>

namespace ripen {
namespace {

std::int64_t modificationTimeMs(int fd) {
    struct stat st {};
    if (::fstat(fd, &st) != 0) {
        return 0;
    }
    return static_cast<std::int64_t>(st.st_mtim.tv_sec) * 1000 + st.st_mtim.tv_nsec / 1'000'000;
}

std::string formatName(MediaFormat format) {
    switch (format) {
    case MediaFormat::Png: return "png";
    case MediaFormat::Jpeg: return "jpeg";
    case MediaFormat::Webp: return "webp";
    case MediaFormat::Tiff: return "tiff";
    case MediaFormat::Mp4: return "mp4";
    case MediaFormat::Mov: return "mov";
    case MediaFormat::Webm: return "webm";
    case MediaFormat::Unknown: break;
    }
    return "unknown";
}

Asset baseAsset(const ImportOptions& options, const std::string& displayPath) {
    Asset asset;
    asset.project = options.project;
    asset.client = options.client;
    asset.stage = options.stage;
    asset.tags = options.tags;
    asset.sourcePath = displayPath;
    return asset;
}

// Everything the importer learned about one file before it touches the library.
struct Prepared {
    Asset asset;
    std::string thumbnailJpeg;
};

class FileImport {
public:
    FileImport(Library& library, const std::filesystem::path& path, const ImportOptions& options,
               ProgressSink& progress)
        : m_library(library), m_path(path), m_options(options), m_progress(progress),
          m_display(escapeInvalidUtf8(path.native())) {}

    Result<AssetId> run() {
        if (!isValidUtf8(m_path.native())) {
            return fail(ErrorCode::Unsupported,
                        "the file name is not valid UTF-8; rename the file to import it");
        }
        auto fd = openRegularFileForReading(m_path);
        if (!fd) {
            return std::unexpected(fd.error());
        }
        auto head = readPrefix(fd->get(), kMediaSniffBytes, m_path);
        if (!head) {
            return std::unexpected(head.error());
        }
        const MediaFormat format = sniffMediaFormat(*head);
        if (format == MediaFormat::Unknown) {
            return fail(ErrorCode::Unsupported, head->empty()
                                                    ? "the file is empty"
                                                    : "not a PNG, JPEG, WebP, TIFF, MP4, MOV or "
                                                      "WebM file (judged by its content)");
        }
        ::lseek(fd->get(), 0, SEEK_SET);
        return isVideo(format) ? importVideo(fd->get(), format) : importImage(fd->get(), format);
    }

    const std::string& display() const { return m_display; }

private:
    Result<AssetId> importImage(int fd, MediaFormat format) {
        auto bytes = readFileBounded(m_path, kMaxImageFileBytes);
        if (!bytes) {
            return std::unexpected(bytes.error());
        }
        auto header = readImageHeader(*bytes);
        if (!header) {
            return std::unexpected(header.error());
        }
        if (auto within = checkImageLimits(*header); !within) {
            return std::unexpected(within.error());
        }
        const std::string sha = Sha256::ofBytes(*bytes);
        if (auto dup = refuseDuplicate(sha); !dup) {
            return std::unexpected(dup.error());
        }
        // A full decode proves the file is whole; the reduced one feeds the thumbnail.
        auto image = decodeImage(*bytes, DecodeOptions{.reducedForThumbnailSide = 256});
        if (!image) {
            return std::unexpected(image.error());
        }
        auto thumbnail = makeThumbnailJpeg(*image);
        if (!thumbnail) {
            return std::unexpected(thumbnail.error());
        }
        Prepared prepared{baseAsset(m_options, m_display), std::move(*thumbnail)};
        Asset& asset = prepared.asset;
        asset.kind = AssetKind::Image;
        asset.format = formatName(format);
        asset.width = static_cast<int>(header->width);
        asset.height = static_cast<int>(header->height);
        asset.createdAtMs = modificationTimeMs(fd);
        asset.generation = readEmbeddedMetadata(*bytes, format);
        auto stored = m_library.blobs().storeBytes(*bytes, fileExtension(format));
        if (!stored) {
            return std::unexpected(stored.error());
        }
        return record(std::move(prepared), *stored);
    }

    Result<AssetId> importVideo(int fd, MediaFormat format) {
        auto info = probeVideo(m_path);
        if (!info) {
            return std::unexpected(info.error());
        }
        auto frame = decodeFirstVideoFrame(m_path);
        if (!frame) {
            return std::unexpected(frame.error());
        }
        auto thumbnail = makeThumbnailJpeg(*frame);
        if (!thumbnail) {
            return std::unexpected(thumbnail.error());
        }
        Prepared prepared{baseAsset(m_options, m_display), std::move(*thumbnail)};
        Asset& asset = prepared.asset;
        asset.kind = AssetKind::Video;
        asset.format = formatName(format);
        asset.width = info->width;
        asset.height = info->height;
        asset.durationMicros = info->durationMicros;
        asset.createdAtMs = modificationTimeMs(fd);
        // Videos can be gigabytes: they are streamed into the store while hashed, so the
        // duplicate check can only come after the copy.
        auto stored = m_library.blobs().storeStream(fd, fileExtension(format), m_path, m_progress);
        if (!stored) {
            return std::unexpected(stored.error());
        }
        if (auto dup = refuseDuplicate(stored->sha256); !dup) {
            return std::unexpected(dup.error());
        }
        return record(std::move(prepared), *stored);
    }

    Status refuseDuplicate(const std::string& sha) {
        auto existing = m_library.catalog().findBySha256(sha);
        if (!existing) {
            return std::unexpected(existing.error());
        }
        if (*existing) {
            return fail(ErrorCode::Duplicate,
                        "already in the library as asset " + std::to_string(**existing));
        }
        return {};
    }

    // The blob and thumbnail are on disk before the catalog row exists, so a row never
    // points at a missing file; a crash in between leaves only an unreferenced blob that
    // the next import of the same file adopts.
    Result<AssetId> record(Prepared prepared, const BlobStore::Stored& stored) {
        Asset& asset = prepared.asset;
        asset.sha256 = stored.sha256;
        asset.blobPath = stored.relativePath;
        asset.byteSize = stored.byteSize;
        const auto thumbPath = m_library.thumbnailFile(stored.sha256);
        std::error_code ec;
        std::filesystem::create_directories(thumbPath.parent_path(), ec);
        if (auto written = writeFileAtomically(thumbPath, prepared.thumbnailJpeg); !written) {
            return std::unexpected(written.error());
        }
        return m_library.catalog().addAsset(asset);
    }

    Library& m_library;
    const std::filesystem::path& m_path;
    const ImportOptions& m_options;
    ProgressSink& m_progress;
    std::string m_display;
};

ImportOutcome skipped(std::string display, Error error) {
    ImportOutcome outcome;
    outcome.displayPath = std::move(display);
    outcome.error = std::move(error);
    return outcome;
}

} // namespace

Importer::Importer(Library& library) : m_library(library) {}

ImportOutcome Importer::importFile(const std::filesystem::path& file, const ImportOptions& options,
                                   ProgressSink& progress) {
    FileImport job(m_library, file, options, progress);
    Result<AssetId> id = [&]() -> Result<AssetId> {
        try {
            return job.run();
        } catch (const std::exception& e) {
            // Third-party code (OpenCV, the standard library) may throw; the import goes on.
            return fail(ErrorCode::Internal, std::string("unexpected failure: ") + e.what());
        }
    }();
    if (!id) {
        return skipped(job.display(), id.error());
    }
    ImportOutcome outcome;
    outcome.imported = true;
    outcome.displayPath = job.display();
    outcome.id = *id;
    return outcome;
}

ImportSummary Importer::importPaths(std::span<const std::filesystem::path> paths,
                                    const ImportOptions& options, const OutcomeHandler& onOutcome,
                                    ProgressSink& progress) {
    ImportSummary summary;
    const auto entries = ImportWalker::collect(paths);
    const auto total = static_cast<std::int64_t>(entries.size());
    std::int64_t done = 0;
    for (const auto& entry : entries) {
        if (progress.cancelled()) {
            summary.cancelled = true;
            break;
        }
        const ImportOutcome outcome =
            entry.unreadableFolder ? skipped(escapeInvalidUtf8(entry.path.native()), entry.problem)
                                   : importFile(entry.path, options, progress);
        outcome.imported ? ++summary.imported : ++summary.skipped;
        if (onOutcome) {
            onOutcome(outcome);
        }
        progress.report(++done, total, outcome.displayPath);
    }
    return summary;
}

} // namespace ripen

#include "catalog/AssetIngest.h"

#include "catalog/internal/EmbeddedMetadata.h"
#include "common/FileIo.h"
#include "common/Sha256.h"
#include "common/TextEncoding.h"
#include "imaging/ImageDecoder.h"
#include "imaging/ImageHeader.h"
#include "imaging/ImageLimits.h"
#include "imaging/MediaFormat.h"
#include "video/VideoProbe.h"

#include <opencv2/core.hpp>
#include <sys/stat.h>
#include <unistd.h>

namespace ripen {
namespace {

std::int64_t modificationTimeMs(int fd) {
    struct stat st {};
    if (::fstat(fd, &st) != 0) {
        return 0;
    }
    return static_cast<std::int64_t>(st.st_mtim.tv_sec) * 1000 + st.st_mtim.tv_nsec / 1'000'000;
}

// The pixels for the thumbnail. A full decode already done on these very bytes (same
// hash) proved them whole; any other bytes are proved here (decodeImage checks the
// container's end; the reduced decode is for speed, not a weaker check).
Result<cv::Mat> decodedPixels(std::string_view bytes, const std::string& sha256,
                              const DecodedImage* decoded) {
    if (decoded != nullptr && decoded->sha256 == sha256 && !decoded->pixels.empty()) {
        return decoded->pixels;
    }
    return decodeImage(bytes, DecodeOptions{.reducedForThumbnailSide = 256});
}

} // namespace

AssetIngest::AssetIngest(Library& library) : m_library(library) {}

Result<std::optional<AssetId>> AssetIngest::existing(const std::string& sha256) {
    return m_library.catalog().findBySha256(sha256);
}

Status AssetIngest::refuseDuplicate(const std::string& sha256) {
    auto found = existing(sha256);
    if (!found) {
        return std::unexpected(found.error());
    }
    if (*found) {
        return fail(ErrorCode::Duplicate,
                    "already in the library as asset " + std::to_string(**found));
    }
    return {};
}

Result<Asset> AssetIngest::prepare(const std::filesystem::path& file, Asset base,
                                   ProgressSink& progress, const DecodedImage* decoded) {
    if (!isValidUtf8(file.native())) {
        return fail(ErrorCode::Unsupported,
                    "the file name is not valid UTF-8; rename the file to import it");
    }
    auto fd = openRegularFileForReading(file);
    if (!fd) {
        return std::unexpected(fd.error());
    }
    auto head = readPrefix(fd->get(), kMediaSniffBytes, file);
    if (!head) {
        return std::unexpected(head.error());
    }
    const MediaFormat format = sniffMediaFormat(*head);
    if (format == MediaFormat::Unknown) {
        return fail(ErrorCode::Unsupported, head->empty()
                                                ? "the file is empty"
                                                : "not a PNG, JPEG, WebP, TIFF, MP4, "
                                                  "MOV or WebM file (judged by its content)");
    }
    ::lseek(fd->get(), 0, SEEK_SET);
    base.format = catalogFormatName(format);
    base.createdAtMs = base.createdAtMs != 0 ? base.createdAtMs : modificationTimeMs(fd->get());
    return isVideo(format) ? prepareVideo(fd->get(), file, format, std::move(base), progress)
                           : prepareImage(file, std::move(base), decoded);
}

Result<Asset> AssetIngest::prepareImage(const std::filesystem::path& file, Asset asset,
                                        const DecodedImage* decoded) {
    auto bytes = readFileBounded(file, kMaxImageFileBytes);
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
    const std::string sha256 = Sha256::ofBytes(*bytes);
    if (auto dup = refuseDuplicate(sha256); !dup) {
        return std::unexpected(dup.error());
    }
    auto image = decodedPixels(*bytes, sha256, decoded);
    if (!image) {
        return std::unexpected(image.error());
    }
    auto thumbnail = makeThumbnailJpeg(*image);
    if (!thumbnail) {
        return std::unexpected(thumbnail.error());
    }
    asset.kind = asset.kind == AssetKind::Mask ? AssetKind::Mask : AssetKind::Image;
    asset.width = static_cast<int>(header->width);
    asset.height = static_cast<int>(header->height);
    if (asset.generation.empty()) {
        asset.generation = readEmbeddedMetadata(*bytes, header->format);
    }
    auto stored = m_library.blobs().storeBytes(*bytes, fileExtension(header->format));
    if (!stored) {
        return std::unexpected(stored.error());
    }
    asset.sha256 = stored->sha256;
    asset.blobPath = stored->relativePath;
    asset.byteSize = stored->byteSize;
    if (auto written = writeThumbnail(stored->sha256, *thumbnail); !written) {
        return std::unexpected(written.error());
    }
    return asset;
}

Result<Asset> AssetIngest::prepareVideo(int fd, const std::filesystem::path& file,
                                        MediaFormat format, Asset asset, ProgressSink& progress) {
    auto info = probeVideo(file);
    if (!info) {
        return std::unexpected(info.error());
    }
    auto frame = decodeFirstVideoFrame(file);
    if (!frame) {
        return std::unexpected(frame.error());
    }
    auto thumbnail = makeThumbnailJpeg(*frame);
    if (!thumbnail) {
        return std::unexpected(thumbnail.error());
    }
    // Videos can be gigabytes: they are streamed into the store while hashed, so the
    // duplicate check can only come after the copy.
    auto stored = m_library.blobs().storeStream(fd, fileExtension(format), file, progress);
    if (!stored) {
        return std::unexpected(stored.error());
    }
    if (auto dup = refuseDuplicate(stored->sha256); !dup) {
        return std::unexpected(dup.error());
    }
    asset.kind = AssetKind::Video;
    asset.width = info->width;
    asset.height = info->height;
    asset.durationMicros = info->durationMicros;
    asset.sha256 = stored->sha256;
    asset.blobPath = stored->relativePath;
    asset.byteSize = stored->byteSize;
    if (auto written = writeThumbnail(stored->sha256, *thumbnail); !written) {
        return std::unexpected(written.error());
    }
    return asset;
}

Status AssetIngest::writeThumbnail(const std::string& sha256, const std::string& jpeg) {
    const auto path = m_library.thumbnailFile(sha256);
    std::error_code ec;
    std::filesystem::create_directories(path.parent_path(), ec);
    return writeFileAtomically(path, jpeg);
}

} // namespace ripen

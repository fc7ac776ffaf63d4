#include "providers/internal/UploadImage.h"

#include "common/FileIo.h"
#include "imaging/MediaFormat.h"

#include <system_error>

namespace ripen::providers {
namespace {

// JPEGs may put EXIF and ICC blocks before their SOF marker; 4 MiB covers real files.
constexpr std::size_t kHeaderPrefixBytes = std::size_t{4} << 20;

bool isUploadFormat(MediaFormat format) {
    return format == MediaFormat::Png || format == MediaFormat::Jpeg || format == MediaFormat::Webp;
}

Result<std::uint64_t> checkedSize(const std::filesystem::path& file, std::uint64_t maxBytes) {
    std::error_code ec;
    const auto size = std::filesystem::file_size(file, ec);
    if (ec) {
        return fail(ErrorCode::Io, file.string() + ": " + ec.message());
    }
    if (size > maxBytes) {
        return fail(ErrorCode::LimitExceeded, file.string() + " is " + std::to_string(size) +
                                                  " bytes; this provider accepts at most " +
                                                  std::to_string(maxBytes));
    }
    return static_cast<std::uint64_t>(size);
}

} // namespace

Result<UploadImage> inspectUploadImage(const std::filesystem::path& file, std::uint64_t maxBytes) {
    auto fd = openRegularFileForReading(file);
    if (!fd) {
        return std::unexpected(fd.error());
    }
    auto size = checkedSize(file, maxBytes);
    if (!size) {
        return std::unexpected(size.error());
    }
    auto prefix = readPrefix(fd->get(), kHeaderPrefixBytes, file);
    if (!prefix) {
        return std::unexpected(prefix.error());
    }
    const auto format = sniffMediaFormat(*prefix);
    if (!isUploadFormat(format)) {
        return fail(ErrorCode::Unsupported, file.string() + " is " + toString(format) +
                                                "; providers accept PNG, JPEG or WebP");
    }
    auto header = readImageHeader(*prefix);
    if (!header) {
        return std::unexpected(withContext(header.error(), file.string()));
    }
    if (auto limits = checkImageLimits(*header); !limits) {
        return std::unexpected(withContext(limits.error(), file.string()));
    }
    return UploadImage{file, *size, *header, mimeType(format), fileExtension(format)};
}

http::MultipartPart uploadPart(const UploadImage& image, std::string fieldName,
                               std::string baseName) {
    http::MultipartPart part;
    part.name = std::move(fieldName);
    part.file = image.file;
    part.fileName = std::move(baseName) + "." + image.extension;
    part.contentType = image.mimeType;
    return part;
}

} // namespace ripen::providers

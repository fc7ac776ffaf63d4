#include "imaging/MediaFormat.h"

#include "common/ByteOrder.h"

#include <array>

namespace ripen {
namespace {

constexpr std::string_view kPngSignature{"\x89PNG\r\n\x1a\n", 8};
constexpr std::string_view kEbmlMagic{"\x1a\x45\xdf\xa3", 4};

// Brands whose files share the MP4 box structure but hold no video we can import.
constexpr std::array<std::string_view, 13> kNonVideoBrands{"heic", "heix", "heim", "heis", "hevc",
                                                           "hevx", "mif1", "msf1", "avif", "avis",
                                                           "M4A ", "M4B ", "M4P "};

MediaFormat sniffIsoBmff(std::string_view bytes) {
    if (bytes.size() < 12) {
        return MediaFormat::Unknown;
    }
    const std::string_view brand = bytes.substr(8, 4);
    if (brand == "qt  ") {
        return MediaFormat::Mov;
    }
    for (std::string_view nonVideo : kNonVideoBrands) {
        if (brand == nonVideo) {
            return MediaFormat::Unknown;
        }
    }
    return MediaFormat::Mp4;
}

// Walks the children of the EBML header element looking for DocType (id 0x4282).
MediaFormat sniffEbml(std::string_view bytes) {
    constexpr std::uint64_t kDocTypeId = 0x4282;
    std::uint64_t headerSize = 0;
    const std::size_t sizeWidth = readEbmlVint(bytes, 4, false, headerSize);
    if (sizeWidth == 0) {
        return MediaFormat::Unknown;
    }
    std::size_t offset = 4 + sizeWidth;
    const std::size_t end = fitsIn(bytes.size(), offset, headerSize)
                                ? offset + static_cast<std::size_t>(headerSize)
                                : bytes.size();
    while (offset < end) {
        std::uint64_t id = 0;
        std::uint64_t size = 0;
        const std::size_t idWidth = readEbmlVint(bytes, offset, true, id);
        if (idWidth == 0) {
            return MediaFormat::Unknown;
        }
        const std::size_t lengthWidth = readEbmlVint(bytes, offset + idWidth, false, size);
        if (lengthWidth == 0) {
            return MediaFormat::Unknown;
        }
        offset += idWidth + lengthWidth;
        if (!fitsIn(bytes.size(), offset, size)) {
            return MediaFormat::Unknown;
        }
        if (id == kDocTypeId) {
            std::string_view docType = bytes.substr(offset, static_cast<std::size_t>(size));
            // Some muxers pad the string with NULs.
            while (!docType.empty() && docType.back() == '\0') {
                docType.remove_suffix(1);
            }
            return docType == "webm" ? MediaFormat::Webm : MediaFormat::Unknown;
        }
        offset += static_cast<std::size_t>(size);
    }
    return MediaFormat::Unknown;
}

} // namespace

MediaFormat sniffMediaFormat(std::string_view firstBytes) {
    const std::string_view b = firstBytes;
    if (b.starts_with(kPngSignature)) {
        return MediaFormat::Png;
    }
    if (b.starts_with("\xff\xd8\xff")) {
        return MediaFormat::Jpeg;
    }
    if (b.size() >= 12 && b.starts_with("RIFF") && b.substr(8, 4) == "WEBP") {
        return MediaFormat::Webp;
    }
    if (b.starts_with(std::string_view("II*\0", 4)) ||
        b.starts_with(std::string_view("MM\0*", 4))) {
        return MediaFormat::Tiff;
    }
    if (b.size() >= 8 && b.substr(4, 4) == "ftyp") {
        return sniffIsoBmff(b);
    }
    if (b.starts_with(kEbmlMagic)) {
        return sniffEbml(b);
    }
    return MediaFormat::Unknown;
}

const char* catalogFormatName(MediaFormat format) {
    switch (format) {
    case MediaFormat::Png:
        return "png";
    case MediaFormat::Jpeg:
        return "jpeg";
    case MediaFormat::Webp:
        return "webp";
    case MediaFormat::Tiff:
        return "tiff";
    case MediaFormat::Mp4:
        return "mp4";
    case MediaFormat::Mov:
        return "mov";
    case MediaFormat::Webm:
        return "webm";
    case MediaFormat::Unknown:
        break;
    }
    return "unknown";
}

const char* toString(MediaFormat format) {
    switch (format) {
    case MediaFormat::Png:
        return "PNG";
    case MediaFormat::Jpeg:
        return "JPEG";
    case MediaFormat::Webp:
        return "WebP";
    case MediaFormat::Tiff:
        return "TIFF";
    case MediaFormat::Mp4:
        return "MP4";
    case MediaFormat::Mov:
        return "QuickTime";
    case MediaFormat::Webm:
        return "WebM";
    case MediaFormat::Unknown:
        break;
    }
    return "unknown format";
}

const char* fileExtension(MediaFormat format) {
    switch (format) {
    case MediaFormat::Png:
        return "png";
    case MediaFormat::Jpeg:
        return "jpg";
    case MediaFormat::Webp:
        return "webp";
    case MediaFormat::Tiff:
        return "tif";
    case MediaFormat::Mp4:
        return "mp4";
    case MediaFormat::Mov:
        return "mov";
    case MediaFormat::Webm:
        return "webm";
    case MediaFormat::Unknown:
        break;
    }
    return "";
}

const char* mimeType(MediaFormat format) {
    switch (format) {
    case MediaFormat::Png:
        return "image/png";
    case MediaFormat::Jpeg:
        return "image/jpeg";
    case MediaFormat::Webp:
        return "image/webp";
    case MediaFormat::Tiff:
        return "image/tiff";
    case MediaFormat::Mp4:
        return "video/mp4";
    case MediaFormat::Mov:
        return "video/quicktime";
    case MediaFormat::Webm:
        return "video/webm";
    case MediaFormat::Unknown:
        break;
    }
    return "application/octet-stream";
}

bool isVideo(MediaFormat format) {
    return format == MediaFormat::Mp4 || format == MediaFormat::Mov || format == MediaFormat::Webm;
}

bool isImage(MediaFormat format) {
    return format == MediaFormat::Png || format == MediaFormat::Jpeg ||
           format == MediaFormat::Webp || format == MediaFormat::Tiff;
}

} // namespace ripen

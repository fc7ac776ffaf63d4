#include "providers/google/InlineImage.h"

#include "common/FileIo.h"
#include "imaging/ImageHeader.h"
#include "imaging/MediaFormat.h"
#include "providers/ProviderSupport.h"
#include "providers/google/GeminiErrors.h"

#include <cstdint>

namespace ripen::providers::google {

ProviderOutcome<InlineImage> InlineImage::load(const std::filesystem::path& path,
                                               std::uint64_t maxBytes) {
    const std::string context = "input image " + path.string();
    auto bytes = readFileBounded(path, maxBytes);
    if (!bytes) {
        if (bytes.error().code == ErrorCode::LimitExceeded) {
            return std::unexpected(GeminiErrors::permanent(
                context + " is larger than the " + std::to_string(maxBytes / 1'000'000) +
                " MB Google accepts inline; downscale it or save it as JPEG"));
        }
        return std::unexpected(GeminiErrors::fromError(bytes.error(), context));
    }
    const auto header = readImageHeader(*bytes);
    if (!header) {
        return std::unexpected(GeminiErrors::fromError(header.error(), context));
    }
    if (header->format != MediaFormat::Png && header->format != MediaFormat::Jpeg &&
        header->format != MediaFormat::Webp) {
        return std::unexpected(
            GeminiErrors::permanent(context + " is " + toString(header->format) +
                                    "; Google accepts PNG, JPEG and WebP input images"));
    }
    if (auto limits = checkImageLimits(*header); !limits) {
        return std::unexpected(GeminiErrors::fromError(limits.error(), context));
    }
    InlineImage image;
    image.mimeType = ::ripen::mimeType(header->format);
    image.byteCount = bytes->size();
    image.base64 = encodeBase64(*bytes);
    return image;
}

bool encodedImageLooksComplete(std::string_view bytes) {
    switch (sniffMediaFormat(bytes.substr(0, kMediaSniffBytes))) {
    case MediaFormat::Png: {
        // The last chunk: length 0, "IEND", CRC AE 42 60 82.
        static constexpr std::string_view kIend("\0\0\0\0IEND\xAE\x42\x60\x82", 12);
        return bytes.ends_with(kIend);
    }
    case MediaFormat::Jpeg: {
        // EOI, allowing a little padding some encoders append after it.
        const std::size_t tail = bytes.size() > 64 ? bytes.size() - 64 : 0;
        return bytes.find("\xFF\xD9", tail) != std::string_view::npos;
    }
    case MediaFormat::Webp: {
        if (bytes.size() < 12) {
            return false;
        }
        const auto byteAt = [&](std::size_t i) {
            return static_cast<std::uint64_t>(static_cast<unsigned char>(bytes[i]));
        };
        const std::uint64_t riffSize =
            byteAt(4) | (byteAt(5) << 8) | (byteAt(6) << 16) | (byteAt(7) << 24);
        return riffSize + 8 <= bytes.size();
    }
    default:
        return false;
    }
}

} // namespace ripen::providers::google

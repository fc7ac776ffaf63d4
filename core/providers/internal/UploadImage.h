#pragma once

#include "common/Error.h"
#include "imaging/ImageHeader.h"
#include "providers/http/HttpTypes.h"

#include <cstdint>
#include <filesystem>
#include <string>

namespace ripen::providers {

// An input image checked before it is uploaded: a regular file, within the provider's
// size limit, a PNG, JPEG or WebP by its magic bytes, with a sane header. Checking here
// turns a bad input into a local, free failure instead of a paid or rate-limited request.
struct UploadImage {
    std::filesystem::path file;
    std::uint64_t sizeBytes = 0;
    ImageHeader header;
    std::string mimeType;  // "image/png", ...
    std::string extension; // "png", "jpg", "webp"
};

// Errors: NotFound, Io, Unsupported (not PNG/JPEG/WebP), LimitExceeded (file larger than
// `maxBytes`, or pixels beyond Ripen's image limits), Corrupt (header).
Result<UploadImage> inspectUploadImage(const std::filesystem::path& file, std::uint64_t maxBytes);

// A multipart file part for `image`, named "<baseName>.<ext>" (never the local path, which
// would tell the provider about the user's folders).
http::MultipartPart uploadPart(const UploadImage& image, std::string fieldName,
                               std::string baseName);

} // namespace ripen::providers

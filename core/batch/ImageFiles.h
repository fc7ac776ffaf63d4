#pragma once

#include "common/Error.h"

#include <filesystem>
#include <opencv2/core/mat.hpp>

namespace ripen {

// Reads an untrusted image file into 8-bit BGR or BGRA (decodeImage's contract): the file is
// bounded by kMaxImageFileBytes and its header by the image limits before any decode.
// Errors name the file: NotFound, Io, LimitExceeded, Unsupported, Corrupt.
Result<cv::Mat> readImageFile(const std::filesystem::path& file);

// Encodes an 8-bit BGR or BGRA image as PNG (with a pHYs resolution when `dpi` > 0) and
// writes it atomically (temp file, fsync, rename): `file` is the old file or the new one.
Status writePngFile(const std::filesystem::path& file, const cv::Mat& image, int dpi = 0);

} // namespace ripen

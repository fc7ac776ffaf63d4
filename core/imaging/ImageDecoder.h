#pragma once

#include "common/Error.h"

#include <opencv2/core/mat.hpp>
#include <string>
#include <string_view>

namespace ripen {

struct DecodeOptions {
    // When > 0, the caller only needs an image whose longer side is at least this many
    // pixels (a thumbnail): JPEGs are then decoded at 1/2, 1/4 or 1/8 scale in libjpeg,
    // which is several times faster and smaller. Other formats decode at full size.
    int reducedForThumbnailSide = 0;
};

// Decodes an untrusted PNG, JPEG, WebP or TIFF held in memory into 8-bit BGR (CV_8UC3), or
// BGRA (CV_8UC4) when the file has alpha. Before any decoder runs: the size is checked
// against kMaxImageFileBytes, the header is parsed and checked against the image limits,
// and the container is checked for truncation that the codec libraries let through
// (libjpeg turns a cut JPEG into a grey-padded image with only a warning): a PNG must
// reach its IEND chunk, a JPEG its EOI marker, a WebP must hold all its RIFF bytes.
// JPEG EXIF orientation is applied. Thread-safe; blocks for the decode.
// Errors: LimitExceeded, Unsupported, Corrupt (with what is wrong), Internal (out of memory).
Result<cv::Mat> decodeImage(std::string_view bytes, const DecodeOptions& options = {});

// Encodes a JPEG thumbnail whose longer side is at most `maxSide` pixels (never enlarged),
// resized with INTER_AREA keeping the aspect ratio. BGRA is flattened onto neutral grey so
// transparent areas neither turn black nor show the colour hidden under alpha 0.
// Accepts 8-bit 1, 3 or 4 channel images. Errors: InvalidArgument, Internal.
Result<std::string> makeThumbnailJpeg(const cv::Mat& image, int maxSide = 256, int quality = 85);

} // namespace ripen

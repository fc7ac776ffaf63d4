#pragma once

#include "common/Error.h"

#include <opencv2/core/mat.hpp>
#include <string>
#include <string_view>

namespace ripen {

struct EncodeOptions {
    std::string format = "png"; // "png", "jpeg", "webp" or "tiff"
    int quality = 92;           // JPEG and WebP, 1-100; PNG and TIFF are lossless
    int dpi = 0;                // > 0: the resolution the file states (not WebP, which has none)
};

// Encodes an 8-bit BGR or BGRA image (as decodeImage returns) into a file's bytes. JPEG
// has no alpha, so BGRA is flattened onto white first. Errors: InvalidArgument for an
// unknown format, a quality outside 1-100 or an image of another type; Unsupported when
// this OpenCV build cannot write the format; Internal when the encoder fails.
Result<std::string> encodeImage(const cv::Mat& image, const EncodeOptions& options);

// The same bytes with the resolution set to `dpi` dots per inch, pixels untouched: a PNG
// gets one pHYs chunk (after IHDR, replacing any other), a JPEG its JFIF density (a JFIF
// segment is added when the file has none). Errors: Corrupt for a damaged PNG or a JPEG
// without its start marker; Unsupported for other formats; InvalidArgument for dpi <= 0.
Result<std::string> withResolution(std::string_view bytes, std::string_view format, int dpi);

} // namespace ripen

#pragma once

#include <opencv2/core/mat.hpp>
#include <string>

namespace ripen {

// Pixels that decodeImage produced, in full, from bytes whose SHA-256 is `sha256`. The
// successful decode proves that those bytes are a whole, valid image; keeping the pixels
// beside the hash lets a later step that holds the same bytes (it checks the hash of what
// it read) use them instead of decoding the same file again. In memory only: never
// persisted, so whatever runs after a restart decodes the file itself.
struct DecodedImage {
    std::string sha256; // lowercase hex, as Sha256::ofBytes gives it
    cv::Mat pixels;     // 8-bit BGR or BGRA, full size, orientation applied
};

} // namespace ripen

#pragma once

#include "common/Error.h"

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

namespace ripen {

// The RIFF layer of WebP files held in memory: reads and replaces the ICC profile, EXIF
// and XMP chunks of a still image without touching its bitstream. (exiv2 0.27 writes a
// second, malformed VP8X header into simple WebP files, so Ripen muxes them itself.)
// A simple file (one VP8 or VP8L chunk) becomes an extended one (VP8X) when metadata is
// added, as the WebP container specification describes:
// https://developers.google.com/speed/webp/docs/riff_container
// Every input is untrusted: sizes are checked against the buffer and chunk counts bounded.
class WebpContainer {
public:
    static constexpr std::size_t kMaxChunkCount = 1024;

    struct Metadata {
        std::string icc;  // ICC profile bytes
        std::string exif; // a TIFF-structured EXIF block, as in JPEG's APP1 without "Exif\0\0"
        std::string xmp;  // an XMP packet
    };

    // The metadata chunks present (empty strings for absent ones). Errors: Corrupt for a
    // file that is not a RIFF WEBP or whose chunks run past its end; Unsupported for
    // animated WebP.
    static Result<Metadata> read(std::string_view webp);

    // A copy with each non-empty field of `update` replacing that chunk (fields left empty
    // keep what the file has). Same errors as read().
    static Result<std::string> withMetadata(std::string_view webp, const Metadata& update);
};

} // namespace ripen

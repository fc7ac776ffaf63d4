#pragma once

#include "catalog/Provenance.h"
#include "common/Error.h"

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace ripen {

// Provenance inside image files, as marketplaces, print shops and other tools read it:
//   PNG: XMP in an iTXt "XML:com.adobe.xmp" chunk;
//   JPEG, WebP, TIFF: XMP plus EXIF (ImageDescription = prompt, Software = Ripen,
//   UserComment = prompt in Unicode, X/YResolution when a DPI is given), through exiv2.
// An sRGB ICC profile is embedded when the file states no colour space of its own (a file
// with another profile keeps it: replacing it would change its colours). Pixels are never
// touched: only metadata segments and chunks change.
class EmbeddedProvenance {
public:
    struct Options {
        bool srgbProfile = true;
        int dpi = 0; // > 0: EXIF resolution (JPEG, WebP, TIFF); PNG pHYs is withResolution's
        // EXIF UserComment; empty: the prompt. The exporter puts AUTOMATIC1111's
        // "parameters" text there, where A1111, Forge and InvokeAI look for it in a JPEG.
        std::string userComment;
    };

    // `format` is "png", "jpeg", "webp" or "tiff". Errors: Unsupported for other formats;
    // Corrupt when the file cannot be parsed (the message says which format and why).
    static Result<std::string> embed(std::string_view fileBytes, std::string_view format,
                                     const Provenance& provenance, const Options& options);

    // Everything a file says about its making, for import and `ripen-cli info`.
    struct Found {
        std::optional<Provenance> xmp; // from the file's XMP packet, if it has one
        std::string exifDescription;   // EXIF ImageDescription
        std::string exifSoftware;
        std::string exifUserComment;
        std::string iccDescription;        // the ICC profile's description or PNG profile name
        std::optional<double> dpi;         // EXIF resolution or PNG pHYs, in dots per inch
        std::vector<std::string> warnings; // damaged metadata that was skipped
    };
    // Never fails on damaged metadata (it is skipped with a warning); Unsupported for
    // formats other than the four above.
    static Result<Found> read(std::string_view fileBytes, std::string_view format);
};

} // namespace ripen

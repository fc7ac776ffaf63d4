#pragma once

#include "common/Error.h"
#include "imaging/MediaFormat.h"

#include <cstdint>
#include <string_view>

namespace ripen {

// What an image file says about itself before any pixel is decoded.
struct ImageHeader {
    MediaFormat format = MediaFormat::Unknown;
    std::uint32_t width = 0;  // pixels
    std::uint32_t height = 0; // pixels
    // Samples per pixel as stored (a PNG palette is 1, RGBA is 4); 0 when the header does
    // not say. A PNG palette with a tRNS chunk still reports 1 here.
    int channels = 0;
    int bitDepth = 0;      // bits per sample; 0 when the header does not say
    bool hasAlpha = false; // the header itself declares an alpha channel
};

// Parses the header of a PNG, JPEG, WebP or TIFF with small bounded parsers of our own,
// so a hostile file never reaches a decoder before its size is known. `bytes` is the
// file, or a prefix of it: PNG needs 33 bytes, WebP 30, JPEG everything up to its SOF
// marker, TIFF everything up to the end of its first IFD (often at the end of the file).
// Errors: Unsupported for a format that is not an image Ripen reads (including BigTIFF
// and JPEGs whose height is only given by a DNL marker), Corrupt for a damaged or
// truncated header, naming what is wrong.
Result<ImageHeader> readImageHeader(std::string_view bytes);

// LimitExceeded when the header claims more than kMaxImageSide a side or kMaxImagePixels
// in all; the message quotes the claim and the limits.
Status checkImageLimits(const ImageHeader& header);

} // namespace ripen

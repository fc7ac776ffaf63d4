// Untrusted images as import and provider replies meet them: the header check, then the
// decode (PNG, JPEG, WebP, TIFF through OpenCV) at full size and at thumbnail scale. The
// replay's mutants are the truncated and bit-flipped images of RELIABILITY.md I3.
#include "FuzzSupport.h"
#include "imaging/ImageDecoder.h"
#include "imaging/ImageHeader.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const auto bytes = ripen::fuzz::textOf(data, size);
    if (!ripen::readImageHeader(bytes)) {
        return 0;
    }
    (void)ripen::decodeImage(bytes);
    (void)ripen::decodeImage(bytes, {.reducedForThumbnailSide = 64});
    return 0;
}

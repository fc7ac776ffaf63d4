// Decoded image bytes a provider returned: completeness check (cut base64) and the header
// check before the bytes become a file in the job's work folder.
#include "FuzzSupport.h"
#include "providers/ProviderSupport.h"
#include "providers/google/InlineImage.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const auto bytes = ripen::fuzz::textOf(data, size);
    (void)ripen::providers::google::encodedImageLooksComplete(bytes);
    (void)ripen::providers::saveGeneratedImage(ripen::fuzz::scratchDir(), bytes);
    (void)ripen::providers::decodeBase64(bytes, 1 << 20);
    ripen::fuzz::clearScratch();
    return 0;
}

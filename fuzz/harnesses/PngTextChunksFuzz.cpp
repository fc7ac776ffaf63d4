// The PNG chunk layer read on every import and rewritten on every export: chunk lengths,
// CRCs, zTXt/iTXt inflation (bombs are capped) and the rewrite of a parsed file.
#include "FuzzSupport.h"
#include "imaging/PngChunks.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const auto png = ripen::fuzz::textOf(data, size);
    if (auto chunks = ripen::PngChunks::parse(png)) {
        (void)ripen::PngChunks::readTextChunks(png);
        (void)ripen::PngChunks::withTextChunk(png, "parameters", "a prompt\nSteps: 20");
        (void)ripen::PngChunks::withTextChunk(png, "XML:com.adobe.xmp", "<x/>",
                                              ripen::PngChunks::TextForm::International);
    }
    return 0;
}

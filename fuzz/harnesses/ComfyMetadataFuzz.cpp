// ComfyUI "prompt" graphs embedded in imported PNGs: link cycles, hostile node ids and
// types. A NUL byte splits the input into the prompt and the workflow.
#include "FuzzSupport.h"
#include "catalog/ComfyMetadata.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const auto text = ripen::fuzz::textOf(data, size);
    const auto nul = text.find('\0');
    std::vector<std::string> warnings;
    (void)ripen::ComfyMetadata::extract(text.substr(0, nul),
                                        nul == text.npos ? "" : text.substr(nul + 1), &warnings);
    return 0;
}

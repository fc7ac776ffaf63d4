// An ncnn model a user dropped into the models folder: the bytes before the first NUL are
// the .param text, the rest the .bin weights. Any input is read or refused by name.
#include "FuzzSupport.h"
#include "common/FileIo.h"
#include "imaging/upscale/NcnnModelReader.h"

#include <algorithm>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const auto input = ripen::fuzz::textOf(data, size);
    const auto split = std::min(input.find('\0'), input.size());
    const auto param = ripen::fuzz::scratchDir() / "fuzz-x2.param";
    (void)ripen::writeFileAtomically(param, input.substr(0, split));
    (void)ripen::writeFileAtomically(ripen::fuzz::scratchDir() / "fuzz-x2.bin",
                                     input.substr(std::min(split + 1, input.size())));
    (void)ripen::NcnnModelReader::read(param);
    ripen::fuzz::clearScratch();
    return 0;
}

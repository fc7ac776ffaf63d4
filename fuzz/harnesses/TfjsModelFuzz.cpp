// A TF.js layers model a user dropped into the models folder: the bytes before the first
// NUL are model.json, the rest the one weight shard its manifest names
// (group1-shard1of1.bin). Any input is read or refused by name.
#include "FuzzSupport.h"
#include "common/FileIo.h"
#include "imaging/upscale/TfjsModelReader.h"

#include <algorithm>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const auto input = ripen::fuzz::textOf(data, size);
    const auto split = std::min(input.find('\0'), input.size());
    const auto model = ripen::fuzz::scratchDir() / "model.json";
    (void)ripen::writeFileAtomically(model, input.substr(0, split));
    (void)ripen::writeFileAtomically(ripen::fuzz::scratchDir() / "group1-shard1of1.bin",
                                     input.substr(std::min(split + 1, input.size())));
    (void)ripen::TfjsModelReader::read(model);
    ripen::fuzz::clearScratch();
    return 0;
}

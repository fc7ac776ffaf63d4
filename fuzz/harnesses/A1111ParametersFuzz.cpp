// The A1111 "parameters" text of imported PNGs, parsed and written back.
#include "FuzzSupport.h"
#include "catalog/A1111Parameters.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const auto metadata = ripen::A1111Parameters::parse(ripen::fuzz::textOf(data, size));
    (void)ripen::A1111Parameters::format(metadata);
    return 0;
}

#include "support/CatalogDamage.h"

#include <fstream>

namespace ripen::test {

void damagePageHeaders(const std::filesystem::path& catalog) {
    constexpr std::uintmax_t kPageSize = 4096;
    const auto size = std::filesystem::file_size(catalog);
    std::fstream file(catalog, std::ios::in | std::ios::out | std::ios::binary);
    for (std::uintmax_t page = 1; page < size / kPageSize; ++page) {
        file.seekp(static_cast<std::streamoff>(page * kPageSize));
        file.put(char(0x5a));
    }
}

} // namespace ripen::test

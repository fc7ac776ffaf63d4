#pragma once

#include "common/AtomicFileWriter.h"
#include "common/Error.h"

#include <cstdint>
#include <ctime>
#include <filesystem>
#include <set>
#include <string>
#include <string_view>
#include <vector>

namespace ripen {

// Writes a zip archive (PKWARE APPNOTE 6.3, no Zip64) that unzip, Python's zipfile and every
// desktop shell read: each entry is deflated with zlib or, where that does not make it
// smaller (PNG, JPEG), stored. Names are UTF-8 (flag bit 11). The archive goes through an
// AtomicFileWriter: it appears at its path only on commit(), complete, and a writer
// destroyed before commit() leaves nothing behind. Not thread-safe.
class ZipWriter {
public:
    // `modified` (UTC seconds) is the time every entry carries; 0 gives 1980-01-01, the
    // earliest a zip can state, for byte-identical archives from identical inputs.
    static Result<ZipWriter> create(const std::filesystem::path& target, std::time_t modified = 0);

    // Adds one file. `name` is a relative path with '/' separators ("mockups/mug.png").
    // Errors: InvalidArgument for an empty, absolute, "..", backslash or non-UTF-8 name or one
    // already added; LimitExceeded past 4 GiB per entry or in all, or 65535 entries; Io or
    // DiskFull from the write, naming the archive.
    Status add(std::string_view name, std::string_view bytes);

    // Writes the central directory and makes the archive appear at its path.
    Status commit();

private:
    struct Entry {
        std::string name;
        std::uint32_t crc = 0;
        std::uint32_t compressedSize = 0;
        std::uint32_t size = 0;
        std::uint16_t method = 0;
        std::uint32_t offset = 0;
    };

    ZipWriter(AtomicFileWriter file, std::uint16_t dosTime, std::uint16_t dosDate);
    Status write(std::string_view bytes);
    void appendSharedFields(std::string& out, const Entry& entry) const;

    AtomicFileWriter m_file;
    std::uint16_t m_dosTime = 0;
    std::uint16_t m_dosDate = 0;
    std::uint64_t m_offset = 0;
    std::vector<Entry> m_entries;
    std::set<std::string> m_names;
};

} // namespace ripen

#include "batch/ZipWriter.h"

#include "common/TextEncoding.h"

#include <limits>
#include <zlib.h>

namespace ripen {
namespace {

constexpr std::uint64_t kMaxZip32 = std::numeric_limits<std::uint32_t>::max();
constexpr std::size_t kMaxEntries = 65535;
constexpr std::uint16_t kVersion = 20;        // 2.0: deflate
constexpr std::uint16_t kUtf8Names = 1 << 11; // general purpose flag bit 11

void appendLe(std::string& out, std::uint64_t value, int bytes) {
    for (int i = 0; i < bytes; ++i) {
        out += static_cast<char>((value >> (8 * i)) & 0xFF);
    }
}

// Raw deflate (no zlib header), as zip method 8 wants. Empty when zlib fails.
std::string deflateRaw(std::string_view bytes) {
    z_stream stream{};
    if (deflateInit2(&stream, 6, Z_DEFLATED, -15, 8, Z_DEFAULT_STRATEGY) != Z_OK) {
        return {};
    }
    std::string out(deflateBound(&stream, static_cast<uLong>(bytes.size())), '\0');
    stream.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(bytes.data()));
    stream.avail_in = static_cast<uInt>(bytes.size());
    stream.next_out = reinterpret_cast<Bytef*>(out.data());
    stream.avail_out = static_cast<uInt>(out.size());
    const int status = deflate(&stream, Z_FINISH);
    out.resize(stream.total_out);
    deflateEnd(&stream);
    return status == Z_STREAM_END ? out : std::string();
}

Status checkName(std::string_view name) {
    const std::string shown = escapeInvalidUtf8(name);
    if (name.empty() || name.size() > 4096 || name.front() == '/' || !isValidUtf8(name) ||
        name.find('\\') != std::string_view::npos || name.find('\0') != std::string_view::npos) {
        return fail(ErrorCode::InvalidArgument, "zip entry name '" + shown +
                                                    "' is not a relative "
                                                    "UTF-8 path with / separators");
    }
    std::size_t start = 0;
    while (start <= name.size()) {
        const auto slash = std::min(name.find('/', start), name.size());
        const auto part = name.substr(start, slash - start);
        if (part.empty() || part == "." || part == "..") {
            return fail(ErrorCode::InvalidArgument,
                        "zip entry name '" + shown + "' has an empty, . or .. part");
        }
        start = slash + 1;
    }
    return {};
}

} // namespace

Result<ZipWriter> ZipWriter::create(const std::filesystem::path& target, std::time_t modified) {
    auto file = AtomicFileWriter::create(target);
    if (!file) {
        return std::unexpected(file.error());
    }
    std::uint16_t time = 0;
    std::uint16_t date = (0 << 9) | (1 << 5) | 1; // 1980-01-01
    std::tm utc{};
    if (modified > 0 && gmtime_r(&modified, &utc) != nullptr && utc.tm_year >= 80) {
        time = static_cast<std::uint16_t>(utc.tm_hour << 11 | utc.tm_min << 5 | utc.tm_sec / 2);
        date = static_cast<std::uint16_t>((utc.tm_year - 80) << 9 | (utc.tm_mon + 1) << 5 |
                                          utc.tm_mday);
    }
    return ZipWriter(std::move(*file), time, date);
}

ZipWriter::ZipWriter(AtomicFileWriter file, std::uint16_t dosTime, std::uint16_t dosDate)
    : m_file(std::move(file)), m_dosTime(dosTime), m_dosDate(dosDate) {}

// The fields a local header and its central directory entry share, in the same order:
// version needed, flags, method, time, date, CRC-32, sizes and the name's length.
void ZipWriter::appendSharedFields(std::string& out, const Entry& entry) const {
    appendLe(out, kVersion, 2);
    appendLe(out, kUtf8Names, 2);
    appendLe(out, entry.method, 2);
    appendLe(out, m_dosTime, 2);
    appendLe(out, m_dosDate, 2);
    appendLe(out, entry.crc, 4);
    appendLe(out, entry.compressedSize, 4);
    appendLe(out, entry.size, 4);
    appendLe(out, entry.name.size(), 2);
}

Status ZipWriter::write(std::string_view bytes) {
    m_offset += bytes.size();
    return m_file.write(bytes);
}

Status ZipWriter::add(std::string_view name, std::string_view bytes) {
    if (auto ok = checkName(name); !ok) {
        return ok;
    }
    if (m_names.contains(std::string(name))) {
        return fail(ErrorCode::InvalidArgument,
                    "zip entry '" + std::string(name) + "' is added twice");
    }
    if (m_entries.size() >= kMaxEntries || bytes.size() >= kMaxZip32) {
        return fail(ErrorCode::LimitExceeded,
                    "zip entry '" + std::string(name) +
                        "' is past the zip limits (4 GiB a file, 65535 files)");
    }
    Entry entry;
    entry.name = std::string(name);
    entry.size = static_cast<std::uint32_t>(bytes.size());
    entry.crc = static_cast<std::uint32_t>(
        crc32(0, reinterpret_cast<const Bytef*>(bytes.data()), static_cast<uInt>(bytes.size())));
    std::string deflated = deflateRaw(bytes);
    const bool store = deflated.empty() || deflated.size() >= bytes.size();
    const std::string_view data = store ? bytes : std::string_view(deflated);
    entry.method = store ? 0 : 8;
    entry.compressedSize = static_cast<std::uint32_t>(data.size());
    const std::uint64_t end = m_offset + 30 + name.size() + data.size();
    if (end >= kMaxZip32) {
        return fail(ErrorCode::LimitExceeded,
                    "the zip archive would pass 4 GiB at '" + std::string(name) + "'");
    }
    entry.offset = static_cast<std::uint32_t>(m_offset);
    std::string header;
    appendLe(header, 0x04034b50, 4);
    appendSharedFields(header, entry);
    appendLe(header, 0, 2); // extra field length
    header += name;
    if (auto ok = write(header); !ok) {
        return ok;
    }
    if (auto ok = write(data); !ok) {
        return ok;
    }
    m_names.insert(entry.name);
    m_entries.push_back(std::move(entry));
    return {};
}

Status ZipWriter::commit() {
    const std::uint64_t directoryOffset = m_offset;
    std::string directory;
    for (const Entry& entry : m_entries) {
        appendLe(directory, 0x02014b50, 4);
        appendLe(directory, 3 << 8 | kVersion, 2); // made by: Unix, 2.0
        appendSharedFields(directory, entry);
        appendLe(directory, 0, 2);                            // extra
        appendLe(directory, 0, 2);                            // comment
        appendLe(directory, 0, 2);                            // disk
        appendLe(directory, 0, 2);                            // internal attributes
        appendLe(directory, std::uint64_t{0100644} << 16, 4); // external: a regular rw-r--r-- file
        appendLe(directory, entry.offset, 4);
        directory += entry.name;
    }
    const std::size_t directorySize = directory.size();
    if (directoryOffset + directorySize >= kMaxZip32) {
        return fail(ErrorCode::LimitExceeded, "the zip archive would pass 4 GiB");
    }
    appendLe(directory, 0x06054b50, 4);
    appendLe(directory, 0, 2);
    appendLe(directory, 0, 2);
    appendLe(directory, m_entries.size(), 2);
    appendLe(directory, m_entries.size(), 2);
    appendLe(directory, directorySize, 4);
    appendLe(directory, directoryOffset, 4);
    appendLe(directory, 0, 2); // comment length
    if (auto ok = write(directory); !ok) {
        return ok;
    }
    return m_file.commit();
}

} // namespace ripen

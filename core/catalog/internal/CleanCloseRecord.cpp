#include "catalog/internal/CleanCloseRecord.h"

#include "common/AtomicFileWriter.h"
#include "common/Clock.h"
#include "common/FileIo.h"

#include <array>
#include <cerrno>
#include <charconv>
#include <chrono>
#include <sstream>
#include <string>
#include <sys/stat.h>
#include <thread>

namespace ripen {
namespace {

namespace fs = std::filesystem;

constexpr std::size_t kHeaderBytes = 100;
constexpr std::uint64_t kMaxRecordBytes = 4096;
// A coarse file system clock ticks every 1-10 ms (a jiffy); waiting longer than this means
// the clock moves in seconds (FAT, some network file systems) and no record is kept.
constexpr int kTickWaits = 20;
constexpr auto kTickWait = std::chrono::milliseconds(2);

std::int64_t nanos(const timespec& t) {
    return static_cast<std::int64_t>(t.tv_sec) * 1'000'000'000 + t.tv_nsec;
}

std::uint32_t bigEndian32(const unsigned char* p) {
    return (std::uint32_t(p[0]) << 24) | (std::uint32_t(p[1]) << 16) | (std::uint32_t(p[2]) << 8) |
           std::uint32_t(p[3]);
}

fs::path catalogFile(const fs::path& root) {
    return root / "catalog.sqlite";
}

bool walInUse(const fs::path& root) {
    std::error_code ec;
    return fs::exists(root / "catalog.sqlite-wal", ec);
}

std::string serialise(const CleanCloseRecord& r) {
    std::ostringstream out;
    out << "ripen-clean-close 1\n"
        << "device " << r.state.device << "\ninode " << r.state.inode << "\nbytes " << r.state.bytes
        << "\nmodified_ns " << r.state.modifiedNs << "\nchanged_ns " << r.state.changedNs
        << "\nchange_counter " << r.state.changeCounter << "\npage_count " << r.state.pageCount
        << "\nclosed_at_ms " << r.closedAtMs << "\nfull_check_at_ms " << r.fullCheckAtMs << "\n";
    return out.str();
}

template <class T> bool parseField(const std::string& text, const std::string& key, T& value) {
    const std::string needle = "\n" + key + " ";
    const auto at = text.find(needle);
    if (at == std::string::npos) {
        return false;
    }
    const char* begin = text.data() + at + needle.size();
    const char* end = text.data() + text.size();
    return std::from_chars(begin, end, value).ec == std::errc();
}

} // namespace

Result<CatalogFileState> CatalogFileState::of(const fs::path& catalog) {
    auto fd = openRegularFileForReading(catalog);
    if (!fd) {
        return std::unexpected(fd.error());
    }
    struct stat st {};
    if (::fstat(fd->get(), &st) != 0) {
        return std::unexpected(errnoError(errno, "cannot inspect", catalog));
    }
    std::array<unsigned char, kHeaderBytes> header{};
    const ssize_t got = ::pread(fd->get(), header.data(), header.size(), 0);
    if (got < 0) {
        return std::unexpected(errnoError(errno, "cannot read", catalog));
    }
    CatalogFileState state;
    state.device = st.st_dev;
    state.inode = st.st_ino;
    state.bytes = static_cast<std::uint64_t>(st.st_size);
    state.modifiedNs = nanos(st.st_mtim);
    state.changedNs = nanos(st.st_ctim);
    if (static_cast<std::size_t>(got) == header.size()) {
        state.changeCounter = bigEndian32(header.data() + 24);
        state.pageCount = bigEndian32(header.data() + 28);
    }
    return state;
}

fs::path CleanCloseRecord::file(const fs::path& root) {
    return root / "catalog.sqlite.clean";
}

std::optional<CleanCloseRecord> CleanCloseRecord::read(const fs::path& root) {
    auto text = readFileBounded(file(root), kMaxRecordBytes);
    if (!text || !text->starts_with("ripen-clean-close 1\n")) {
        return std::nullopt;
    }
    const std::string body = "\n" + text->substr(text->find('\n') + 1);
    CleanCloseRecord r;
    const bool complete = parseField(body, "device", r.state.device) &&
                          parseField(body, "inode", r.state.inode) &&
                          parseField(body, "bytes", r.state.bytes) &&
                          parseField(body, "modified_ns", r.state.modifiedNs) &&
                          parseField(body, "changed_ns", r.state.changedNs) &&
                          parseField(body, "change_counter", r.state.changeCounter) &&
                          parseField(body, "page_count", r.state.pageCount) &&
                          parseField(body, "closed_at_ms", r.closedAtMs) &&
                          parseField(body, "full_check_at_ms", r.fullCheckAtMs);
    return complete ? std::optional<CleanCloseRecord>(r) : std::nullopt;
}

void CleanCloseRecord::remove(const fs::path& root) {
    std::error_code ec;
    fs::remove(file(root), ec);
}

bool CleanCloseRecord::write(const fs::path& root, std::int64_t fullCheckAtMs) {
    for (int attempt = 0; attempt < kTickWaits; ++attempt) {
        if (walInUse(root)) {
            return false; // the last connection to close records it
        }
        auto writer = AtomicFileWriter::create(file(root));
        if (!writer) {
            return false;
        }
        // The temp file's mtime is the file system's clock now; the state is read after it.
        struct stat probe {};
        if (::stat(writer->tempPath().c_str(), &probe) != 0) {
            return false;
        }
        auto state = CatalogFileState::of(catalogFile(root));
        if (!state) {
            return false;
        }
        if (state->changedNs >= nanos(probe.st_mtim)) {
            std::this_thread::sleep_for(kTickWait); // written in this tick: wait for the next
            continue;
        }
        const CleanCloseRecord record{*state, unixMillis(), fullCheckAtMs};
        if (!writer->write(serialise(record)) || walInUse(root)) {
            return false;
        }
        return writer->commit().has_value();
    }
    return false;
}

} // namespace ripen

#include "catalog/BlobStore.h"

#include "common/FileIo.h"
#include "common/Sha256.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <system_error>
#include <vector>

namespace ripen {
namespace {

// Removes the temp file unless it was promoted.
class TempFileGuard {
public:
    explicit TempFileGuard(std::filesystem::path path) : m_path(std::move(path)) {}
    TempFileGuard(const TempFileGuard&) = delete;
    TempFileGuard& operator=(const TempFileGuard&) = delete;
    ~TempFileGuard() {
        if (!m_path.empty()) {
            ::unlink(m_path.c_str());
        }
    }
    void release() { m_path.clear(); }

private:
    std::filesystem::path m_path;
};

Status writeAll(int fd, std::string_view bytes, const std::filesystem::path& name) {
    while (!bytes.empty()) {
        const ssize_t n = ::write(fd, bytes.data(), bytes.size());
        if (n < 0) {
            if (errno == EINTR) {
                continue;
            }
            return std::unexpected(errnoError(errno, "cannot write", name));
        }
        bytes.remove_prefix(static_cast<std::size_t>(n));
    }
    return {};
}

// An existing blob is adopted: its time is refreshed, so that BlobCollector, which spares
// blobs younger than an hour, leaves it alone while the commit that adopts it may be in
// flight. False when there is none, also when it went between a check and this call.
bool adoptExisting(const std::filesystem::path& blob) {
    return ::utimensat(AT_FDCWD, blob.c_str(), nullptr, 0) == 0;
}

Result<UniqueFd> createTemp(const std::filesystem::path& dir, std::filesystem::path& tempPath) {
    std::error_code ec;
    std::filesystem::create_directories(dir, ec);
    std::string pattern = (dir / "blob-XXXXXX").string();
    const int fd = ::mkostemp(pattern.data(), O_CLOEXEC);
    if (fd < 0) {
        return std::unexpected(errnoError(errno, "cannot create a temp file in", dir));
    }
    tempPath = pattern;
    return UniqueFd(fd);
}

} // namespace

BlobStore::BlobStore(std::filesystem::path libraryRoot)
    : m_root(std::move(libraryRoot)), m_incoming(m_root / "blobs" / ".incoming") {}

std::filesystem::path BlobStore::absolutePath(const std::string& relativePath) const {
    return m_root / relativePath;
}

std::string BlobStore::relativePathFor(const std::string& sha256, std::string_view extension) const {
    return "blobs/" + sha256.substr(0, 2) + "/" + sha256 + "." + std::string(extension);
}

Result<BlobStore::Stored> BlobStore::storeBytes(std::string_view bytes, std::string_view extension) {
    const std::string sha = Sha256::ofBytes(bytes);
    const std::string relative = relativePathFor(sha, extension);
    if (adoptExisting(absolutePath(relative))) {
        return Stored{sha, relative, static_cast<std::int64_t>(bytes.size()), true};
    }
    std::filesystem::path temp;
    auto fd = createTemp(m_incoming, temp);
    if (!fd) {
        return std::unexpected(fd.error());
    }
    TempFileGuard guard(temp);
    if (auto written = writeAll(fd->get(), bytes, temp); !written) {
        return std::unexpected(written.error());
    }
    if (::fsync(fd->get()) != 0) {
        return std::unexpected(errnoError(errno, "cannot sync", temp));
    }
    auto stored = promote(temp, sha, static_cast<std::int64_t>(bytes.size()), extension);
    if (stored) {
        guard.release();
    }
    return stored;
}

Result<BlobStore::Stored> BlobStore::storeStream(int fd, std::string_view extension,
                                                 const std::filesystem::path& nameForErrors,
                                                 ProgressSink& progress) {
    std::filesystem::path temp;
    auto out = createTemp(m_incoming, temp);
    if (!out) {
        return std::unexpected(out.error());
    }
    TempFileGuard guard(temp);
    Sha256 hash;
    std::vector<char> buffer(1 << 20);
    std::int64_t total = 0;
    while (true) {
        if (progress.cancelled()) {
            return fail(ErrorCode::Cancelled, "copy of " + nameForErrors.string() + " cancelled");
        }
        const ssize_t n = ::read(fd, buffer.data(), buffer.size());
        if (n < 0 && errno == EINTR) {
            continue;
        }
        if (n < 0) {
            return std::unexpected(errnoError(errno, "cannot read", nameForErrors));
        }
        if (n == 0) {
            break;
        }
        const std::string_view chunk(buffer.data(), static_cast<std::size_t>(n));
        hash.update(chunk);
        if (auto written = writeAll(out->get(), chunk, temp); !written) {
            return std::unexpected(written.error());
        }
        total += n;
    }
    if (::fsync(out->get()) != 0) {
        return std::unexpected(errnoError(errno, "cannot sync", temp));
    }
    auto stored = promote(temp, hash.hexDigest(), total, extension);
    if (stored) {
        guard.release();
    }
    return stored;
}

Result<BlobStore::Stored> BlobStore::promote(const std::filesystem::path& temp,
                                             const std::string& sha256, std::int64_t size,
                                             std::string_view extension) {
    const std::string relative = relativePathFor(sha256, extension);
    const std::filesystem::path target = absolutePath(relative);
    if (adoptExisting(target)) {
        ::unlink(temp.c_str());
        return Stored{sha256, relative, size, true};
    }
    std::error_code ec;
    std::filesystem::create_directories(target.parent_path(), ec);
    if (ec) {
        return fail(ErrorCode::Io, "cannot create " + target.parent_path().string() + ": " +
                                       ec.message());
    }
    if (::rename(temp.c_str(), target.c_str()) != 0) {
        return std::unexpected(errnoError(errno, "cannot move blob into place at", target));
    }
    if (auto synced = syncDirectory(target.parent_path()); !synced) {
        return std::unexpected(synced.error());
    }
    return Stored{sha256, relative, size, false};
}

void BlobStore::sweepIncoming() const {
    // Only files untouched for an hour: a younger one may belong to an import or a job
    // running in another process right now.
    const auto cutoff = std::filesystem::file_time_type::clock::now() - std::chrono::hours(1);
    std::error_code ec;
    for (const auto& entry : std::filesystem::directory_iterator(m_incoming, ec)) {
        if (entry.last_write_time(ec) < cutoff && !ec) {
            std::filesystem::remove(entry.path(), ec);
        }
    }
}

} // namespace ripen

#include "common/FileIo.h"

#include "common/AtomicFileWriter.h"
#include "common/TextEncoding.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace ripen {
namespace {

const char* fileTypeName(mode_t mode) {
    if (S_ISDIR(mode)) {
        return "a folder";
    }
    if (S_ISFIFO(mode)) {
        return "a FIFO (named pipe)";
    }
    if (S_ISCHR(mode)) {
        return "a character device";
    }
    if (S_ISBLK(mode)) {
        return "a block device";
    }
    if (S_ISSOCK(mode)) {
        return "a socket";
    }
    return "not a regular file";
}

} // namespace

Error errnoError(int err, std::string_view action, const std::filesystem::path& path) {
    const ErrorCode code = (err == ENOSPC || err == EDQUOT) ? ErrorCode::DiskFull
                           : (err == ENOENT)                ? ErrorCode::NotFound
                                                            : ErrorCode::Io;
    std::string message = std::string(action) + " " + escapeInvalidUtf8(path.native()) + ": " +
                          std::strerror(err);
    return Error{code, std::move(message)};
}

Result<UniqueFd> openRegularFileForReading(const std::filesystem::path& path) {
    // O_NONBLOCK: opening a FIFO for reading would otherwise wait for a writer forever.
    const int fd = ::open(path.c_str(), O_RDONLY | O_NONBLOCK | O_CLOEXEC | O_NOCTTY);
    if (fd < 0) {
        return std::unexpected(errnoError(errno, "cannot open", path));
    }
    UniqueFd owned(fd);
    struct stat st {};
    if (::fstat(fd, &st) != 0) {
        return std::unexpected(errnoError(errno, "cannot stat", path));
    }
    if (!S_ISREG(st.st_mode)) {
        return fail(ErrorCode::Unsupported, escapeInvalidUtf8(path.native()) + " is " +
                                                fileTypeName(st.st_mode) + ", not a regular file");
    }
    const int flags = ::fcntl(fd, F_GETFL);
    if (flags >= 0) {
        ::fcntl(fd, F_SETFL, flags & ~O_NONBLOCK);
    }
    return owned;
}

Result<std::string> readPrefix(int fd, std::size_t maxBytes,
                               const std::filesystem::path& nameForErrors) {
    std::string buffer(maxBytes, '\0');
    std::size_t filled = 0;
    while (filled < maxBytes) {
        const ssize_t n = ::read(fd, buffer.data() + filled, maxBytes - filled);
        if (n < 0) {
            if (errno == EINTR) {
                continue;
            }
            return std::unexpected(errnoError(errno, "cannot read", nameForErrors));
        }
        if (n == 0) {
            break;
        }
        filled += static_cast<std::size_t>(n);
    }
    buffer.resize(filled);
    return buffer;
}

Result<std::string> readFileBounded(const std::filesystem::path& path, std::uint64_t maxBytes) {
    auto fd = openRegularFileForReading(path);
    if (!fd) {
        return std::unexpected(fd.error());
    }
    struct stat st {};
    if (::fstat(fd->get(), &st) != 0) {
        return std::unexpected(errnoError(errno, "cannot stat", path));
    }
    if (static_cast<std::uint64_t>(st.st_size) > maxBytes) {
        return fail(ErrorCode::LimitExceeded,
                    escapeInvalidUtf8(path.native()) + " is " + std::to_string(st.st_size) +
                        " bytes; the limit is " + std::to_string(maxBytes));
    }
    // Read one byte past the stat size so a file that grows while we read is caught; the
    // buffer is sized by the file, never by the limit.
    auto bytes = readPrefix(fd->get(), static_cast<std::size_t>(st.st_size) + 1, path);
    if (bytes && bytes->size() > static_cast<std::size_t>(st.st_size)) {
        return fail(ErrorCode::LimitExceeded,
                    escapeInvalidUtf8(path.native()) + " grew while being read; import it "
                                                       "again once it is complete");
    }
    return bytes;
}

Status syncDirectory(const std::filesystem::path& dir) {
    const int fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd < 0) {
        return std::unexpected(errnoError(errno, "cannot open folder", dir));
    }
    UniqueFd owned(fd);
    if (::fsync(fd) != 0) {
        return std::unexpected(errnoError(errno, "cannot sync folder", dir));
    }
    return {};
}

Status writeFileAtomically(const std::filesystem::path& path, std::string_view bytes) {
    auto writer = AtomicFileWriter::create(path);
    if (!writer) {
        return std::unexpected(writer.error());
    }
    if (auto written = writer->write(bytes); !written) {
        return written;
    }
    return writer->commit();
}

} // namespace ripen

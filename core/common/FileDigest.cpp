#include "common/FileDigest.h"

#include "common/FileIo.h"
#include "common/Sha256.h"

#include <cerrno>
#include <unistd.h>

namespace ripen {

Result<std::string> sha256OfFile(const std::filesystem::path& file) {
    auto fd = openRegularFileForReading(file);
    if (!fd) {
        return std::unexpected(fd.error());
    }
    Sha256 hash;
    std::string buffer(1 << 20, '\0');
    while (true) {
        const ssize_t n = ::read(fd->get(), buffer.data(), buffer.size());
        if (n < 0 && errno == EINTR) {
            continue;
        }
        if (n < 0) {
            return std::unexpected(errnoError(errno, "cannot read", file));
        }
        if (n == 0) {
            return hash.hexDigest();
        }
        hash.update(std::string_view(buffer.data(), static_cast<std::size_t>(n)));
    }
}

} // namespace ripen

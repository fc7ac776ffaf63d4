#include "providers/internal/ScratchFile.h"

#include "common/FileIo.h"

#include <cerrno>
#include <fcntl.h>
#include <random>
#include <string>
#include <unistd.h>

namespace ripen::providers {
namespace {

std::string randomHex(int digits) {
    static thread_local std::mt19937_64 generator{std::random_device{}()};
    constexpr char kDigits[] = "0123456789abcdef";
    std::string text;
    for (int i = 0; i < digits; ++i) {
        text += kDigits[generator() % 16];
    }
    return text;
}

Status writeAll(int fd, std::string_view bytes, const std::filesystem::path& path) {
    while (!bytes.empty()) {
        const auto written = ::write(fd, bytes.data(), bytes.size());
        if (written < 0 && errno == EINTR) {
            continue;
        }
        if (written <= 0) {
            return std::unexpected(errnoError(errno, "writing", path));
        }
        bytes.remove_prefix(static_cast<std::size_t>(written));
    }
    return {};
}

} // namespace

Result<ScratchFile> ScratchFile::create(const std::filesystem::path& dir, std::string_view stem,
                                        std::string_view extension, std::string_view bytes) {
    const auto path =
        dir / (std::string(stem) + "-" + randomHex(16) + "." + std::string(extension));
    // O_EXCL: never follow or reuse something already there.
    UniqueFd fd(::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600));
    if (!fd.valid()) {
        return std::unexpected(errnoError(errno, "creating", path));
    }
    ScratchFile file(path);
    if (auto status = writeAll(fd.get(), bytes, path); !status) {
        return std::unexpected(status.error());
    }
    return file;
}

ScratchFile::ScratchFile(ScratchFile&& other) noexcept : m_path(std::move(other.m_path)) {
    other.m_path.clear();
}

ScratchFile& ScratchFile::operator=(ScratchFile&& other) noexcept {
    if (this != &other) {
        remove();
        m_path = std::move(other.m_path);
        other.m_path.clear();
    }
    return *this;
}

ScratchFile::~ScratchFile() {
    remove();
}

void ScratchFile::remove() noexcept {
    if (!m_path.empty()) {
        std::error_code ignored;
        std::filesystem::remove(m_path, ignored);
        m_path.clear();
    }
}

} // namespace ripen::providers

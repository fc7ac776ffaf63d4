#include "common/AtomicFileWriter.h"

#include "common/FileIo.h"

#include <cerrno>
#include <cstdio>
#include <fcntl.h>
#include <random>
#include <unistd.h>
#include <utility>

namespace ripen {
namespace {

std::filesystem::path tempNameBeside(const std::filesystem::path& target) {
    static thread_local std::mt19937_64 rng{std::random_device{}()};
    char suffix[32];
    std::snprintf(suffix, sizeof suffix, ".%016llx.tmp", static_cast<unsigned long long>(rng()));
    std::filesystem::path temp = target;
    temp += suffix;
    return temp;
}

} // namespace

AtomicFileWriter::AtomicFileWriter(std::filesystem::path target, std::filesystem::path temp,
                                   UniqueFd fd)
    : m_target(std::move(target)), m_temp(std::move(temp)), m_fd(std::move(fd)) {}

AtomicFileWriter::AtomicFileWriter(AtomicFileWriter&& other) noexcept
    : m_target(std::move(other.m_target)), m_temp(std::move(other.m_temp)),
      m_fd(std::move(other.m_fd)), m_committed(std::exchange(other.m_committed, true)) {}

AtomicFileWriter::~AtomicFileWriter() {
    if (!m_committed && !m_temp.empty()) {
        m_fd.reset();
        ::unlink(m_temp.c_str());
    }
}

Result<AtomicFileWriter> AtomicFileWriter::create(const std::filesystem::path& target) {
    const std::filesystem::path temp = tempNameBeside(target);
    const int fd = ::open(temp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
    if (fd < 0) {
        return std::unexpected(errnoError(errno, "cannot create", temp));
    }
    return AtomicFileWriter(target, temp, UniqueFd(fd));
}

Status AtomicFileWriter::write(std::string_view bytes) {
    while (!bytes.empty()) {
        const ssize_t n = ::write(m_fd.get(), bytes.data(), bytes.size());
        if (n < 0) {
            if (errno == EINTR) {
                continue;
            }
            return std::unexpected(errnoError(errno, "cannot write", m_target));
        }
        bytes.remove_prefix(static_cast<std::size_t>(n));
    }
    return {};
}

Status AtomicFileWriter::commit() {
    if (::fsync(m_fd.get()) != 0) {
        return std::unexpected(errnoError(errno, "cannot sync", m_target));
    }
    m_fd.reset();
    if (::rename(m_temp.c_str(), m_target.c_str()) != 0) {
        return std::unexpected(errnoError(errno, "cannot rename into place", m_target));
    }
    m_committed = true;
    return syncDirectory(m_target.parent_path().empty() ? "." : m_target.parent_path());
}

Status copyFileAtomically(const std::filesystem::path& from, const std::filesystem::path& to) {
    auto in = openRegularFileForReading(from);
    if (!in) {
        return std::unexpected(in.error());
    }
    auto out = AtomicFileWriter::create(to);
    if (!out) {
        return std::unexpected(out.error());
    }
    constexpr std::size_t kBuffer = std::size_t{1} << 20;
    while (true) {
        auto chunk = readPrefix(in->get(), kBuffer, from);
        if (!chunk) {
            return std::unexpected(chunk.error());
        }
        if (chunk->empty()) {
            return out->commit();
        }
        if (auto written = out->write(*chunk); !written) {
            return written;
        }
    }
}

} // namespace ripen

#include "video/internal/ContainerCompleteness.h"

#include "common/ByteOrder.h"
#include "common/FileIo.h"
#include "common/TextEncoding.h"

#include <algorithm>
#include <cerrno>
#include <string>
#include <sys/stat.h>
#include <unistd.h>

namespace ripen {
namespace {

// Real files have a handful of top-level boxes; a fragmented MP4 a few per second of
// video. Past this many the walk stops judging rather than spend unbounded reads.
constexpr int kMaxTopLevelBoxes = 100'000;
constexpr std::size_t kEbmlHeadBytes = 4096;
constexpr std::uint64_t kSegmentId = 0x18538067;

Result<std::string> readAt(int fd, std::uint64_t offset, std::size_t length,
                           const std::filesystem::path& path) {
    std::string buffer(length, '\0');
    std::size_t done = 0;
    while (done < length) {
        const ssize_t got =
            ::pread(fd, buffer.data() + done, length - done, static_cast<off_t>(offset + done));
        if (got < 0 && errno == EINTR) {
            continue;
        }
        if (got < 0) {
            return std::unexpected(errnoError(errno, "cannot read", path));
        }
        if (got == 0) {
            break;
        }
        done += static_cast<std::size_t>(got);
    }
    buffer.resize(done);
    return buffer;
}

std::unexpected<Error> truncatedError(const std::filesystem::path& path, const std::string& what,
                                      std::uint64_t need, std::uint64_t fileSize) {
    return fail(ErrorCode::Corrupt, escapeInvalidUtf8(path.native()) + " is truncated: " + what +
                                        " needs " + std::to_string(need) +
                                        " bytes but the file has " + std::to_string(fileSize) +
                                        " (was the download or copy cut short?)");
}

bool isFourCc(std::string_view type) {
    return std::all_of(type.begin(), type.end(), [](char c) { return c >= 0x20 && c <= 0x7E; });
}

Status checkIsoBmff(int fd, std::uint64_t fileSize, const std::filesystem::path& path) {
    std::uint64_t offset = 0;
    for (int boxes = 0; offset < fileSize && boxes < kMaxTopLevelBoxes; ++boxes) {
        auto head = readAt(fd, offset, 16, path);
        if (!head) {
            return std::unexpected(head.error());
        }
        const std::string& h = *head;
        if (h.size() < 8) {
            // Zero padding after the last box is harmless; anything else is a cut header.
            if (h.find_first_not_of('\0') == std::string::npos) {
                return {};
            }
            return truncatedError(path, "a box header at byte " + std::to_string(offset),
                                  offset + 8, fileSize);
        }
        const std::string_view type = std::string_view(h).substr(4, 4);
        if (!isFourCc(type)) {
            return {}; // not a box: trailing data some tools leave, FFmpeg ignores it
        }
        std::uint64_t size = readBe32(h, 0);
        std::uint64_t headerSize = 8;
        if (size == 0) {
            return {}; // the last box runs to the end of the file by definition
        }
        if (size == 1) {
            if (h.size() < 16) {
                return truncatedError(path, "the '" + std::string(type) + "' box header",
                                      offset + 16, fileSize);
            }
            size = readBe64(h, 8);
            headerSize = 16;
        }
        if (size < headerSize) {
            return fail(ErrorCode::Corrupt, escapeInvalidUtf8(path.native()) + ": the '" +
                                                std::string(type) + "' box at byte " +
                                                std::to_string(offset) + " has an impossible size");
        }
        if (size > fileSize - offset) {
            return truncatedError(
                path, "its '" + std::string(type) + "' box at byte " + std::to_string(offset),
                offset + std::min(size, ~offset), fileSize);
        }
        offset += size;
    }
    return {};
}

Status checkMatroska(int fd, std::uint64_t fileSize, const std::filesystem::path& path) {
    auto head = readAt(fd, 0, kEbmlHeadBytes, path);
    if (!head) {
        return std::unexpected(head.error());
    }
    const std::string_view h = *head;
    std::uint64_t headerSize = 0;
    const std::size_t headerWidth = readEbmlVint(h, 4, false, headerSize);
    if (headerWidth == 0 || !fitsIn(h.size(), 4 + headerWidth, headerSize)) {
        if (h.size() == fileSize) {
            return fail(ErrorCode::Corrupt, escapeInvalidUtf8(path.native()) +
                                                " is truncated: it ends inside its EBML header");
        }
        return {}; // an unusually long header: FFmpeg will judge it
    }
    const std::size_t segment = 4 + headerWidth + static_cast<std::size_t>(headerSize);
    std::uint64_t id = 0;
    std::uint64_t size = 0;
    const std::size_t idWidth = readEbmlVint(h, segment, true, id);
    const std::size_t sizeWidth =
        idWidth == 0 ? 0 : readEbmlVint(h, segment + idWidth, false, size);
    if (sizeWidth == 0) {
        if (h.size() == fileSize) {
            return fail(ErrorCode::Corrupt, escapeInvalidUtf8(path.native()) +
                                                " is truncated: it ends before its Segment starts");
        }
        return {};
    }
    if (id != kSegmentId || isEbmlUnknownSize(size, sizeWidth)) {
        return {}; // a live recording may leave the size open
    }
    const std::uint64_t dataStart = segment + idWidth + sizeWidth;
    if (dataStart > fileSize || size > fileSize - dataStart) {
        return truncatedError(path, "its Segment", dataStart + size, fileSize);
    }
    return {};
}

} // namespace

Status checkContainerComplete(const std::filesystem::path& path) {
    auto file = openRegularFileForReading(path);
    if (!file) {
        return std::unexpected(file.error());
    }
    struct stat st {};
    if (::fstat(file->get(), &st) != 0) {
        return std::unexpected(errnoError(errno, "cannot stat", path));
    }
    const auto fileSize = static_cast<std::uint64_t>(st.st_size);
    auto start = readAt(file->get(), 0, 8, path);
    if (!start) {
        return std::unexpected(start.error());
    }
    if (start->size() == 8 && start->substr(4, 4) == "ftyp") {
        return checkIsoBmff(file->get(), fileSize, path);
    }
    if (start->starts_with("\x1a\x45\xdf\xa3")) {
        return checkMatroska(file->get(), fileSize, path);
    }
    return {};
}

} // namespace ripen

#pragma once

#include "common/Error.h"
#include "common/UniqueFd.h"

#include <cstdint>
#include <filesystem>
#include <string>
#include <string_view>

namespace ripen {

// Opens an existing regular file for reading. FIFOs, devices, sockets and directories are
// refused by name before any read, and the open never blocks on a FIFO.
Result<UniqueFd> openRegularFileForReading(const std::filesystem::path& path);

// Reads a whole regular file, refusing it when it is larger than `maxBytes`.
Result<std::string> readFileBounded(const std::filesystem::path& path, std::uint64_t maxBytes);

// Reads up to `maxBytes` from the current position of `fd`.
Result<std::string> readPrefix(int fd, std::size_t maxBytes, const std::filesystem::path& nameForErrors);

// Writes `bytes` to `path` so that `path` afterwards holds either its old content or all
// of the new one: temp file in the same folder, fsync, rename, fsync of the folder.
Status writeFileAtomically(const std::filesystem::path& path, std::string_view bytes);

// Syncs a folder so that a rename inside it survives a power cut.
Status syncDirectory(const std::filesystem::path& dir);

// Maps an errno from a failed write or open to an Error naming the file.
Error errnoError(int err, std::string_view action, const std::filesystem::path& path);

} // namespace ripen

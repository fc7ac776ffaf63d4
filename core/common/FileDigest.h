#pragma once

#include "common/Error.h"

#include <filesystem>
#include <string>

namespace ripen {

// The SHA-256 (lower-case hex) of a regular file of any size, read one buffer at a time.
// Errors: those of openRegularFileForReading, Io naming the file.
Result<std::string> sha256OfFile(const std::filesystem::path& file);

} // namespace ripen

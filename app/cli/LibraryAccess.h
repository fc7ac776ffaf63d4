#pragma once

#include "catalog/Library.h"

#include <filesystem>
#include <memory>

namespace ripen::cli {

// Opens the library for a command; on failure prints the reason to stderr and returns null.
std::unique_ptr<Library> openLibraryOrReport(const std::filesystem::path& root);

} // namespace ripen::cli

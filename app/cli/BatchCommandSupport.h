#pragma once

#include "ArgParser.h"
#include "common/Error.h"

#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

namespace ripen::cli {

// Shared by the batch imaging commands (cutout, advariants, mockup, printcheck,
// contactsheet, bundle), which work on files and need no library.

// Prints "ripen-cli COMMAND: MESSAGE" to stderr and returns kExitUsage / kExitFailure.
int usageError(std::string_view command, std::string_view message);
int failure(std::string_view command, std::string_view message);

// The number given as --NAME, `fallback` when absent. Errors: InvalidArgument naming the
// option and its range when the value is not a number in [low, high].
Result<double> numberOption(const ArgParser& args, const std::string& name, double low, double high,
                            double fallback);

// The image files named: files as given, folders expanded to the PNG, JPEG, WebP and TIFF
// files directly inside them (by extension, sorted by name). Errors: NotFound naming the
// path that does not exist or a folder without images.
Result<std::vector<std::filesystem::path>> imageFilesIn(const std::vector<std::string>& paths);

} // namespace ripen::cli

#pragma once

#include <filesystem>
#include <string_view>

namespace ripen {

// Finds Ripen's read-only data (resources/): $RIPEN_RESOURCES_DIR, then the installed
// share folder beside the executable (../share/ripen/resources), then the source tree the
// binary was built from (for running from a build folder).
std::filesystem::path resourcesDir();
std::filesystem::path resourceFile(std::string_view relative);

} // namespace ripen

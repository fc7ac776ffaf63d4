#include "common/ResourceLocator.h"

#include <unistd.h>

#include <array>
#include <cstdlib>
#include <system_error>

namespace ripen {
namespace {

std::filesystem::path executableDir() {
    std::array<char, 4096> buffer{};
    const ssize_t n = ::readlink("/proc/self/exe", buffer.data(), buffer.size() - 1);
    if (n <= 0) {
        return {};
    }
    return std::filesystem::path(std::string(buffer.data(), static_cast<std::size_t>(n))).parent_path();
}

} // namespace

std::filesystem::path resourcesDir() {
    std::error_code ec;
    if (const char* dir = std::getenv("RIPEN_RESOURCES_DIR"); dir != nullptr && *dir != '\0') {
        return dir;
    }
    if (const auto exe = executableDir(); !exe.empty()) {
        const auto installed = exe.parent_path() / "share" / "ripen" / "resources";
        if (std::filesystem::is_directory(installed, ec)) {
            return installed;
        }
    }
    return std::filesystem::path(RIPEN_SOURCE_DIR) / "resources";
}

std::filesystem::path resourceFile(std::string_view relative) {
    return resourcesDir() / std::filesystem::path(relative);
}

} // namespace ripen

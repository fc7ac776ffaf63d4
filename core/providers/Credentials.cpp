#include "providers/Credentials.h"

#include <cstdlib>

namespace ripen {

std::optional<std::string> EnvironmentCredentials::get(std::string_view name) const {
    // getenv is safe to call from many threads as long as nobody calls setenv; Ripen
    // only reads its environment.
    const char* value = std::getenv(std::string(name).c_str());
    if (value == nullptr || *value == '\0') {
        return std::nullopt; // an empty variable is as good as none: it cannot authenticate
    }
    return std::string(value);
}

} // namespace ripen

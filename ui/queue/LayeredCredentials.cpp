#include "queue/LayeredCredentials.h"

namespace ripen::ui {

std::optional<std::string> LayeredCredentials::get(std::string_view name) const {
    if (const auto it = m_keys.find(name); it != m_keys.end() && !it->second.empty()) {
        return it->second;
    }
    return m_environment.get(name);
}

} // namespace ripen::ui

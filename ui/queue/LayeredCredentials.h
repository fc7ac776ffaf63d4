#pragma once

#include "providers/Credentials.h"

#include <functional>
#include <map>
#include <string>

namespace ripen::ui {

// Keys the user entered in Settings (from the keychain or the opted-in key file) over the
// environment: a key set in Settings wins, a key only in the environment still works.
// Immutable once made, so runner threads may read it while the GUI builds a newer one.
class LayeredCredentials final : public ripen::Credentials {
public:
    using Keys = std::map<std::string, std::string, std::less<>>;

    explicit LayeredCredentials(Keys keys = {}) : m_keys(std::move(keys)) {}

    std::optional<std::string> get(std::string_view name) const override;

private:
    Keys m_keys;
    ripen::EnvironmentCredentials m_environment;
};

} // namespace ripen::ui

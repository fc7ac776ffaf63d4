#pragma once

#include "providers/Credentials.h"

#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>

namespace ripen::test {

// Keys as the keychain or the environment would give them, without touching either.
class TestCredentials final : public Credentials {
public:
    TestCredentials() = default;
    TestCredentials(std::string name, std::string value) {
        values.emplace(std::move(name), std::move(value));
    }

    std::optional<std::string> get(std::string_view name) const override {
        const auto it = values.find(name);
        return it == values.end() ? std::nullopt : std::optional<std::string>(it->second);
    }

    std::map<std::string, std::string, std::less<>> values;
};

} // namespace ripen::test

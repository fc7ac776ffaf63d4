#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace ripen {

// Where API keys come from. Core reads the environment (GEMINI_API_KEY, OPENAI_API_KEY,
// STABILITY_API_KEY, KLING_ACCESS_KEY, KLING_SECRET_KEY, ...); the GUI adds the system
// keychain. A key is only ever passed to a provider for a request header.
class Credentials {
public:
    virtual ~Credentials() = default;
    virtual std::optional<std::string> get(std::string_view name) const = 0;
};

class EnvironmentCredentials final : public Credentials {
public:
    std::optional<std::string> get(std::string_view name) const override;
};

} // namespace ripen

#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

namespace ripen::cli {

// A small, strict command-line parser: every option is declared, so a typo is an error
// rather than a silently ignored word.
class ArgParser {
public:
    // `takesValue`: "--name VALUE" or "--name=VALUE"; otherwise a flag. Repeatable options
    // keep every value.
    void addOption(std::string name, bool takesValue, std::string valueName, std::string help);

    // Parses `args` (without the program and command names). On error returns a message.
    std::optional<std::string> parse(const std::vector<std::string>& args);

    bool has(const std::string& name) const;
    std::optional<std::string> value(const std::string& name) const;
    std::vector<std::string> values(const std::string& name) const;
    const std::vector<std::string>& positionals() const { return m_positionals; }

    // "  --name VALUE   help" lines, aligned.
    std::string optionHelp() const;

private:
    struct Option {
        std::string name;
        bool takesValue = false;
        std::string valueName;
        std::string help;
    };
    const Option* find(const std::string& name) const;

    std::vector<Option> m_options;
    std::map<std::string, std::vector<std::string>> m_values;
    std::vector<std::string> m_positionals;
};

} // namespace ripen::cli

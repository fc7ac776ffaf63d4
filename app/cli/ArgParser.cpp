#include "ArgParser.h"

#include <algorithm>

namespace ripen::cli {

void ArgParser::addOption(std::string name, bool takesValue, std::string valueName,
                          std::string help) {
    m_options.push_back({std::move(name), takesValue, std::move(valueName), std::move(help)});
}

const ArgParser::Option* ArgParser::find(const std::string& name) const {
    const auto it = std::find_if(m_options.begin(), m_options.end(),
                                 [&](const Option& o) { return o.name == name; });
    return it == m_options.end() ? nullptr : &*it;
}

std::optional<std::string> ArgParser::parse(const std::vector<std::string>& args) {
    bool onlyPositionals = false;
    for (std::size_t i = 0; i < args.size(); ++i) {
        const std::string& arg = args[i];
        if (onlyPositionals || arg.size() < 2 || arg.compare(0, 2, "--") != 0) {
            m_positionals.push_back(arg);
            continue;
        }
        if (arg == "--") {
            onlyPositionals = true;
            continue;
        }
        const auto eq = arg.find('=');
        const std::string name = arg.substr(2, eq == std::string::npos ? std::string::npos : eq - 2);
        const Option* option = find(name);
        if (option == nullptr) {
            return "unknown option --" + name;
        }
        if (!option->takesValue) {
            if (eq != std::string::npos) {
                return "--" + name + " takes no value";
            }
            m_values[name].emplace_back();
            continue;
        }
        if (eq != std::string::npos) {
            m_values[name].push_back(arg.substr(eq + 1));
        } else if (i + 1 < args.size()) {
            m_values[name].push_back(args[++i]);
        } else {
            return "--" + name + " needs a value (" + option->valueName + ")";
        }
    }
    return std::nullopt;
}

bool ArgParser::has(const std::string& name) const { return m_values.contains(name); }

std::optional<std::string> ArgParser::value(const std::string& name) const {
    const auto it = m_values.find(name);
    if (it == m_values.end() || it->second.empty()) {
        return std::nullopt;
    }
    return it->second.back();
}

std::vector<std::string> ArgParser::values(const std::string& name) const {
    const auto it = m_values.find(name);
    return it == m_values.end() ? std::vector<std::string>{} : it->second;
}

std::string ArgParser::optionHelp() const {
    std::vector<std::string> heads;
    std::size_t width = 0;
    for (const auto& option : m_options) {
        std::string head = "  --" + option.name;
        if (option.takesValue) {
            head += " " + option.valueName;
        }
        width = std::max(width, head.size());
        heads.push_back(std::move(head));
    }
    std::string text;
    for (std::size_t i = 0; i < m_options.size(); ++i) {
        text += heads[i] + std::string(width + 3 - heads[i].size(), ' ') + m_options[i].help + "\n";
    }
    return text;
}

} // namespace ripen::cli

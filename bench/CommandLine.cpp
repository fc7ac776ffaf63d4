#include "CommandLine.h"

#include <stdexcept>

namespace ripen::bench {

CommandLine::CommandLine(int argc, char** argv, const std::set<std::string>& valueOptions,
                         const std::set<std::string>& flags) {
    for (int i = 1; i < argc; ++i) {
        const std::string arg = argv[i];
        if (flags.contains(arg)) {
            m_flags.insert(arg);
        } else if (valueOptions.contains(arg) && i + 1 < argc) {
            m_values[arg] = argv[++i];
        } else {
            std::string accepted;
            for (const auto& name : valueOptions) {
                accepted += " " + name + " N";
            }
            for (const auto& name : flags) {
                accepted += " " + name;
            }
            throw std::invalid_argument("unknown or incomplete option '" + arg +
                                        "'; accepted:" + accepted);
        }
    }
}

long long CommandLine::number(const std::string& option, long long fallback) const {
    const auto it = m_values.find(option);
    if (it == m_values.end()) {
        return fallback;
    }
    std::size_t used = 0;
    const long long value = std::stoll(it->second, &used);
    if (used != it->second.size() || value <= 0) {
        throw std::invalid_argument(option + " needs a positive whole number, not '" +
                                    it->second + "'");
    }
    return value;
}

std::string CommandLine::text(const std::string& option, const std::string& fallback) const {
    const auto it = m_values.find(option);
    return it == m_values.end() ? fallback : it->second;
}

} // namespace ripen::bench

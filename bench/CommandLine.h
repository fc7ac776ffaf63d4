#pragma once

#include <map>
#include <set>
#include <string>

namespace ripen::bench {

// "--name value" options and "--flag" switches. Each program declares what it accepts, and
// anything else is refused, so a typo never silently benchmarks the default size.
class CommandLine {
public:
    CommandLine(int argc, char** argv, const std::set<std::string>& valueOptions,
                const std::set<std::string>& flags);

    bool has(const std::string& flag) const { return m_flags.contains(flag); }
    long long number(const std::string& option, long long fallback) const;
    std::string text(const std::string& option, const std::string& fallback) const;

private:
    std::map<std::string, std::string> m_values;
    std::set<std::string> m_flags;
};

} // namespace ripen::bench

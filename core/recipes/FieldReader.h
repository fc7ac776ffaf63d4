#pragma once

#include "recipes/RecipeIssues.h"

#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <set>
#include <string>
#include <vector>

namespace ripen {

// Reads the fields of one JSON object of a recipe, reporting wrong types and values to
// `issues` under the field's path. Every field a reader does not ask for is reported as
// unknown by finish(), so a typo is an error rather than a silently ignored setting.
// Post-step parsers get one for their object (with "step" already read).
class FieldReader {
public:
    // Reports `path` itself when `value` is not an object (every getter then returns nothing).
    FieldReader(const nlohmann::json& value, std::string path, RecipeIssues& issues);

    bool isObject() const { return m_object != nullptr; }
    bool has(const std::string& key) const;
    std::string pathOf(const std::string& key) const;
    RecipeIssues& issues() { return m_issues; }

    // Each getter marks `key` as known; a missing optional field gives nullopt silently.
    std::optional<std::string> string(const std::string& key, bool required = false,
                                      std::size_t maxLength = 4096);
    std::optional<std::int64_t> integer(const std::string& key, std::int64_t min, std::int64_t max,
                                        bool required = false);
    std::optional<double> number(const std::string& key, double min, double max,
                                 bool required = false);
    std::optional<std::vector<std::string>> strings(const std::string& key, std::size_t maxItems,
                                                    std::size_t maxLength = 4096,
                                                    bool required = false);
    // The raw value (for nested objects and lists the caller walks itself).
    const nlohmann::json* raw(const std::string& key, bool required = false);

    // Reports every field that no getter asked for.
    void finish();

private:
    const nlohmann::json* field(const std::string& key, bool required);

    const nlohmann::json* m_object = nullptr;
    std::string m_path;
    RecipeIssues& m_issues;
    std::set<std::string> m_known;
};

} // namespace ripen

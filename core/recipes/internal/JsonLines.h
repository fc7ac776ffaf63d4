#pragma once

#include <string>
#include <string_view>
#include <unordered_map>

namespace ripen {

// Where each value of a JSON document starts, by its field path ("variables.colour[2]",
// "post[0].factor"; "" is the root), so validation errors can name the line at fault.
// nlohmann/json keeps no positions, hence this second pass over text that already parsed.
class JsonLines {
public:
    // `text` must be well-formed JSON (checked by parseBoundedJson before).
    static JsonLines index(std::string_view text);

    // The 1-based line of `path`, or of its nearest indexed parent; 1 when unknown.
    int lineOf(std::string path) const;

private:
    std::unordered_map<std::string, int> m_lines;
};

// Field paths as the errors and the index spell them.
std::string childPath(const std::string& parent, std::string_view key);
std::string elementPath(const std::string& parent, std::size_t index);

} // namespace ripen

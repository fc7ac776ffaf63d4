#include "recipes/FieldReader.h"

#include "recipes/internal/JsonLines.h"

#include <algorithm>
#include <sstream>

namespace ripen {

FieldReader::FieldReader(const nlohmann::json& value, std::string path, RecipeIssues& issues)
    : m_path(std::move(path)), m_issues(issues) {
    if (value.is_object()) {
        m_object = &value;
    } else {
        m_issues.add(m_path, "expected an object");
    }
}

bool FieldReader::has(const std::string& key) const {
    return m_object != nullptr && m_object->contains(key);
}

std::string FieldReader::pathOf(const std::string& key) const {
    return childPath(m_path, key);
}

const nlohmann::json* FieldReader::field(const std::string& key, bool required) {
    m_known.insert(key);
    if (m_object == nullptr) {
        return nullptr;
    }
    const auto found = m_object->find(key);
    if (found == m_object->end()) {
        if (required) {
            m_issues.add(m_path, "missing required field \"" + key + "\"");
        }
        return nullptr;
    }
    return &*found;
}

const nlohmann::json* FieldReader::raw(const std::string& key, bool required) {
    return field(key, required);
}

std::optional<std::string> FieldReader::string(const std::string& key, bool required,
                                               std::size_t maxLength) {
    const auto* value = field(key, required);
    if (value == nullptr) {
        return std::nullopt;
    }
    if (!value->is_string()) {
        m_issues.add(pathOf(key), "expected a string");
        return std::nullopt;
    }
    auto text = value->get<std::string>();
    if (text.size() > maxLength) {
        m_issues.add(pathOf(key), "longer than " + std::to_string(maxLength) + " bytes");
        return std::nullopt;
    }
    return text;
}

std::optional<std::int64_t> FieldReader::integer(const std::string& key, std::int64_t min,
                                                 std::int64_t max, bool required) {
    const auto* value = field(key, required);
    if (value == nullptr) {
        return std::nullopt;
    }
    if (!value->is_number_integer()) {
        m_issues.add(pathOf(key), "expected a whole number");
        return std::nullopt;
    }
    const auto number = value->get<std::int64_t>();
    if (number < min || number > max) {
        m_issues.add(pathOf(key), "must be between " + std::to_string(min) + " and " +
                                      std::to_string(max) + ", not " + std::to_string(number));
        return std::nullopt;
    }
    return number;
}

std::optional<double> FieldReader::number(const std::string& key, double min, double max,
                                          bool required) {
    const auto* value = field(key, required);
    if (value == nullptr) {
        return std::nullopt;
    }
    if (!value->is_number()) {
        m_issues.add(pathOf(key), "expected a number");
        return std::nullopt;
    }
    const auto number = value->get<double>();
    if (!(number >= min && number <= max)) {
        std::ostringstream range; // shortest form: 0.05, 1
        range << "must be between " << min << " and " << max << ", not " << value->dump();
        m_issues.add(pathOf(key), range.str());
        return std::nullopt;
    }
    return number;
}

std::optional<std::vector<std::string>> FieldReader::strings(const std::string& key,
                                                             std::size_t maxItems,
                                                             std::size_t maxLength, bool required) {
    const auto* value = field(key, required);
    if (value == nullptr) {
        return std::nullopt;
    }
    const bool allStrings =
        value->is_array() &&
        std::all_of(value->begin(), value->end(), [](const auto& v) { return v.is_string(); });
    if (!allStrings || value->empty()) {
        m_issues.add(pathOf(key), "expected a list of strings");
        return std::nullopt;
    }
    if (value->size() > maxItems) {
        m_issues.add(pathOf(key), "more than " + std::to_string(maxItems) + " entries");
        return std::nullopt;
    }
    std::vector<std::string> out;
    for (std::size_t i = 0; i < value->size(); ++i) {
        out.push_back((*value)[i].get<std::string>());
        if (out.back().size() > maxLength) {
            m_issues.add(elementPath(pathOf(key), i),
                         "longer than " + std::to_string(maxLength) + " bytes");
            return std::nullopt;
        }
    }
    return out;
}

void FieldReader::finish() {
    if (m_object == nullptr) {
        return;
    }
    for (const auto& [key, value] : m_object->items()) {
        if (!m_known.contains(key)) {
            m_issues.add(pathOf(key), "unknown field");
        }
    }
}

} // namespace ripen

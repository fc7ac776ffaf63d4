#include "recipes/RecipeTemplate.h"

#include <limits>

namespace ripen {

Result<std::vector<std::string>> templatePlaceholders(std::string_view text) {
    std::vector<std::string> names;
    for (std::size_t i = 0; i < text.size(); ++i) {
        if (text.substr(i, 2) == "{{" || text.substr(i, 2) == "}}") {
            ++i;
            continue;
        }
        if (text[i] == '}') {
            return fail(ErrorCode::InvalidArgument,
                        "a lone '}' at byte " + std::to_string(i) + " (write }} for a brace)");
        }
        if (text[i] != '{') {
            continue;
        }
        const auto close = text.find('}', i + 1);
        const auto name = close == std::string_view::npos ? std::string_view{}
                                                          : text.substr(i + 1, close - i - 1);
        if (close == std::string_view::npos || name.empty() ||
            name.find('{') != std::string_view::npos) {
            return fail(ErrorCode::InvalidArgument,
                        "the placeholder at byte " + std::to_string(i) +
                            " is not closed or empty (write {name}, or {{ for a brace)");
        }
        names.emplace_back(name);
        i = close;
    }
    return names;
}

std::string renderTemplate(std::string_view text, const VariableValues& values) {
    std::string out;
    out.reserve(text.size() + 64);
    for (std::size_t i = 0; i < text.size(); ++i) {
        if (text.substr(i, 2) == "{{" || text.substr(i, 2) == "}}") {
            out += text[i++];
            continue;
        }
        const auto close = text[i] == '{' ? text.find('}', i + 1) : std::string_view::npos;
        if (close == std::string_view::npos) {
            out += text[i];
            continue;
        }
        const auto name = text.substr(i + 1, close - i - 1);
        const auto value = std::find_if(values.begin(), values.end(),
                                        [&](const auto& v) { return v.first == name; });
        if (value == values.end()) {
            out += text.substr(i, close - i + 1);
        } else {
            out += value->second;
        }
        i = close;
    }
    return out;
}

std::size_t combinationCount(const Recipe& recipe) {
    if (recipe.variables.empty()) {
        return 1;
    }
    if (recipe.combine == Combine::Zip) {
        return recipe.variables.front().second.size();
    }
    std::size_t count = 1;
    for (const auto& [name, values] : recipe.variables) {
        if (values.empty()) {
            return 0;
        }
        if (count > std::numeric_limits<std::size_t>::max() / values.size()) {
            return std::numeric_limits<std::size_t>::max();
        }
        count *= values.size();
    }
    return count;
}

std::vector<VariableValues> combinations(const Recipe& recipe) {
    const std::size_t total = combinationCount(recipe);
    std::vector<VariableValues> out;
    out.reserve(total);
    for (std::size_t n = 0; n < total; ++n) {
        VariableValues combo(recipe.variables.size());
        std::size_t rest = n;
        for (std::size_t v = recipe.variables.size(); v-- > 0;) {
            const auto& [name, values] = recipe.variables[v];
            std::size_t pick = n;
            if (recipe.combine == Combine::Product) {
                pick = rest % values.size();
                rest /= values.size();
            }
            combo[v] = {name, values[std::min(pick, values.size() - 1)]};
        }
        out.push_back(std::move(combo));
    }
    return out;
}

std::string promptFor(const Recipe& recipe, const VariableValues& values) {
    std::string prompt = renderTemplate(recipe.prompt, values);
    if (!recipe.style.empty()) {
        prompt += ", " + recipe.style;
    }
    return prompt;
}

} // namespace ripen

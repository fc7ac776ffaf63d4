#pragma once

#include "common/Error.h"
#include "recipes/Recipe.h"

#include <cstddef>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace ripen {

// One combination of variable values: (name, value) in variable-name order.
using VariableValues = std::vector<std::pair<std::string, std::string>>;

// The {placeholder} names of a prompt template in order of appearance (repeats kept).
// "{{" and "}}" stand for literal braces; an unclosed or empty placeholder is an error.
Result<std::vector<std::string>> templatePlaceholders(std::string_view promptTemplate);

// Replaces each {name} with its value; names without a value are left as written.
std::string renderTemplate(std::string_view promptTemplate, const VariableValues& values);

// How many combinations the variables make (product or zip), saturating at SIZE_MAX, so a
// recipe can be refused before anything is materialised. Zip needs lists of equal length.
std::size_t combinationCount(const Recipe& recipe);

// Every combination, in a stable order: for the product the last variable (by name)
// varies fastest; for zip the i-th values go together. No variables: one empty combination.
std::vector<VariableValues> combinations(const Recipe& recipe);

// The full prompt of one combination: the rendered template, then ", " and the style DNA.
std::string promptFor(const Recipe& recipe, const VariableValues& values);

} // namespace ripen

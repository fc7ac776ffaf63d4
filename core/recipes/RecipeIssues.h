#pragma once

#include "common/Error.h"

#include <string>
#include <utility>
#include <vector>

namespace ripen {

class JsonLines;

// One problem in a recipe: where (line and field path) and what.
struct RecipeIssue {
    int line = 1;
    std::string path; // "variables.colour", "post[1].factor"; "" for the whole file
    std::string message;
};

// Collects every problem found in one recipe file so the user sees them all at once. Each
// reads "recipe.json:14: variables.colour: expected a list of strings".
class RecipeIssues {
public:
    RecipeIssues(std::string fileName, const JsonLines* lines)
        : m_fileName(std::move(fileName)), m_lines(lines) {}

    void add(const std::string& path, std::string message);
    bool empty() const { return m_issues.empty(); }
    const std::vector<RecipeIssue>& all() const { return m_issues; }
    const std::string& fileName() const { return m_fileName; }

    std::string format(const RecipeIssue& issue) const;
    // InvalidArgument with one line per issue.
    Error toError() const;

private:
    std::string m_fileName;
    const JsonLines* m_lines;
    std::vector<RecipeIssue> m_issues;
};

} // namespace ripen

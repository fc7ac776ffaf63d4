#include "recipes/RecipeIssues.h"

#include "recipes/internal/JsonLines.h"

namespace ripen {

void RecipeIssues::add(const std::string& path, std::string message) {
    // A document can be wrong in thousands of places; a hundred lines say enough.
    constexpr std::size_t kMaxIssues = 100;
    if (m_issues.size() < kMaxIssues) {
        m_issues.push_back({m_lines ? m_lines->lineOf(path) : 1, path, std::move(message)});
    }
}

std::string RecipeIssues::format(const RecipeIssue& issue) const {
    std::string text = m_fileName + ":" + std::to_string(issue.line) + ": ";
    if (!issue.path.empty()) {
        text += issue.path + ": ";
    }
    return text + issue.message;
}

Error RecipeIssues::toError() const {
    std::string message;
    for (const auto& issue : m_issues) {
        message += (message.empty() ? "" : "\n") + format(issue);
    }
    return Error{ErrorCode::InvalidArgument, message};
}

} // namespace ripen

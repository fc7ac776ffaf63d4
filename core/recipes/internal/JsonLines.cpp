#include "recipes/internal/JsonLines.h"

#include <vector>

namespace ripen {
namespace {

// A minimal scanner over well-formed JSON: it tracks the path of the value being read and
// the line, and records the line at which every value starts.
class Scanner {
public:
    Scanner(std::string_view text, std::unordered_map<std::string, int>& lines)
        : m_text(text), m_lines(lines) {}

    void value(const std::string& path) {
        skipSpace();
        m_lines.emplace(path, m_line);
        if (m_pos >= m_text.size()) {
            return;
        }
        const char c = m_text[m_pos];
        if (c == '{') {
            object(path);
        } else if (c == '[') {
            array(path);
        } else if (c == '"') {
            string();
        } else {
            while (m_pos < m_text.size() &&
                   std::string_view(",]} \t\r\n").find(m_text[m_pos]) == std::string_view::npos) {
                ++m_pos;
            }
        }
    }

private:
    void object(const std::string& path) {
        ++m_pos; // {
        while (true) {
            skipSpace();
            if (m_pos >= m_text.size() || m_text[m_pos] == '}') {
                ++m_pos;
                return;
            }
            if (m_text[m_pos] == ',') {
                ++m_pos;
                continue;
            }
            const int keyLine = m_line;
            const std::string key = string();
            skipSpace();
            ++m_pos; // :
            const std::string child = childPath(path, key);
            m_lines.emplace(child, keyLine);
            value(child);
        }
    }

    void array(const std::string& path) {
        ++m_pos; // [
        std::size_t index = 0;
        while (true) {
            skipSpace();
            if (m_pos >= m_text.size() || m_text[m_pos] == ']') {
                ++m_pos;
                return;
            }
            if (m_text[m_pos] == ',') {
                ++m_pos;
                continue;
            }
            value(elementPath(path, index++));
        }
    }

    // Reads a string token; escapes are kept only as far as keys need them (\" and \\).
    std::string string() {
        std::string out;
        ++m_pos; // opening quote
        while (m_pos < m_text.size() && m_text[m_pos] != '"') {
            if (m_text[m_pos] == '\\' && m_pos + 1 < m_text.size()) {
                ++m_pos;
            }
            out += m_text[m_pos++];
        }
        ++m_pos; // closing quote
        return out;
    }

    void skipSpace() {
        while (m_pos < m_text.size() && (m_text[m_pos] == ' ' || m_text[m_pos] == '\t' ||
                                         m_text[m_pos] == '\r' || m_text[m_pos] == '\n')) {
            if (m_text[m_pos] == '\n') {
                ++m_line;
            }
            ++m_pos;
        }
    }

    std::string_view m_text;
    std::unordered_map<std::string, int>& m_lines;
    std::size_t m_pos = 0;
    int m_line = 1;
};

} // namespace

std::string childPath(const std::string& parent, std::string_view key) {
    return parent.empty() ? std::string(key) : parent + "." + std::string(key);
}

std::string elementPath(const std::string& parent, std::size_t index) {
    return parent + "[" + std::to_string(index) + "]";
}

JsonLines JsonLines::index(std::string_view text) {
    JsonLines lines;
    Scanner(text, lines.m_lines).value("");
    return lines;
}

int JsonLines::lineOf(std::string path) const {
    while (true) {
        if (const auto found = m_lines.find(path); found != m_lines.end()) {
            return found->second;
        }
        const auto cut = path.find_last_of(".[");
        if (cut == std::string::npos) {
            return 1;
        }
        path.resize(cut);
    }
}

} // namespace ripen

#include "ResultTable.h"

#include "BenchCommon.h"

#include <algorithm>

namespace ripen::bench {
namespace {

// Display width in code points, so "µs" and "–" do not push columns out of line.
std::size_t displayWidth(const std::string& text) {
    return static_cast<std::size_t>(std::count_if(
        text.begin(), text.end(), [](char ch) { return (static_cast<unsigned char>(ch) & 0xC0) != 0x80; }));
}

std::string padded(const std::string& text, std::size_t width) {
    return text + std::string(width - std::min(width, displayWidth(text)), ' ');
}

} // namespace

ResultTable::ResultTable(std::vector<std::string> header) : m_header(std::move(header)) {}

void ResultTable::addRow(std::vector<std::string> cells) {
    cells.resize(m_header.size());
    m_rows.push_back(std::move(cells));
}

std::string ResultTable::toMarkdown() const {
    std::vector<std::size_t> widths(m_header.size(), 3);
    for (std::size_t c = 0; c < m_header.size(); ++c) {
        widths[c] = std::max(widths[c], displayWidth(m_header[c]));
        for (const auto& row : m_rows) {
            widths[c] = std::max(widths[c], displayWidth(row[c]));
        }
    }
    const auto line = [&](const std::vector<std::string>& cells) {
        std::string out = "|";
        for (std::size_t c = 0; c < cells.size(); ++c) {
            out += " " + padded(cells[c], widths[c]) + " |";
        }
        return out + "\n";
    };
    std::string out = line(m_header);
    out += "|";
    for (std::size_t c = 0; c < widths.size(); ++c) {
        out += (c == 0 ? std::string(widths[c] + 2, '-') : std::string(widths[c] + 1, '-') + ":");
        out += "|";
    }
    out += "\n";
    for (const auto& row : m_rows) {
        out += line(row);
    }
    return out;
}

std::string ratioText(double ripen, double anchor) {
    if (ripen <= 0.0 || anchor <= 0.0) {
        return "–";
    }
    return formatFixed(ripen / anchor, 2) + "x";
}

} // namespace ripen::bench

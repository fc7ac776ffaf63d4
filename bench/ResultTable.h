#pragma once

#include <string>
#include <vector>

namespace ripen::bench {

// A plain-text table with aligned columns, printed as Markdown so the output can be pasted
// into docs/benchmarks.md unchanged.
class ResultTable {
public:
    explicit ResultTable(std::vector<std::string> header);

    void addRow(std::vector<std::string> cells);
    std::string toMarkdown() const;

private:
    std::vector<std::string> m_header;
    std::vector<std::vector<std::string>> m_rows;
};

// "1.23x" = ripen / anchor, or "–" when either side is missing. The table header says
// whether the figures are rates (higher is better) or times (lower is better).
std::string ratioText(double ripen, double anchor);

} // namespace ripen::bench

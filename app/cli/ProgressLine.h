#pragma once

#include <chrono>
#include <cstdint>
#include <ostream>
#include <string>
#include <string_view>

namespace ripen::cli {

// How far one job a command waits for has come, on stderr while it runs:
//   progress <job-id> 42% <engine> pass 1/2 x4: tile 12/36 (7.3 s)
// On a terminal it is one line that rewrites itself; otherwise (a pipe, a log) a plain
// line each time the whole percentage rises, so logs stay short and greppable. Elapsed
// time counts from construction. Not thread-safe: the caller serialises (the queue
// reporter calls it under its output lock).
class ProgressLine {
public:
    ProgressLine(std::string label, std::ostream& out, bool terminal);
    // Whether stderr is a terminal (the mode the CLI's progress uses).
    static bool stderrIsTerminal();

    // `fraction` 0..1 as the job runner publishes it; `stage` what the engine is at.
    void update(std::int64_t job, double fraction, std::string_view stage);
    // Ends a rewritten line on a terminal, so the result line that follows starts afresh.
    void finish();

private:
    std::string m_label;
    std::ostream& m_out;
    bool m_terminal;
    std::chrono::steady_clock::time_point m_start;
    int m_lastPercent = -1;
    bool m_lineOpen = false;
};

} // namespace ripen::cli

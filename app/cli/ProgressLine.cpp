#include "ProgressLine.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <unistd.h>

namespace ripen::cli {
namespace {

// "7.3 s" under a minute, "12:05" (minutes:seconds) from then on.
std::string elapsedText(std::chrono::steady_clock::duration elapsed) {
    const double seconds = std::chrono::duration<double>(elapsed).count();
    char text[32];
    if (seconds < 60) {
        std::snprintf(text, sizeof text, "%.1f s", seconds);
    } else {
        const auto whole = static_cast<long long>(seconds);
        std::snprintf(text, sizeof text, "%lld:%02lld", whole / 60, whole % 60);
    }
    return text;
}

} // namespace

ProgressLine::ProgressLine(std::string label, std::ostream& out, bool terminal)
    : m_label(std::move(label)), m_out(out), m_terminal(terminal),
      m_start(std::chrono::steady_clock::now()) {}

bool ProgressLine::stderrIsTerminal() {
    return ::isatty(STDERR_FILENO) == 1;
}

void ProgressLine::update(std::int64_t job, double fraction, std::string_view stage) {
    const int percent = static_cast<int>(std::floor(std::clamp(fraction, 0.0, 1.0) * 100.0));
    if (!m_terminal && percent <= m_lastPercent) {
        return;
    }
    m_lastPercent = std::max(m_lastPercent, percent);
    const std::string line = "progress " + std::to_string(job) + " " + std::to_string(percent) +
                             "% " + m_label + (stage.empty() ? "" : " ") + std::string(stage) +
                             " (" + elapsedText(std::chrono::steady_clock::now() - m_start) + ")";
    if (m_terminal) {
        // Back to the line's start, the new text, then erase what a longer one left.
        m_out << "\r" << line << "\x1b[K" << std::flush;
        m_lineOpen = true;
    } else {
        m_out << line << "\n" << std::flush;
    }
}

void ProgressLine::finish() {
    if (m_lineOpen) {
        m_out << "\n" << std::flush;
        m_lineOpen = false;
    }
}

} // namespace ripen::cli

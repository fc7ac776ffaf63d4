#pragma once

#include <chrono>
#include <string>
#include <vector>

namespace ripen::test {

struct ProcessResult {
    int exitCode = -1; // -1 when killed by a signal
    std::string out;
    std::string err;
    bool timedOut = false; // killed by runProcess because it ran past its deadline
};

// Runs a program to completion with its output captured (no shell involved).
ProcessResult runProcess(const std::vector<std::string>& argv);
// The same, but a program still running after `limit` is SIGKILLed and reported as
// timedOut, so a hung child fails its test with its output instead of stalling the suite.
ProcessResult runProcess(const std::vector<std::string>& argv, std::chrono::milliseconds limit);

// Starts a program with output discarded; returns its pid.
int startProcess(const std::vector<std::string>& argv);
// Starts a program with stdout and stderr appended to `logFile`; returns its pid.
int startProcessLogged(const std::vector<std::string>& argv, const std::string& logFile);
// Waits for `pid`; returns its exit code, or -signal when killed.
int waitProcess(int pid);

// The ripen-cli under test: $RIPEN_CLI (set by ctest), else "ripen-cli" on PATH.
std::string ripenCli();

// A program's output as its lines, without their line ends.
std::vector<std::string> outputLines(const std::string& text);

} // namespace ripen::test

#pragma once

#include <filesystem>
#include <string>
#include <vector>

namespace ripen::test {

// Queues one gpt-image-1 job per prompt in the library at `root` (created if needed), each
// with the price book's estimate reserved, as `ripen-cli generate` would. Prompts should be
// unique: the reliability tests name jobs by them.
void enqueueOpenAiJobs(const std::filesystem::path& root, const std::vector<std::string>& prompts);

// "<prefix> 0", "<prefix> 1", ... "<prefix> count-1".
std::vector<std::string> numberedPrompts(const std::string& prefix, int count);

} // namespace ripen::test

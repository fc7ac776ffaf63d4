#pragma once

#include <cstdint>
#include <filesystem>
#include <vector>

namespace ripen::bench {

// N deterministic 1024x1024 colour JPEGs at quality 92 (4:2:0), shaped like the anchor
// corpus of PERFORMANCE.md §1: gradients, plasma-like fields or blurred colour noise, with
// shapes, text and grain, so each file is about 200-300 KB and decodes like a real render.
// The folder is cached: a stamp naming seed and count is written last, so an interrupted
// generation is redone instead of being measured half-finished.
class JpegCorpus {
public:
    JpegCorpus(std::filesystem::path folder, int count, std::uint64_t seed);

    // Generates the files unless the stamp says they are already there. Returns true when it
    // generated them.
    bool ensure();

    const std::filesystem::path& folder() const { return m_folder; }
    std::vector<std::filesystem::path> files() const; // in name order
    std::uintmax_t totalBytes() const;

private:
    std::filesystem::path fileFor(int index) const;
    void generateOne(int index) const;
    std::string stampText() const;

    std::filesystem::path m_folder;
    int m_count;
    std::uint64_t m_seed;
};

} // namespace ripen::bench

#pragma once

#include "catalog/Asset.h"

#include <cstdint>
#include <string>
#include <vector>

namespace ripen::bench {

// A deterministic stream of realistic catalog rows: 50 projects over 10 clients, ratings
// 0-5, flags, stages, colour labels, 3 tags each from a pool of 30, and prompts of 12-40
// words drawn from ~300 words with a skewed (Zipf-like) frequency, as real prompts reuse a
// few words ("detailed", "lighting") far more than the rest. The same rows feed Ripen's
// catalog and the plain-schema anchor, so both sides search the same text.
class SyntheticAssets {
public:
    explicit SyntheticAssets(std::uint64_t seed);

    Asset make(std::int64_t index) const;

    static constexpr int kProjects = 50;
    static constexpr int kClients = 10;
    static std::string projectName(int project);
    static std::string clientName(int client);
    static const std::vector<std::string>& tagPool();
    static const std::vector<std::string>& words();

    // Fixed base so a cached catalog and a fresh build give identical timestamps.
    static constexpr std::int64_t kFirstImportMs = 1'700'000'000'000;

private:
    std::uint64_t m_seed;
};

} // namespace ripen::bench

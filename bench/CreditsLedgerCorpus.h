#pragma once

#include <cstdint>
#include <filesystem>

namespace ripen::bench {

// A library whose credit ledger holds `entries` rows: two years of a studio, 40 projects of
// 8 clients, jobs queued four to a batch on five models (one priced in credits, with a
// subscription), settled (reserve, release, charge) or failed, picks with lineage. Generated
// once per size and seed into the bench cache (cacheRoot()) and reused; the shared input
// of bench_credits and bench_credits_stall.
std::filesystem::path cachedCreditsLibrary(std::int64_t entries, std::uint64_t seed);

} // namespace ripen::bench

// The main() of a harness outside the fuzz preset: replays each seed of the corpus and
// deterministic mutants of it (bit flips, truncations, byte runs, splices with another
// seed) through LLVMFuzzerTestOneInput. This gives every ordinary GCC build a short,
// reproducible fuzz pass as a ctest (fuzz.<name>); coverage-guided runs are
// scripts/fuzz.sh. RIPEN_FUZZ_MUTANTS sets the mutants per seed (default 300).
#include "FuzzSupport.h"

#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <random>
#include <string>
#include <vector>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size);

namespace {

std::string readAll(const std::filesystem::path& file) {
    std::ifstream in(file, std::ios::binary);
    return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

void runOne(const std::string& input) {
    LLVMFuzzerTestOneInput(reinterpret_cast<const std::uint8_t*>(input.data()), input.size());
}

std::string mutant(const std::string& seed, const std::string& other, std::mt19937_64& rng) {
    std::string out = seed;
    auto pick = [&rng](std::size_t n) {
        return n == 0 ? 0 : std::size_t(rng() % n);
    };
    switch (rng() % 6) {
    case 0: // a few bit flips
        for (int i = 0; i < 1 + int(rng() % 4) && !out.empty(); ++i) {
            out[pick(out.size())] ^= char(1u << (rng() % 8));
        }
        break;
    case 1: // truncated
        out.resize(pick(out.size() + 1));
        break;
    case 2: { // a run of one interesting byte
        static const char bytes[] = {'\0', '\xff', '[', '{', '"', '\\', '9', '-', '\x80'};
        out.insert(pick(out.size() + 1), 1 + pick(64), bytes[pick(sizeof bytes)]);
        break;
    }
    case 3: // a range removed
        if (!out.empty()) {
            const auto at = pick(out.size());
            out.erase(at, pick(out.size() - at + 1));
        }
        break;
    case 4: // spliced with another seed
        out = seed.substr(0, pick(seed.size() + 1)) + other.substr(pick(other.size() + 1));
        break;
    default: // a range duplicated (repeated chunks, repeated keys)
        if (!out.empty()) {
            const auto at = pick(out.size());
            out.insert(at, out.substr(at, 1 + pick(256)));
        }
        break;
    }
    return out;
}

} // namespace

int main(int argc, char** argv) {
    std::vector<std::filesystem::path> files;
    for (int i = 1; i < argc; ++i) {
        const std::filesystem::path arg = argv[i];
        if (std::filesystem::is_directory(arg)) {
            for (const auto& entry : std::filesystem::recursive_directory_iterator(arg)) {
                if (entry.is_regular_file()) {
                    files.push_back(entry.path());
                }
            }
        } else {
            files.push_back(arg);
        }
    }
    if (files.empty()) {
        std::fprintf(stderr, "usage: %s CORPUS-DIR|FILE...\n", argv[0]);
        return 2;
    }
    std::sort(files.begin(), files.end());
    std::vector<std::string> seeds;
    for (const auto& file : files) {
        seeds.push_back(readAll(file));
    }
    const char* env = std::getenv("RIPEN_FUZZ_MUTANTS");
    const int mutants = env != nullptr ? std::atoi(env) : 300;
    std::mt19937_64 rng(0x5eed);
    std::size_t runs = 0;
    for (std::size_t i = 0; i < seeds.size(); ++i) {
        runOne(seeds[i]);
        ++runs;
        for (int m = 0; m < mutants; ++m) {
            runOne(mutant(seeds[i], seeds[(i + 1 + m) % seeds.size()], rng));
            ++runs;
        }
    }
    std::printf("%zu seeds, %zu inputs run without a crash\n", seeds.size(), runs);
    return 0;
}

#pragma once

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <string_view>

// Shared by every harness in fuzz/harnesses. A harness is one file that defines
//     extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
// and is registered with one line in fuzz/CMakeLists.txt:
//     ripen_add_fuzz_harness(<name> harnesses/<Name>Fuzz.cpp)
// Its seed corpus lives in fuzz/corpus/<name>/. The same file builds two ways: linked with
// libFuzzer in the `fuzz` preset (scripts/fuzz.sh), and linked with FuzzReplayMain.cpp in
// every other build, where ctest replays the corpus and deterministic mutants of it.
namespace ripen::fuzz {

inline std::string_view textOf(const std::uint8_t* data, std::size_t size) {
    return {reinterpret_cast<const char*>(data), size};
}

// A per-process scratch folder for parsers that save what they read (provider replies
// become files in a job's work folder); emptied by clearScratch() after each input so
// that millions of runs do not fill the disk.
const std::filesystem::path& scratchDir();
void clearScratch();

// A key every harness passes as the provider's secret; a parser must never echo it.
inline constexpr std::string_view kFuzzApiKey = "sk-FUZZCANARY0key0abcdefghijklmnopqrstu";
// Aborts (a crash libFuzzer and the replay both report) when `text` holds kFuzzApiKey.
void requireNoKey(std::string_view text);

} // namespace ripen::fuzz

#include "FuzzSupport.h"

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <unistd.h>

namespace ripen::fuzz {

const std::filesystem::path& scratchDir() {
    static const std::filesystem::path dir = [] {
        auto path =
            std::filesystem::temp_directory_path() / ("ripen-fuzz-" + std::to_string(::getpid()));
        std::filesystem::create_directories(path);
        // Best effort at exit; a crashed run leaves its folder for the post-mortem.
        std::atexit([] {
            std::error_code ec;
            std::filesystem::remove_all(scratchDir(), ec);
        });
        return path;
    }();
    return dir;
}

void clearScratch() {
    std::error_code ec;
    for (const auto& entry : std::filesystem::directory_iterator(scratchDir(), ec)) {
        std::filesystem::remove_all(entry.path(), ec);
    }
}

void requireNoKey(std::string_view text) {
    if (text.find(kFuzzApiKey) != std::string_view::npos) {
        std::fprintf(stderr, "the API key leaked into a message: %.*s\n",
                     static_cast<int>(std::min<std::size_t>(text.size(), 400)), text.data());
        std::abort();
    }
}

} // namespace ripen::fuzz

#pragma once

#include "common/Error.h"

#include <filesystem>
#include <span>
#include <string>
#include <vector>

namespace ripen {

// Expands the paths a user gave into the files to import, in a stable order. Files named
// explicitly are always candidates. Inside folders (walked recursively, symlink loops
// detected) only files that look like media by their extension are candidates, and hidden
// files are left alone, so a folder with sidecar .txt or .json files imports cleanly.
class ImportWalker {
public:
    struct Entry {
        std::filesystem::path path;
        Error problem;                 // why the folder could not be read
        bool unreadableFolder = false;
    };

    static std::vector<Entry> collect(std::span<const std::filesystem::path> roots);

    // Extensions worth reporting when skipped: formats we read, and image or video formats
    // a user might expect us to read.
    static bool looksLikeMedia(const std::filesystem::path& path);
};

} // namespace ripen

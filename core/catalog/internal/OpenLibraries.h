#pragma once

#include <cstdint>
#include <filesystem>
#include <optional>

namespace ripen {

// The Library objects open in this process, counted by root. The GUI holds one per worker
// lane and ripen-cli's job runner opens its own, so the one that passed the start-up check
// is rarely the last to close; the last one to close records the clean close, and only
// when one of them passed the check (a library refused by its check records nothing).
//
// Thread affinity: any thread (one mutex for the process).
class OpenLibraries {
public:
    static void opened(const std::filesystem::path& root);
    // One library of `root` passed its start-up check; the latest full check was then.
    static void checked(const std::filesystem::path& root, std::int64_t fullCheckAtMs);
    // One library of `root` closed. When it was the last and one of them passed the check,
    // returns when the full check last passed (for CatalogStartupCheck::recordCleanClose).
    static std::optional<std::int64_t> closed(const std::filesystem::path& root);
};

} // namespace ripen

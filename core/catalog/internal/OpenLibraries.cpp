#include "catalog/internal/OpenLibraries.h"

#include <algorithm>
#include <map>
#include <mutex>

namespace ripen {
namespace {

struct Entry {
    int open = 0;
    std::optional<std::int64_t> fullCheckAtMs; // set once one of them passed the check
    std::optional<LiveSessionLock> live;
};

struct Registry {
    std::mutex mutex;
    std::map<std::filesystem::path, Entry> byRoot;
};

Registry& registry() {
    static Registry instance;
    return instance;
}

std::filesystem::path key(const std::filesystem::path& root) {
    std::error_code ec;
    return std::filesystem::absolute(root, ec).lexically_normal();
}

} // namespace

Status OpenLibraries::opened(const std::filesystem::path& root) {
    auto& r = registry();
    const std::lock_guard lock(r.mutex);
    auto& entry = r.byRoot[key(root)];
    if (entry.open == 0) {
        // Joining may wait for a restore; other threads of the process wait meanwhile, as
        // they would for the catalog itself.
        auto live = LiveSessionLock::join(root);
        if (!live) {
            r.byRoot.erase(key(root));
            return std::unexpected(live.error());
        }
        entry.live = std::move(*live);
    }
    ++entry.open;
    return {};
}

void OpenLibraries::checked(const std::filesystem::path& root, std::int64_t fullCheckAtMs) {
    auto& r = registry();
    const std::lock_guard lock(r.mutex);
    const auto found = r.byRoot.find(key(root));
    if (found == r.byRoot.end() || !found->second.live) {
        return;
    }
    auto& entry = found->second;
    entry.fullCheckAtMs = std::max(entry.fullCheckAtMs.value_or(fullCheckAtMs), fullCheckAtMs);
    entry.live->markChecked(*entry.fullCheckAtMs);
}

std::optional<OpenLibraries::LastClose> OpenLibraries::closed(const std::filesystem::path& root) {
    auto& r = registry();
    const std::lock_guard lock(r.mutex);
    const auto found = r.byRoot.find(key(root));
    if (found == r.byRoot.end() || --found->second.open > 0) {
        return std::nullopt;
    }
    LastClose last{found->second.fullCheckAtMs, std::move(*found->second.live)};
    r.byRoot.erase(found);
    return last;
}

} // namespace ripen

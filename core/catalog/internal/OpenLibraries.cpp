#include "catalog/internal/OpenLibraries.h"

#include <algorithm>
#include <map>
#include <mutex>

namespace ripen {
namespace {

struct Entry {
    int open = 0;
    std::optional<std::int64_t> fullCheckAtMs; // set once one of them passed the check
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
    return root.lexically_normal();
}

} // namespace

void OpenLibraries::opened(const std::filesystem::path& root) {
    auto& r = registry();
    const std::lock_guard lock(r.mutex);
    ++r.byRoot[key(root)].open;
}

void OpenLibraries::checked(const std::filesystem::path& root, std::int64_t fullCheckAtMs) {
    auto& r = registry();
    const std::lock_guard lock(r.mutex);
    auto& entry = r.byRoot[key(root)];
    entry.fullCheckAtMs = std::max(entry.fullCheckAtMs.value_or(fullCheckAtMs), fullCheckAtMs);
}

std::optional<std::int64_t> OpenLibraries::closed(const std::filesystem::path& root) {
    auto& r = registry();
    const std::lock_guard lock(r.mutex);
    const auto found = r.byRoot.find(key(root));
    if (found == r.byRoot.end() || --found->second.open > 0) {
        return std::nullopt;
    }
    const auto checkedAt = found->second.fullCheckAtMs;
    r.byRoot.erase(found);
    return checkedAt;
}

} // namespace ripen

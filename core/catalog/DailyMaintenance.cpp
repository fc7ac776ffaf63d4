#include "catalog/DailyMaintenance.h"

namespace ripen {
namespace {

// A catalog a restore replaced, kept beside the live one (CatalogBackup::restore).
std::optional<std::filesystem::path> replacedCatalog(const std::filesystem::path& root) {
    std::error_code ec;
    for (auto it = std::filesystem::directory_iterator(root, ec);
         !ec && it != std::filesystem::directory_iterator(); it.increment(ec)) {
        if (it->path().filename().string().starts_with("catalog.sqlite.damaged-")) {
            return it->path();
        }
    }
    return std::nullopt;
}

} // namespace

Result<DailyMaintenance::Done> DailyMaintenance::runIfDue(Library& library,
                                                          std::int64_t intervalMs) {
    Done done;
    auto backup = CatalogBackup::takeIfDue(library.root(), intervalMs);
    if (!backup) {
        return std::unexpected(backup.error());
    }
    done.backup = std::move(*backup);
    if (!done.backup) {
        return done;
    }
    if (const auto replaced = replacedCatalog(library.root())) {
        done.collectionSkipped =
            "unreferenced blobs are kept while " + replaced->filename().string() +
            " exists (a restore replaced it; blobs of assets made after the restored backup "
            "may be needed); remove it, or run 'ripen-cli catalog gc', to collect them";
        return done;
    }
    auto collected = BlobCollector(library).collect();
    if (!collected) {
        done.collectionSkipped = "unreferenced blobs not collected: " + collected.error().message;
        return done;
    }
    done.collected = *collected;
    return done;
}

} // namespace ripen

#pragma once

#include "catalog/BlobCollector.h"
#include "catalog/CatalogBackup.h"
#include "catalog/Library.h"
#include "common/Error.h"

#include <optional>
#include <string>

namespace ripen {

// What a library needs once a day, run when ripen-cli (the queue runner included) or the
// GUI opens it: a verified catalog backup (CatalogBackup::takeIfDue) and, right after it,
// the removal of blobs a crash left unreferenced (BlobCollector: only hash-named blobs
// nothing references, untouched for an hour). Both happen only when the backup was due,
// so the blob store is walked at most once a day.
// The collection is skipped while the library keeps a replaced catalog
// (catalog.sqlite.damaged-*, left by a restore): the restored catalog does not know the
// assets made after its backup, and their blobs may be the only copy of that work.
class DailyMaintenance {
public:
    struct Done {
        std::optional<CatalogBackup::Info> backup;      // none when none was due
        std::optional<BlobCollector::Report> collected; // none when not run
        std::string collectionSkipped; // why it did not run although due; empty otherwise
    };

    // Errors: those of the backup; a failed collection is reported in `collectionSkipped`
    // (the backup was taken, and blobs are only space).
    static Result<Done> runIfDue(Library& library,
                                 std::int64_t intervalMs = CatalogBackup::kIntervalMs);
};

} // namespace ripen

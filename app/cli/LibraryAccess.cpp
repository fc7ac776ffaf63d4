#include "LibraryAccess.h"

#include "catalog/CatalogBackup.h"
#include "catalog/DailyMaintenance.h"

#include <iostream>

namespace ripen::cli {
std::unique_ptr<Library> openLibraryOrReport(const std::filesystem::path& root) {
    // A damaged catalog is reported before any command reads or writes it.
    auto library = CatalogBackup::openChecked(root);
    if (!library) {
        std::cerr << "ripen-cli: cannot open library " << root.string() << ": "
                  << library.error().message << "\n";
        if (library.error().code == ErrorCode::Corrupt) {
            std::cerr
                << "ripen-cli: see 'ripen-cli catalog check' and 'ripen-cli catalog restore'\n";
        }
        return nullptr;
    }
    // A verified backup a day: a damaged catalog then costs at most a day of curation.
    // Right after it, the blobs crashes left unreferenced go (DailyMaintenance).
    auto maintained = DailyMaintenance::runIfDue(**library);
    if (!maintained) {
        std::cerr << "ripen-cli: warning: no catalog backup taken: " << maintained.error().message
                  << "\n";
    } else if (!maintained->collectionSkipped.empty()) {
        std::cerr << "ripen-cli: note: " << maintained->collectionSkipped << "\n";
    } else if (const auto& gc = maintained->collected;
               gc && (gc->blobsRemoved > 0 || gc->tempFilesRemoved > 0)) {
        std::cerr << "ripen-cli: removed " << gc->blobsRemoved << " unreferenced blob(s) ("
                  << gc->bytesRemoved << " bytes) and " << gc->tempFilesRemoved
                  << " temp file(s) left by earlier crashes\n";
    }
    return std::move(*library);
}

} // namespace ripen::cli

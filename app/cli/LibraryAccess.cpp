#include "LibraryAccess.h"

#include "catalog/CatalogBackup.h"

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
    if (auto backup = CatalogBackup::takeIfDue(root, CatalogBackup::kIntervalMs); !backup) {
        std::cerr << "ripen-cli: warning: no catalog backup taken: " << backup.error().message
                  << "\n";
    }
    return std::move(*library);
}

} // namespace ripen::cli

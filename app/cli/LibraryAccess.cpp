#include "LibraryAccess.h"

#include <iostream>

namespace ripen::cli {

std::unique_ptr<Library> openLibraryOrReport(const std::filesystem::path& root) {
    auto library = Library::open(root);
    if (!library) {
        std::cerr << "ripen-cli: cannot open library " << root.string() << ": "
                  << library.error().message << "\n";
        return nullptr;
    }
    return std::move(*library);
}

} // namespace ripen::cli

#include "catalog/Library.h"

#include "catalog/internal/OpenLibraries.h"
#include "common/TextEncoding.h"

#include <cstdlib>
#include <system_error>

namespace ripen {

Library::Library(std::filesystem::path root, std::unique_ptr<Catalog> catalog)
    : m_root(std::move(root)), m_catalog(std::move(catalog)), m_blobs(m_root) {}

Library::~Library() {
    m_catalog.reset(); // the last connection to close checkpoints and removes the -wal
    // The process's live session on this root ends only after the record is written.
    if (const auto last = OpenLibraries::closed(m_root); last && last->fullCheckAtMs) {
        CatalogStartupCheck::recordCleanClose(m_root, *last->fullCheckAtMs);
    }
}

void Library::markChecked(CatalogStartupCheck::Report report) {
    OpenLibraries::checked(m_root, report.fullCheckAtMs);
    m_startupCheck = std::move(report);
}

std::filesystem::path Library::defaultLocation() {
    if (const char* data = std::getenv("XDG_DATA_HOME"); data != nullptr && *data == '/') {
        return std::filesystem::path(data) / "ripen" / "library";
    }
    const char* home = std::getenv("HOME");
    return std::filesystem::path(home != nullptr ? home : ".") / ".local" / "share" / "ripen" /
           "library";
}

Result<std::unique_ptr<Library>> Library::open(const std::filesystem::path& root) {
    std::error_code ec;
    for (const char* sub : {"blobs", "thumbs", "exports", "recipes"}) {
        std::filesystem::create_directories(root / sub, ec);
        if (ec) {
            return fail(ErrorCode::Io, "cannot create library folder " +
                                           escapeInvalidUtf8((root / sub).native()) + ": " +
                                           ec.message());
        }
    }
    const auto absoluteRoot = std::filesystem::absolute(root, ec);
    // Joined before the catalog opens: a restore in another process cannot swap the file
    // while this process uses it, and other openers see a live session.
    if (auto joined = OpenLibraries::opened(absoluteRoot); !joined) {
        return std::unexpected(joined.error());
    }
    auto catalog = Catalog::open(root / "catalog.sqlite");
    if (!catalog) {
        (void)OpenLibraries::closed(absoluteRoot);
        return std::unexpected(catalog.error());
    }
    auto library = std::unique_ptr<Library>(new Library(absoluteRoot, std::move(*catalog)));
    library->m_blobs.sweepIncoming();
    return library;
}

std::filesystem::path Library::thumbnailFile(const std::string& sha256) const {
    return m_root / "thumbs" / sha256.substr(0, 2) / (sha256 + ".jpg");
}

} // namespace ripen

#pragma once

#include "catalog/BlobStore.h"
#include "catalog/Catalog.h"
#include "catalog/CatalogStartupCheck.h"
#include "common/Error.h"

#include <filesystem>
#include <memory>
#include <optional>

namespace ripen {

// A library folder: catalog.sqlite, blobs/ (content-addressed files), thumbs/ (256 px JPEG
// previews named by the blob's hash), exports/ and recipes/. Opening creates what is
// missing and sweeps temp files a crash left behind.
//
// Thread affinity: as Catalog. Other threads call Library::open on the same root.
class Library {
public:
    static Result<std::unique_ptr<Library>> open(const std::filesystem::path& root);
    // Closes the catalog. The last library of this root to close in the process records
    // the clean close (CatalogStartupCheck::recordCleanClose) when one of them passed the
    // start-up check.
    ~Library();
    Library(const Library&) = delete;
    Library& operator=(const Library&) = delete;

    // $XDG_DATA_HOME/ripen/library, or ~/.local/share/ripen/library.
    static std::filesystem::path defaultLocation();

    const std::filesystem::path& root() const { return m_root; }
    Catalog& catalog() { return *m_catalog; }
    BlobStore& blobs() { return m_blobs; }

    std::filesystem::path blobFile(const Asset& asset) const { return m_root / asset.blobPath; }
    std::filesystem::path thumbnailFile(const std::string& sha256) const;

    // Set by CatalogBackup::openChecked once the start-up check passed: which check ran
    // and why. Only then does closing the library's root record a clean close.
    void markChecked(CatalogStartupCheck::Report report);
    const std::optional<CatalogStartupCheck::Report>& startupCheck() const {
        return m_startupCheck;
    }

private:
    Library(std::filesystem::path root, std::unique_ptr<Catalog> catalog);

    std::filesystem::path m_root;
    std::unique_ptr<Catalog> m_catalog;
    BlobStore m_blobs;
    std::optional<CatalogStartupCheck::Report> m_startupCheck;
};

} // namespace ripen

#pragma once

#include "catalog/BlobStore.h"
#include "catalog/Catalog.h"
#include "common/Error.h"

#include <filesystem>
#include <memory>

namespace ripen {

// A library folder: catalog.sqlite, blobs/ (content-addressed files), thumbs/ (256 px JPEG
// previews named by the blob's hash), exports/ and recipes/. Opening creates what is
// missing and sweeps temp files a crash left behind.
//
// Thread affinity: as Catalog. Other threads call Library::open on the same root.
class Library {
public:
    static Result<std::unique_ptr<Library>> open(const std::filesystem::path& root);

    // $XDG_DATA_HOME/ripen/library, or ~/.local/share/ripen/library.
    static std::filesystem::path defaultLocation();

    const std::filesystem::path& root() const { return m_root; }
    Catalog& catalog() { return *m_catalog; }
    BlobStore& blobs() { return m_blobs; }

    std::filesystem::path blobFile(const Asset& asset) const { return m_root / asset.blobPath; }
    std::filesystem::path thumbnailFile(const std::string& sha256) const;

private:
    Library(std::filesystem::path root, std::unique_ptr<Catalog> catalog);

    std::filesystem::path m_root;
    std::unique_ptr<Catalog> m_catalog;
    BlobStore m_blobs;
};

} // namespace ripen

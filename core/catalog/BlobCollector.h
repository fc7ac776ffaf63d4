#pragma once

#include "catalog/Library.h"
#include "common/Error.h"

#include <chrono>
#include <cstdint>

namespace ripen {

// Removes what crashes left in the blob store that nothing needs: blobs renamed into
// blobs/ whose asset row was never committed (with their thumbnails), and temp files in
// blobs/.incoming. A blob is kept while an asset row holds its hash or any job's request
// names it (an input of a job still to be sent). Only files untouched for `minAge` (an
// hour by default) go: a younger one may belong to an import or a job committing in
// another process right now, and an ingest that adopts an existing blob touches it first
// (BlobStore). The removal itself runs inside a catalog write transaction, so no commit
// of another process can slip between the last check and the unlink.
class BlobCollector {
public:
    struct Report {
        int blobsRemoved = 0;
        std::int64_t bytesRemoved = 0;
        int tempFilesRemoved = 0;
        int youngKept = 0; // unreferenced, but not yet `minAge` old
    };

    explicit BlobCollector(Library& library) : m_library(library) {}

    // Errors: those of the catalog; a file that cannot be removed is left for next time.
    Result<Report> collect(std::chrono::seconds minAge = std::chrono::hours(1));

private:
    Result<bool> referenced(const std::string& sha256, const std::string& fileName);

    Library& m_library;
};

} // namespace ripen

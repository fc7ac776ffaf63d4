#pragma once

#include "common/Error.h"
#include "common/ProgressSink.h"

#include <cstdint>
#include <filesystem>
#include <string>
#include <string_view>

namespace ripen {

// Content-addressed file store: blobs/ab/abcdef….ext, named by the SHA-256 of the bytes.
// A blob appears under its final name only when complete and synced; storing the same
// bytes twice is a no-op.
class BlobStore {
public:
    struct Stored {
        std::string sha256;
        std::string relativePath; // relative to the library root
        std::int64_t byteSize = 0;
        bool alreadyPresent = false;
    };

    explicit BlobStore(std::filesystem::path libraryRoot);

    Result<Stored> storeBytes(std::string_view bytes, std::string_view extension);
    // Streams an open file into the store while hashing it; memory stays at one buffer
    // whatever the file's size. Stops with ErrorCode::Cancelled when `progress` says so.
    Result<Stored> storeStream(int fd, std::string_view extension, const std::filesystem::path& nameForErrors,
                               ProgressSink& progress);

    std::filesystem::path absolutePath(const std::string& relativePath) const;
    std::string relativePathFor(const std::string& sha256, std::string_view extension) const;
    // Removes temp files that a crash left in blobs/.incoming more than an hour ago.
    void sweepIncoming() const;

private:
    Result<Stored> promote(const std::filesystem::path& temp, const std::string& sha256,
                           std::int64_t size, std::string_view extension);

    std::filesystem::path m_root;
    std::filesystem::path m_incoming;
};

} // namespace ripen

#pragma once

#include "common/Error.h"

#include <filesystem>
#include <string_view>

namespace ripen::providers {

// A file a provider writes only to upload it (a converted mask), under a fresh random name
// in the job's work folder, and removes again when the request is over, success or not.
class ScratchFile {
public:
    // Errors: Io / DiskFull naming the file.
    static Result<ScratchFile> create(const std::filesystem::path& dir, std::string_view stem,
                                      std::string_view extension, std::string_view bytes);

    ScratchFile(ScratchFile&& other) noexcept;
    ScratchFile& operator=(ScratchFile&& other) noexcept;
    ScratchFile(const ScratchFile&) = delete;
    ScratchFile& operator=(const ScratchFile&) = delete;
    ~ScratchFile();

    const std::filesystem::path& path() const { return m_path; }

private:
    explicit ScratchFile(std::filesystem::path path) : m_path(std::move(path)) {}
    void remove() noexcept;

    std::filesystem::path m_path;
};

} // namespace ripen::providers

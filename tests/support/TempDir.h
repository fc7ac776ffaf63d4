#pragma once

#include <filesystem>

namespace ripen::test {

// A fresh folder under the system temp dir, removed with everything in it at scope end.
class TempDir {
public:
    TempDir();
    ~TempDir();
    TempDir(const TempDir&) = delete;
    TempDir& operator=(const TempDir&) = delete;

    const std::filesystem::path& path() const { return m_path; }
    std::filesystem::path operator/(const std::filesystem::path& name) const { return m_path / name; }

private:
    std::filesystem::path m_path;
};

// The regular files anywhere under `folder` (0 when it does not exist).
std::size_t countFilesUnder(const std::filesystem::path& folder);

} // namespace ripen::test

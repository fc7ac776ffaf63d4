#pragma once

#include <filesystem>
#include <vector>

namespace ripen::test {

// A fresh folder under the system temp dir, removed with everything in it at scope end.
// Before it is removed, every file in it is searched for the suite's canary secrets (every
// fake provider's key holds "CANARY"): a test fails when one reached the disk anywhere but
// the key file the user opted in to (RELIABILITY.md S2, across the whole suite).
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

// The files under `folder` that hold a canary secret, except an opted-in key file
// (secrets/keys.json). Symlinks, FIFOs and devices are not followed.
std::vector<std::filesystem::path> filesHoldingCanary(const std::filesystem::path& folder);

// The regular files anywhere under `folder` (0 when it does not exist).
std::size_t countFilesUnder(const std::filesystem::path& folder);

} // namespace ripen::test

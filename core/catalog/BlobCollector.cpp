#include "catalog/BlobCollector.h"

#include "catalog/internal/SqliteDatabase.h"

#include <regex>
#include <sys/stat.h>
#include <unistd.h>
#include <vector>

namespace ripen {
namespace {

struct Candidate {
    std::filesystem::path file;
    std::string sha256;
    std::int64_t bytes = 0;
};

// When the file was last written, in seconds since the epoch; nullopt for anything but a
// regular file.
std::optional<std::int64_t> writtenAt(const std::filesystem::path& path) {
    struct stat st {};
    if (::lstat(path.c_str(), &st) != 0 || !S_ISREG(st.st_mode)) {
        return std::nullopt;
    }
    return static_cast<std::int64_t>(st.st_mtim.tv_sec);
}

int filesIn(const std::filesystem::path& dir) {
    std::error_code ec;
    int count = 0;
    for (auto it = std::filesystem::directory_iterator(dir, ec);
         !ec && it != std::filesystem::directory_iterator(); it.increment(ec)) {
        ++count;
    }
    return count;
}

std::int64_t nowSeconds() {
    return std::chrono::duration_cast<std::chrono::seconds>(
               std::chrono::system_clock::now().time_since_epoch())
        .count();
}

} // namespace

Result<bool> BlobCollector::referenced(const std::string& sha256, const std::string& fileName) {
    auto& db = m_library.catalog().database();
    auto asset = db.prepare("SELECT 1 FROM assets WHERE sha256 = ?");
    if (!asset) {
        return std::unexpected(asset.error());
    }
    auto held = asset->bind(1, sha256).step();
    if (!held || *held) {
        return held;
    }
    auto job = db.prepare("SELECT 1 FROM jobs WHERE instr(request_json, ?) > 0 LIMIT 1");
    if (!job) {
        return std::unexpected(job.error());
    }
    return job->bind(1, fileName).step();
}

Result<BlobCollector::Report> BlobCollector::collect(std::chrono::seconds minAge) {
    Report report;
    const auto incoming = m_library.root() / "blobs" / ".incoming";
    const int temps = filesIn(incoming);
    m_library.blobs().sweepIncoming();
    report.tempFilesRemoved = temps - filesIn(incoming);
    // Only the store's own names: blobs/ab/ab<62 more hex digits>.<ext>.
    static const std::regex kBlobName("[0-9a-f]{64}\\.[a-z0-9]{1,5}");
    const auto oldEnough = [&](const std::filesystem::path& file) {
        const auto at = writtenAt(file);
        return at && *at <= nowSeconds() - minAge.count();
    };
    std::vector<Candidate> candidates;
    std::error_code ec;
    for (const auto& shard : std::filesystem::directory_iterator(m_library.root() / "blobs", ec)) {
        const std::string prefix = shard.path().filename().string();
        if (prefix.size() != 2 || !shard.is_directory(ec)) {
            continue; // .incoming and anything not the store's
        }
        for (const auto& entry : std::filesystem::directory_iterator(shard.path(), ec)) {
            const std::string name = entry.path().filename().string();
            if (!std::regex_match(name, kBlobName) || !name.starts_with(prefix)) {
                continue;
            }
            const std::string sha = name.substr(0, 64);
            auto held = referenced(sha, name);
            if (!held) {
                return std::unexpected(held.error());
            }
            if (*held) {
                continue;
            }
            if (!oldEnough(entry.path())) {
                ++report.youngKept;
                continue;
            }
            candidates.push_back(
                {entry.path(), sha, static_cast<std::int64_t>(entry.file_size(ec))});
        }
    }
    if (candidates.empty()) {
        return report;
    }
    // Checked again under the write lock: a commit that adopted the blob meanwhile wins.
    auto tx = sqlite::Transaction::begin(m_library.catalog().database());
    if (!tx) {
        return std::unexpected(tx.error());
    }
    for (const Candidate& c : candidates) {
        auto held = referenced(c.sha256, c.file.filename().string());
        if (!held) {
            return std::unexpected(held.error());
        }
        if (*held || !oldEnough(c.file) || ::unlink(c.file.c_str()) != 0) {
            continue;
        }
        ++report.blobsRemoved;
        report.bytesRemoved += c.bytes;
        std::filesystem::remove(m_library.thumbnailFile(c.sha256), ec);
    }
    if (auto committed = tx->commit(); !committed) {
        return std::unexpected(committed.error());
    }
    return report;
}

} // namespace ripen

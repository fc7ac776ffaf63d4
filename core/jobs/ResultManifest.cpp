#include "jobs/ResultManifest.h"

#include "common/FileDigest.h"
#include "common/FileIo.h"
#include "imaging/ImageDecoder.h"
#include "imaging/ImageLimits.h"
#include "imaging/MediaFormat.h"

#include <regex>
#include <sys/stat.h>

namespace ripen {
namespace {

// The kernel stamps files from a coarse clock (one tick, at most 10 ms, behind): a file
// written right after the mark may read as a little older than it.
constexpr std::int64_t kClockSlackMs = 50;
constexpr std::uint64_t kMaxManifestBytes = 1 << 20;

// When the file was last written, in unixMillis; nullopt when it is not a regular file.
std::optional<std::int64_t> writtenAtMs(const std::filesystem::path& path) {
    struct stat st {};
    if (::stat(path.c_str(), &st) != 0 || !S_ISREG(st.st_mode)) {
        return std::nullopt;
    }
    return static_cast<std::int64_t>(st.st_mtim.tv_sec) * 1000 + st.st_mtim.tv_nsec / 1'000'000;
}

bool writtenSince(const std::filesystem::path& path, std::int64_t sentAtMs) {
    const auto at = writtenAtMs(path);
    return at && *at >= sentAtMs - kClockSlackMs;
}

// A file the manifest lists is this job's own, whole, and exactly as recorded.
bool matchesRecord(const std::filesystem::path& workDir, const nlohmann::json& file) {
    if (!file.is_object() || !file.contains("path") || !file["path"].is_string() ||
        !file.contains("bytes") || !file["bytes"].is_number_integer() || !file.contains("sha256") ||
        !file["sha256"].is_string()) {
        return false;
    }
    const std::filesystem::path path = file["path"].get<std::string>();
    if (path.parent_path().lexically_normal() != workDir.lexically_normal()) {
        return false;
    }
    std::error_code ec;
    const auto bytes = std::filesystem::file_size(path, ec);
    if (ec || static_cast<std::int64_t>(bytes) != file["bytes"].get<std::int64_t>()) {
        return false;
    }
    const auto sha256 = sha256OfFile(path);
    return sha256 && *sha256 == file["sha256"].get<std::string>();
}

std::optional<nlohmann::json> fromManifest(const std::filesystem::path& workDir,
                                           const std::filesystem::path& manifestFile) {
    auto text = readFileBounded(manifestFile, kMaxManifestBytes);
    if (!text) {
        return std::nullopt;
    }
    auto manifest = nlohmann::json::parse(*text, nullptr, false);
    if (manifest.is_discarded() || !manifest.is_object() || !manifest.contains("files") ||
        !manifest["files"].is_array() || manifest["files"].empty()) {
        return std::nullopt;
    }
    for (const auto& file : manifest["files"]) {
        if (!matchesRecord(workDir, file)) {
            return std::nullopt;
        }
    }
    return manifest;
}

// Images saved by saveGeneratedImage since the mark, each decoded to its end.
std::optional<nlohmann::json> fromBareFiles(const std::filesystem::path& workDir,
                                            std::int64_t sentAtMs) {
    // saveGeneratedImage's names: 12 random bytes in hex.
    static const std::regex kGenerated("generated-[0-9a-f]{24}\\.(png|jpg|webp)");
    nlohmann::json files = nlohmann::json::array();
    std::error_code ec;
    for (const auto& entry : std::filesystem::directory_iterator(workDir, ec)) {
        const std::string name = entry.path().filename().string();
        if (!std::regex_match(name, kGenerated) || !writtenSince(entry.path(), sentAtMs)) {
            continue;
        }
        auto bytes = readFileBounded(entry.path(), kMaxImageFileBytes);
        if (!bytes || !decodeImage(*bytes)) {
            return std::nullopt; // one doubtful output puts the whole result in doubt
        }
        const MediaFormat format =
            sniffMediaFormat(std::string_view(*bytes).substr(0, kMediaSniffBytes));
        files.push_back({{"path", entry.path().string()}, {"mime", mimeType(format)}});
    }
    if (files.empty()) {
        return std::nullopt;
    }
    return nlohmann::json{
        {"files", files},
        {"model_version", ""},
        {"usage", {{"unit", "USD"}, {"raw", nlohmann::json::object()}}},
        {"info",
         {{"recovered", "the result was found in the job's work folder after a restart; the "
                        "provider's usage was not recorded, so it is charged at the estimate"}}}};
}

} // namespace

Status ResultManifest::write(const std::filesystem::path& workDir, const nlohmann::json& result) {
    nlohmann::json manifest = result;
    for (auto& file : manifest["files"]) {
        const std::filesystem::path path = file.value("path", "");
        auto sha256 = sha256OfFile(path);
        if (!sha256) {
            return std::unexpected(sha256.error());
        }
        std::error_code ec;
        const auto bytes = std::filesystem::file_size(path, ec);
        if (ec) {
            return std::unexpected(errnoError(ec.value(), "cannot read the size of", path));
        }
        file["bytes"] = static_cast<std::int64_t>(bytes);
        file["sha256"] = *sha256;
    }
    return writeFileAtomically(workDir / kFileName, manifest.dump());
}

std::optional<nlohmann::json> ResultManifest::recover(const std::filesystem::path& workDir,
                                                      std::int64_t sentAtMs,
                                                      bool bareFilesAllowed) {
    const auto manifestFile = workDir / kFileName;
    if (writtenAtMs(manifestFile)) {
        // A manifest of an earlier attempt (the runner removes it before sending again) or
        // one whose files do not match is doubt, not a reason to look further.
        if (!writtenSince(manifestFile, sentAtMs)) {
            return std::nullopt;
        }
        return fromManifest(workDir, manifestFile);
    }
    return bareFilesAllowed ? fromBareFiles(workDir, sentAtMs) : std::nullopt;
}

} // namespace ripen

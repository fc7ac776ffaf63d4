#include "catalog/internal/ImportWalker.h"

#include "common/TextEncoding.h"

#include <sys/stat.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <set>
#include <string_view>
#include <utility>

namespace ripen {
namespace {

constexpr std::array<std::string_view, 22> kMediaExtensions{
    "png", "jpg", "jpeg", "jpe", "webp", "tif", "tiff", "mp4", "m4v", "mov", "webm",
    // Not read by Ripen, but a user who drops them in wants to hear that they were skipped.
    "gif", "bmp", "heic", "heif", "avif", "jxl", "psd", "exr", "mkv", "avi", "svg"};

using FileKey = std::pair<dev_t, ino_t>;

class Walk {
public:
    std::vector<ImportWalker::Entry> entries;

    void visit(const std::filesystem::path& path, bool explicitlyNamed) {
        struct stat st {};
        if (::stat(path.c_str(), &st) != 0 || !S_ISDIR(st.st_mode)) {
            if (explicitlyNamed || ImportWalker::looksLikeMedia(path)) {
                entries.push_back({path, {}, false});
            }
            return;
        }
        if (!m_visited.insert({st.st_dev, st.st_ino}).second) {
            return; // a symlink loop or the same folder named twice
        }
        std::error_code ec;
        std::vector<std::filesystem::path> children;
        std::filesystem::directory_iterator it(path, ec);
        for (; !ec && it != std::filesystem::directory_iterator(); it.increment(ec)) {
            const std::string name = it->path().filename().native();
            if (!name.empty() && name[0] != '.') {
                children.push_back(it->path());
            }
        }
        if (ec) {
            entries.push_back({path,
                               Error{ErrorCode::Io, "cannot read folder " +
                                                        escapeInvalidUtf8(path.native()) + ": " +
                                                        ec.message()},
                               true});
            return;
        }
        std::sort(children.begin(), children.end());
        for (const auto& child : children) {
            visit(child, false);
        }
    }

private:
    std::set<FileKey> m_visited;
};

} // namespace

bool ImportWalker::looksLikeMedia(const std::filesystem::path& path) {
    std::string ext = path.extension().native();
    if (ext.size() < 2) {
        return false;
    }
    ext.erase(0, 1);
    std::transform(ext.begin(), ext.end(), ext.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return std::find(kMediaExtensions.begin(), kMediaExtensions.end(), ext) !=
           kMediaExtensions.end();
}

std::vector<ImportWalker::Entry> ImportWalker::collect(std::span<const std::filesystem::path> roots) {
    Walk walk;
    for (const auto& root : roots) {
        walk.visit(root, true);
    }
    return std::move(walk.entries);
}

} // namespace ripen

#include "recipes/PostStepFiles.h"

#include "catalog/Library.h"
#include "common/FileIo.h"

#include <charconv>
#include <system_error>

namespace ripen {

namespace {

std::optional<AssetId> assetIdOf(const std::string& text) {
    if (text.rfind("asset:", 0) != 0) {
        return std::nullopt;
    }
    AssetId id = 0;
    const char* end = text.data() + text.size();
    const auto [ptr, ec] = std::from_chars(text.data() + 6, end, id);
    if (ec != std::errc() || ptr != end || id <= 0) {
        return std::nullopt;
    }
    return id;
}

Result<std::filesystem::path> assetFile(Library& library, AssetId id) {
    auto asset = library.catalog().asset(id);
    if (!asset) {
        return std::unexpected(withContext(asset.error(), "asset:" + std::to_string(id)));
    }
    return library.blobFile(*asset);
}

} // namespace

bool checkImageSource(const std::string& text, const std::string& path, RecipeIssues& issues) {
    if (assetIdOf(text) || std::filesystem::path(text).is_absolute()) {
        return true;
    }
    issues.add(path, "expected \"asset:ID\" or an absolute file path (a run finishes from its "
                     "manifest, where a relative path has no folder)");
    return false;
}

Result<std::filesystem::path> resolveImageSource(Library& library, const std::string& source) {
    if (const auto id = assetIdOf(source)) {
        return assetFile(library, *id);
    }
    return std::filesystem::path(source);
}

Result<std::filesystem::path> itemFile(Library& library, const PostStepItem& item) {
    return assetFile(library, item.asset);
}

Status ensureDirectory(const std::filesystem::path& dir) {
    std::error_code ec;
    std::filesystem::create_directories(dir, ec);
    if (ec) {
        return std::unexpected(errnoError(ec.value(), "create", dir));
    }
    return {};
}

std::string libraryRelative(const PostStepRuntime& runtime, const std::filesystem::path& file) {
    return std::filesystem::relative(file, runtime.library.root()).string();
}

} // namespace ripen

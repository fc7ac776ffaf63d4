#include "imaging/upscale/ModelRegistry.h"

#include "imaging/upscale/NcnnModelReader.h"
#include "imaging/upscale/TfjsModelReader.h"

#include <algorithm>
#include <cstdlib>
#include <set>

namespace ripen {
namespace {

namespace fs = std::filesystem;

constexpr int kMaxDepth = 5;

std::uint64_t fileSize(const fs::path& path) {
    std::error_code error;
    const auto size = fs::file_size(path, error);
    return error ? 0 : size;
}

std::uint64_t folderWeightBytes(const fs::path& folder) {
    std::uint64_t total = 0;
    std::error_code error;
    for (const auto& entry : fs::directory_iterator(folder, error)) {
        const auto name = entry.path().filename().string();
        if (entry.is_regular_file() && (name == "model.json" || name.ends_with(".bin"))) {
            total += fileSize(entry.path());
        }
    }
    return total;
}

std::string withScale(std::string name, int scale) {
    const std::string tag = "x" + std::to_string(scale);
    if (name.find(tag) == std::string::npos) {
        name += "-" + tag;
    }
    return name;
}

std::string tfjsName(const fs::path& root, const fs::path& modelJson) {
    std::string name;
    for (const auto& part : modelJson.parent_path().lexically_relative(root)) {
        const std::string text = part.string();
        if (text == "models" || text == "package" || text == "." || text.empty()) {
            continue;
        }
        name += (name.empty() ? "" : "-") + text;
    }
    return name.empty() ? "model" : name;
}

} // namespace

ModelRegistry::ModelRegistry(std::vector<fs::path> folders) : m_folders(std::move(folders)) {}

fs::path ModelRegistry::bundledFolder() {
#ifdef RIPEN_SOURCE_DIR
    return fs::path(RIPEN_SOURCE_DIR) / ".cache" / "models";
#else
    return {};
#endif
}

std::vector<fs::path> ModelRegistry::defaultFolders(const fs::path& library) {
    std::vector<fs::path> folders;
    if (const char* models = std::getenv("RIPEN_MODELS_DIR"); models != nullptr && *models) {
        folders.emplace_back(models);
    }
    if (!library.empty()) {
        folders.push_back(library / "models");
    }
    if (const char* data = std::getenv("XDG_DATA_HOME"); data != nullptr && *data) {
        folders.push_back(fs::path(data) / "ripen" / "models");
    } else if (const char* home = std::getenv("HOME"); home != nullptr && *home) {
        folders.push_back(fs::path(home) / ".local" / "share" / "ripen" / "models");
    }
    if (auto bundled = bundledFolder(); !bundled.empty()) {
        folders.push_back(bundled);
    }
    return folders;
}

ModelRegistry::Scan ModelRegistry::scan() const {
    Scan result;
    std::set<std::string> seen;
    for (const fs::path& root : m_folders) {
        std::error_code error;
        if (!fs::is_directory(root, error)) {
            continue;
        }
        std::vector<fs::path> files;
        fs::recursive_directory_iterator it(root, fs::directory_options::skip_permission_denied,
                                            error);
        for (; !error && it != fs::recursive_directory_iterator(); it.increment(error)) {
            if (it.depth() > kMaxDepth) {
                it.disable_recursion_pending();
                continue;
            }
            const auto name = it->path().filename().string();
            if (it->is_regular_file(error) && (name == "model.json" || name.ends_with(".param"))) {
                files.push_back(it->path());
            }
        }
        std::sort(files.begin(), files.end());
        for (const fs::path& file : files) {
            const bool tfjs = file.filename() == "model.json";
            auto network =
                tfjs ? TfjsModelReader::readTopology(file) : NcnnModelReader::readTopology(file);
            if (!network) {
                result.problems.push_back(network.error().message);
                continue;
            }
            UpscaleModelInfo model;
            model.format = tfjs ? "tfjs" : "ncnn";
            model.scale = network->scale;
            model.path = file;
            model.name = withScale(tfjs ? tfjsName(root, file) : file.stem().string(), model.scale);
            model.bytes = tfjs
                              ? folderWeightBytes(file.parent_path())
                              : fileSize(file) + fileSize(fs::path(file).replace_extension(".bin"));
            if (seen.insert(model.name).second) {
                result.models.push_back(std::move(model));
            }
        }
    }
    std::sort(result.models.begin(), result.models.end(),
              [](const auto& a, const auto& b) { return a.name < b.name; });
    return result;
}

std::vector<UpscaleModelInfo> ModelRegistry::list() const {
    return scan().models;
}

std::vector<std::string> ModelRegistry::problems() const {
    return scan().problems;
}

std::optional<UpscaleModelInfo> ModelRegistry::find(std::string_view name) const {
    for (UpscaleModelInfo& model : scan().models) {
        if (model.name == name) {
            return std::move(model);
        }
    }
    return std::nullopt;
}

Result<SrNetwork> ModelRegistry::load(const UpscaleModelInfo& model) {
    return model.format == "tfjs" ? TfjsModelReader::read(model.path)
                                  : NcnnModelReader::read(model.path);
}

} // namespace ripen

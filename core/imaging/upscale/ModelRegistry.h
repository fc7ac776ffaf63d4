#pragma once

#include "common/Error.h"
#include "imaging/upscale/SrNetwork.h"

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace ripen {

// A neural upscaling model found on disk.
struct UpscaleModelInfo {
    std::string name;           // "esrgan-slim-x4": what an upscale job's model names
    std::string format;         // "tfjs" (model.json + shards) or "ncnn" (.param + .bin)
    int scale = 0;              // output size / input size
    std::filesystem::path path; // the model.json or the .param file
    std::uint64_t bytes = 0;    // on disk, weights included
};

// The local neural upscaling models: everything under a list of folders, searched in order
// (the first folder wins when two models share a name). A model is either a TF.js layers
// folder (model.json with its weight shards) or an ncnn pair (NAME.param + NAME.bin).
// Names: a TF.js model is named after its folders below the root, "models" and "package"
// left out (esrgan-slim/models/x4/model.json -> "esrgan-slim-x4"); an ncnn model after its
// file (realesr-animevideov3-x4.param -> "realesr-animevideov3-x4"); "-xN" is appended
// when the name does not already say its scale. Models that cannot be read are left out
// of list() and reported by problems().
//
// For the upscale CLI: ModelRegistry(ModelRegistry::defaultFolders(library)).find(name)
// resolves an --engine name; load() then gives the network for SrEngine::create().
class ModelRegistry {
public:
    explicit ModelRegistry(std::vector<std::filesystem::path> folders);

    // In search order: $RIPEN_MODELS_DIR when set; <library>/models (the user's models for
    // that library); $XDG_DATA_HOME/ripen/models (or ~/.local/share/ripen/models: models
    // for every library); and the folder scripts/setup.sh fills with the UpscalerJS models
    // (<source tree>/.cache/models, see bundledFolder()).
    static std::vector<std::filesystem::path> defaultFolders(const std::filesystem::path& library);
    static std::filesystem::path bundledFolder();

    // Scans the folders (reads each model's graph, not its weights). Sorted by name.
    std::vector<UpscaleModelInfo> list() const;
    std::optional<UpscaleModelInfo> find(std::string_view name) const;
    // "path: why" for each model file list() had to leave out.
    std::vector<std::string> problems() const;

    // Reads the whole model, weights included, and validates it.
    static Result<SrNetwork> load(const UpscaleModelInfo& model);

private:
    struct Scan {
        std::vector<UpscaleModelInfo> models;
        std::vector<std::string> problems;
    };
    Scan scan() const;

    std::vector<std::filesystem::path> m_folders;
};

} // namespace ripen

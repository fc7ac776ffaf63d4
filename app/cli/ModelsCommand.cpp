#include "Command.h"
#include "catalog/Library.h"
#include "imaging/upscale/ModelRegistry.h"

#include <cstdio>
#include <iostream>
#include <nlohmann/json.hpp>

namespace ripen::cli {
namespace {

std::string megabytes(std::uint64_t bytes) {
    char text[32];
    std::snprintf(text, sizeof text, "%.1f MB", static_cast<double>(bytes) / 1e6);
    return text;
}

int runModels(const CommandContext& context, const ArgParser& args) {
    const auto library = context.library.empty() ? Library::defaultLocation() : context.library;
    const ModelRegistry registry(ModelRegistry::defaultFolders(library));
    const auto models = registry.list();
    if (args.has("json")) {
        nlohmann::json list = nlohmann::json::array();
        for (const auto& model : models) {
            list.push_back({{"name", model.name},
                            {"format", model.format},
                            {"scale", model.scale},
                            {"bytes", model.bytes},
                            {"path", model.path.string()}});
        }
        std::cout << list.dump() << "\n";
    } else {
        for (const auto& model : models) {
            std::printf("%-28s %-5s x%d %10s  %s\n", model.name.c_str(), model.format.c_str(),
                        model.scale, megabytes(model.bytes).c_str(), model.path.c_str());
        }
        if (models.empty()) {
            std::cout << "no local models (scripts/setup.sh fetches the UpscalerJS models; put "
                         "your own in "
                      << (library / "models").string() << ")\n";
        }
    }
    for (const auto& problem : registry.problems()) {
        std::cerr << "ripen-cli models: skipped " << problem << "\n";
    }
    return kExitOk;
}

} // namespace

Command modelsCommand() {
    return {"models", "models [--json]",
            "Lists the local neural upscaling models: name (what an upscale job's model or\n"
            "--engine names), format (tfjs: a TF.js layers folder with model.json; ncnn: a\n"
            "NAME.param + NAME.bin pair), scale and size on disk. Searched in order:\n"
            "$RIPEN_MODELS_DIR, <library>/models, $XDG_DATA_HOME/ripen/models (default\n"
            "~/.local/share/ripen/models) and the models scripts/setup.sh fetched. Drop a\n"
            "model folder or pair into one of them to add it. Models that cannot be read are\n"
            "named on stderr with the reason.",
            [](ArgParser& p) { p.addOption("json", false, "", "a JSON array"); }, runModels};
}

} // namespace ripen::cli

#include "Command.h"
#include "LibraryAccess.h"
#include "catalog/Collections.h"

#include <nlohmann/json.hpp>

#include <cstdio>
#include <iostream>

namespace ripen::cli {
namespace {

nlohmann::json toJson(const Asset& a, const Library& library) {
    const auto& g = a.generation;
    nlohmann::json j = {
        {"id", a.id},
        {"path", library.blobFile(a).string()},
        {"kind", toString(a.kind)},
        {"format", a.format},
        {"width", a.width},
        {"height", a.height},
        {"byte_size", a.byteSize},
        {"sha256", a.sha256},
        {"source_path", a.sourcePath},
        {"prompt", g.prompt},
        {"negative_prompt", g.negativePrompt},
        {"provider", g.provider},
        {"model_id", g.modelId},
        {"model_version", g.modelVersion},
        {"seed", g.seed ? nlohmann::json(*g.seed) : nlohmann::json(nullptr)},
        {"params", g.params},
        {"project", a.project},
        {"client", a.client},
        {"stage", toString(a.stage)},
        {"rating", a.rating},
        {"flag", toString(a.flag)},
        {"color_label", toString(a.colorLabel)},
        {"tags", a.tags},
        {"notes", a.notes},
        {"parents", a.parents},
        {"cost_micros", a.costMicros},
        {"cost_currency", a.costCurrency},
        {"imported_at_ms", a.importedAtMs},
    };
    if (a.durationMicros) {
        j["duration_us"] = *a.durationMicros;
    }
    return j;
}

// Cuts at a character boundary and marks the cut, so a long prompt keeps the table readable.
std::string shortened(const std::string& text, std::size_t maxBytes) {
    std::string flat = text;
    for (char& c : flat) {
        if (c == '\n' || c == '\r' || c == '\t') {
            c = ' ';
        }
    }
    if (flat.size() <= maxBytes) {
        return flat;
    }
    std::size_t cut = maxBytes;
    while (cut > 0 && (static_cast<unsigned char>(flat[cut]) & 0xC0) == 0x80) {
        --cut;
    }
    return flat.substr(0, cut) + "…";
}

void printTableRow(const Asset& a) {
    char line[160];
    std::snprintf(line, sizeof line, "%8lld  %-5s  %5dx%-5d  %-9s  %d  %-6s  ",
                  static_cast<long long>(a.id), std::string(toString(a.kind)).c_str(), a.width,
                  a.height, std::string(toString(a.stage)).c_str(), a.rating,
                  std::string(toString(a.flag)).c_str());
    std::cout << line << (a.project.empty() ? "-" : a.project) << "  "
              << shortened(a.generation.prompt, 60) << "\n";
}

std::optional<std::string> buildQuery(const ArgParser& args, AssetQuery& query) {
    query.search = args.value("search").value_or("");
    query.project = args.value("project");
    query.client = args.value("client");
    if (auto stage = args.value("stage")) {
        if (!(query.stage = stageFromString(*stage))) {
            return "unknown stage '" + *stage + "'";
        }
    }
    if (auto flag = args.value("flag")) {
        if (!(query.flag = flagFromString(*flag))) {
            return "unknown flag '" + *flag + "' (pick, reject, none)";
        }
    }
    try {
        if (auto rating = args.value("min-rating")) {
            query.minRating = std::stoi(*rating);
        }
        if (auto limit = args.value("limit")) {
            query.limit = std::stoll(*limit);
        }
    } catch (const std::exception&) {
        return "--min-rating and --limit take a number";
    }
    return std::nullopt;
}

int runList(const CommandContext& context, const ArgParser& args) {
    AssetQuery query;
    if (auto error = buildQuery(args, query)) {
        std::cerr << "ripen-cli list: " << *error << "\n";
        return kExitUsage;
    }
    auto library = openLibraryOrReport(context.library);
    if (!library) {
        return kExitFailure;
    }
    if (auto name = args.value("collection")) {
        auto collection = Collections(library->catalog()).byName(*name);
        if (!collection) {
            std::cerr << "ripen-cli list: " << collection.error().message << "\n";
            return kExitFailure;
        }
        query.collection = collection->id;
    }
    auto assets = library->catalog().find(query);
    if (!assets) {
        std::cerr << "ripen-cli list: " << assets.error().message << "\n";
        return kExitFailure;
    }
    const bool json = args.has("json");
    for (const auto& asset : *assets) {
        if (json) {
            std::cout << toJson(asset, *library).dump(-1, ' ', false,
                                                      nlohmann::json::error_handler_t::replace)
                      << "\n";
        } else {
            printTableRow(asset);
        }
    }
    return kExitOk;
}

} // namespace

Command listCommand() {
    return {"list", "list [--json] [--search TEXT] [--project NAME] [FILTERS]",
            "Lists the assets in the library, newest first. --search matches words (as\n"
            "prefixes) in prompts, negative prompts, tags and notes. --json prints one JSON\n"
            "object per line with id, path, kind, format, width, height, prompt, project,\n"
            "stage, rating, flag and every other catalog field.",
            [](ArgParser& p) {
                p.addOption("json", false, "", "one JSON object per line");
                p.addOption("search", true, "TEXT", "full-text search");
                p.addOption("project", true, "NAME", "only this project");
                p.addOption("client", true, "NAME", "only this client");
                p.addOption("stage", true, "STAGE", "only this stage");
                p.addOption("flag", true, "FLAG", "pick, reject or none");
                p.addOption("min-rating", true, "N", "at least N stars");
                p.addOption("limit", true, "N", "at most N assets");
                p.addOption("collection", true, "NAME", "only this collection's assets");
            },
            runList};
}

} // namespace ripen::cli

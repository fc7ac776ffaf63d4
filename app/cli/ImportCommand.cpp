#include "Command.h"
#include "LibraryAccess.h"

#include "catalog/Importer.h"

#include <iostream>

namespace ripen::cli {
namespace {

int runImport(const CommandContext& context, const ArgParser& args) {
    if (args.positionals().empty()) {
        std::cerr << "ripen-cli import: name at least one file or folder\n";
        return kExitUsage;
    }
    ImportOptions options;
    options.project = args.value("project").value_or("");
    options.client = args.value("client").value_or("");
    options.tags = args.values("tag");
    if (auto stage = args.value("stage")) {
        auto parsed = stageFromString(*stage);
        if (!parsed) {
            std::cerr << "ripen-cli import: unknown stage '" << *stage
                      << "' (concept, master, inpainted, upscaled, final, clip)\n";
            return kExitUsage;
        }
        options.stage = *parsed;
    }
    auto library = openLibraryOrReport(context.library);
    if (!library) {
        return kExitFailure;
    }
    std::vector<std::filesystem::path> paths(args.positionals().begin(), args.positionals().end());
    Importer importer(*library);
    NullProgress progress;
    const ImportSummary summary = importer.importPaths(
        paths, options,
        [](const ImportOutcome& outcome) {
            if (outcome.imported) {
                std::cout << "imported " << outcome.id << " " << outcome.displayPath << "\n";
            } else {
                std::cout << "skipped " << outcome.displayPath << ": " << outcome.error.message
                          << "\n";
            }
            std::cout.flush();
        },
        progress);
    std::cerr << "ripen-cli: " << summary.imported << " imported, " << summary.skipped
              << " skipped\n";
    return summary.skipped > 0 ? kExitSkipped : kExitOk;
}

} // namespace

Command importCommand() {
    return {"import", "import [OPTIONS] PATH...",
            "Copies image files (PNG, JPEG, WebP, TIFF) and videos (MP4, MOV, WebM) into the\n"
            "library. Folders are imported recursively. Prompts written by AUTOMATIC1111,\n"
            "Forge and ComfyUI are recovered from PNG text chunks. Prints one line per file:\n"
            "  imported <asset-id> <path>\n"
            "  skipped <path>: <reason>\n"
            "Files already in the library (same content) are skipped. Exit status 3 when\n"
            "anything was skipped.",
            [](ArgParser& p) {
                p.addOption("project", true, "NAME", "put the assets in this project");
                p.addOption("client", true, "NAME", "the project's client");
                p.addOption("stage", true, "STAGE",
                            "concept, master, inpainted, upscaled, final or clip");
                p.addOption("tag", true, "TAG", "add a tag (repeatable)");
            },
            runImport};
}

} // namespace ripen::cli

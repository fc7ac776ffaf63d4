#include "Command.h"
#include "LibraryAccess.h"

#include "catalog/Exporter.h"

#include <iostream>

namespace ripen::cli {
namespace {

int runExport(const CommandContext& context, const ArgParser& args) {
    if (args.positionals().size() != 2) {
        std::cerr << "ripen-cli export: expected ASSET-ID PATH\n";
        return kExitUsage;
    }
    AssetId id = 0;
    try {
        std::size_t used = 0;
        id = std::stoll(args.positionals()[0], &used);
        if (used != args.positionals()[0].size()) {
            throw std::invalid_argument("trailing characters");
        }
    } catch (const std::exception&) {
        std::cerr << "ripen-cli export: '" << args.positionals()[0] << "' is not an asset id\n";
        return kExitUsage;
    }
    auto library = openLibraryOrReport(context.library);
    if (!library) {
        return kExitFailure;
    }
    ExportOptions options;
    options.writeMetadata = !args.has("no-metadata");
    auto written = Exporter(*library).exportAsset(id, args.positionals()[1], options);
    if (!written) {
        std::cerr << "ripen-cli export: " << written.error().message << "\n";
        return kExitFailure;
    }
    std::cout << "exported " << id << " " << written->string() << "\n";
    return kExitOk;
}

} // namespace

Command exportCommand() {
    return {"export", "export [--no-metadata] ASSET-ID PATH",
            "Writes an asset to PATH (a file, or a folder to write into) in its own format,\n"
            "pixels untouched. PNGs carry their provenance in an AUTOMATIC1111-style\n"
            "\"parameters\" text chunk (prompt, negative prompt, seed, size, model, provider)\n"
            "that A1111, Forge, InvokeAI and Ripen read back. The file appears complete or\n"
            "not at all.",
            [](ArgParser& p) {
                p.addOption("no-metadata", false, "", "copy the file without provenance");
            },
            runExport};
}

} // namespace ripen::cli

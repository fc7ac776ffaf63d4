#include "BatchCommandSupport.h"
#include "Command.h"
#include "batch/ExportBundle.h"
#include "common/TextEncoding.h"

#include <ctime>
#include <iostream>

namespace ripen::cli {
namespace {

constexpr const char* kName = "bundle";

int runBundle(const CommandContext&, const ArgParser& args) {
    if (!args.has("out") || (args.positionals().empty() && !args.has("mockup"))) {
        return usageError(kName, "give --out FILE.zip and at least one file");
    }
    const std::filesystem::path out = *args.value("out");
    if (out.extension() != ".zip") {
        return usageError(kName, "--out must be a .zip file");
    }
    auto files = imageFilesIn(args.positionals());
    auto mockups = imageFilesIn(args.values("mockup"));
    if (!files || !mockups) {
        return failure(kName, (!files ? files.error() : mockups.error()).message);
    }
    auto rows = writeExportBundle(*files, *mockups, out, std::time(nullptr));
    if (!rows) {
        return failure(kName, rows.error().message);
    }
    std::cout << "wrote " << escapeInvalidUtf8(out.string()) << " (" << files->size() << " files, "
              << mockups->size() << " mockups, manifest.csv)\n";
    return kExitOk;
}

} // namespace

Command bundleCommand() {
    return {kName, "bundle --out FILE.zip [--mockup FILE|DIR]... FILE|DIR...",
            "Packs a delivery: the files under files/, the mockups under mockups/ and a\n"
            "manifest.csv (file, bytes, width, height, dpi, sha256) in one zip that unzip,\n"
            "Windows and macOS open. Folders stand for the images directly inside them; any\n"
            "file may be named (a contact sheet PDF too). The zip appears complete or not at all.",
            [](ArgParser& p) {
                p.addOption("out", true, "FILE.zip", "the archive to write");
                p.addOption("mockup", true, "FILE|DIR", "mockup image(s); repeatable");
            },
            runBundle};
}

} // namespace ripen::cli

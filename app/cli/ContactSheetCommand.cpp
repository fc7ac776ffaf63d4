#include "BatchCommandSupport.h"
#include "Command.h"
#include "batch/ContactSheet.h"
#include "batch/ImageFiles.h"
#include "common/FileIo.h"
#include "common/TextEncoding.h"

#include <iostream>

namespace ripen::cli {
namespace {

constexpr const char* kName = "contactsheet";

int runContactSheet(const CommandContext&, const ArgParser& args) {
    const auto outs = args.values("out");
    if (outs.empty() || args.positionals().empty()) {
        return usageError(kName, "give --out FILE.png|FILE.pdf and at least one image");
    }
    for (const auto& out : outs) {
        const auto extension = std::filesystem::path(out).extension();
        if (extension != ".png" && extension != ".pdf") {
            return usageError(kName, "--out " + out + ": a contact sheet is a .png or a .pdf");
        }
    }
    ContactSheetLayout layout;
    layout.title = args.value("title").value_or("");
    auto columns = numberOption(args, "columns", 1, 12, layout.columns);
    auto cell = numberOption(args, "cell", 64, 1024, layout.cellPixels);
    if (!columns || !cell) {
        return usageError(kName, (!columns ? columns : cell).error().message);
    }
    layout.columns = static_cast<int>(*columns);
    layout.cellPixels = static_cast<int>(*cell);
    auto files = imageFilesIn(args.positionals());
    if (!files) {
        return failure(kName, files.error().message);
    }
    auto items = loadContactSheetItems(*files, layout.cellPixels);
    if (!items) {
        return failure(kName, items.error().message);
    }
    for (const std::filesystem::path out : outs) {
        Status written;
        if (out.extension() == ".png") {
            auto sheet = renderContactSheetImage(*items, layout);
            written = sheet ? writePngFile(out, *sheet) : std::unexpected(sheet.error());
        } else {
            auto pdf = renderContactSheetPdf(*items, layout);
            written = pdf ? writeFileAtomically(out, *pdf) : std::unexpected(pdf.error());
        }
        if (!written) {
            return failure(kName, written.error().message);
        }
        std::cout << "wrote " << escapeInvalidUtf8(out.string()) << " (" << items->size()
                  << " images)\n";
    }
    return kExitOk;
}

} // namespace

Command contactSheetCommand() {
    return {kName, "contactsheet --out FILE.png|FILE.pdf [--out ...] [OPTIONS] IMAGE|DIR...",
            "Lays images out in a grid, each with its file name and pixel size under it, as a\n"
            "PNG (one sheet) or an A4 PDF (as many pages as needed, pictures embedded as JPEG).\n"
            "Give --out twice for both. Folders stand for the images directly inside them.",
            [](ArgParser& p) {
                p.addOption("out", true, "FILE", ".png or .pdf; repeatable");
                p.addOption("title", true, "TEXT", "printed above the grid");
                p.addOption("columns", true, "N", "1 to 12 (default 4)");
                p.addOption("cell", true, "PX", "PNG picture size, 64 to 1024 (default 320)");
            },
            runContactSheet};
}

} // namespace ripen::cli

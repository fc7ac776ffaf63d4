#include "BatchCommandSupport.h"
#include "Command.h"
#include "batch/ImageFiles.h"
#include "batch/MockupRenderer.h"
#include "common/FileIo.h"
#include "common/TextEncoding.h"
#include "imaging/ImageEncoder.h"

#include <iostream>

namespace ripen::cli {
namespace {

constexpr const char* kName = "mockup";

int listTemplates() {
    for (const auto& name : shippedMockupTemplates()) {
        auto mockup = findMockupTemplate(name);
        std::cout << name << "  " << (mockup ? mockup->title : "(" + mockup.error().message + ")")
                  << "\n";
    }
    return kExitOk;
}

int runMockup(const CommandContext&, const ArgParser& args) {
    if (args.has("list")) {
        return listTemplates();
    }
    if (!args.has("design") || !args.has("template") || !args.has("out")) {
        return usageError(kName, "--design FILE, --template NAME|FILE and --out FILE are required");
    }
    const std::filesystem::path out = *args.value("out");
    const std::string extension = out.extension().string();
    if (extension != ".png" && extension != ".jpg" && extension != ".jpeg") {
        return usageError(kName, "--out must end in .png, .jpg or .jpeg");
    }
    MockupOptions options;
    const std::string fit = args.value("fit").value_or("cover");
    if (fit != "cover" && fit != "stretch") {
        return usageError(kName, "--fit is cover or stretch, not '" + fit + "'");
    }
    options.fit = fit == "cover" ? MockupOptions::Fit::Cover : MockupOptions::Fit::Stretch;
    auto mockup = findMockupTemplate(*args.value("template"));
    if (!mockup) {
        return failure(kName, mockup.error().message);
    }
    auto design = readImageFile(*args.value("design"));
    if (!design) {
        return failure(kName, design.error().message);
    }
    auto rendered = renderMockup(*design, *mockup, options);
    if (!rendered) {
        return failure(kName, rendered.error().message);
    }
    auto bytes = encodeImage(*rendered, EncodeOptions{extension == ".png" ? "png" : "jpeg", 92, 0});
    if (!bytes) {
        return failure(kName, bytes.error().message);
    }
    if (auto written = writeFileAtomically(out, *bytes); !written) {
        return failure(kName, written.error().message);
    }
    std::cout << "wrote " << escapeInvalidUtf8(out.string()) << " (" << mockup->name << ", "
              << rendered->cols << "x" << rendered->rows << ")\n";
    return kExitOk;
}

} // namespace

Command mockupCommand() {
    return {kName,
            "mockup --design FILE --template NAME|FILE.json --out FILE [--fit cover|stretch]",
            "Places a design on a mockup template: a perspective warp of the design onto the\n"
            "template's quad, multiplied with the surface's shading (folds, frame shadow, the\n"
            "light on a mug), displaced by it where the template asks, and wrapped round a\n"
            "cylinder for mugs. Outside the quad the template is unchanged; transparent parts of\n"
            "the design show the surface. --fit cover (default) crops the design's centre to the\n"
            "quad's proportions, stretch maps all of it. Shipped templates (mockup --list):\n"
            "poster-wall, framed-print, tshirt, mug; or a template JSON of your own\n"
            "(format in resources/mockups/LICENSE). Writes PNG or JPEG by --out's extension.",
            [](ArgParser& p) {
                p.addOption("design", true, "FILE", "the design or artwork");
                p.addOption("template", true, "NAME|FILE", "a shipped template or a .json file");
                p.addOption("out", true, "FILE", ".png or .jpg");
                p.addOption("fit", true, "HOW", "cover (default) or stretch");
                p.addOption("list", false, "", "list the shipped templates and exit");
            },
            runMockup};
}

} // namespace ripen::cli

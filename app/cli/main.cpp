// ripen-cli: the headless face of Ripen. Global options, then one command.
#include "Command.h"
#include "catalog/Library.h"
#include "common/ResourceLocator.h"

#include <cstdio>
#include <iostream>
#include <ripen/BuildInfo.h>
#include <string>
#include <vector>

namespace {

using namespace ripen::cli;

std::vector<Command> allCommands() {
    return {importCommand(), listCommand(), exportCommand(), generateCommand(), queueCommand(),
            creditsCommand(), budgetCommand(), inpaintCommand(), videoCommand(), infoCommand(),
            catalogCommand(), reviewCommand(),
            // Batch imaging: cut-outs, ad variants, mockups, print checks, deliveries.
            cutoutCommand(), adVariantsCommand(), mockupCommand(), printCheckCommand(),
            contactSheetCommand(), bundleCommand(), upscaleCommand(), runCommand(), expandCommand(),
            modelsCommand(), manifestCommand(),
            collectionCommand()};
}

void printUsage(std::ostream& out) {
    out << "Usage: ripen-cli [--library DIR] COMMAND [OPTIONS] [ARGS]\n\n"
           "Ripen's asset library, job queue and credit ledger from the command line.\n\n"
           "Global options:\n"
           "  --library DIR   the library folder (default: "
        << ripen::Library::defaultLocation().string()
        << ");\n                  created when missing\n"
           "  --help          this help; COMMAND --help explains one command\n"
           "  --version       print the version\n\nCommands:\n";
    for (const auto& command : allCommands()) {
        out << "  " << command.synopsis << "\n";
    }
    out << "\nExit status: 0 success, 1 failure, 2 bad command line, 3 some inputs skipped\n"
           "or some jobs failed (import, queue run).\n";
}

void printCommandHelp(const Command& command) {
    ArgParser parser;
    command.declareOptions(parser);
    std::cout << "Usage: ripen-cli [--library DIR] " << command.synopsis << "\n\n"
              << command.description << "\n\nOptions:\n"
              << parser.optionHelp();
}

int runCommand(const Command& command, const CommandContext& context) {
    ArgParser parser;
    parser.addOption("help", false, "", "show this help");
    command.declareOptions(parser);
    if (auto error = parser.parse(context.args)) {
        std::cerr << "ripen-cli " << command.name << ": " << *error << "\n"
                  << "Try 'ripen-cli " << command.name << " --help'.\n";
        return kExitUsage;
    }
    if (parser.has("help")) {
        printCommandHelp(command);
        return kExitOk;
    }
    return command.run(context, parser);
}

} // namespace

int main(int argc, char** argv) {
    std::vector<std::string> args(argv + 1, argv + argc);
    CommandContext context{ripen::Library::defaultLocation(), {}};
    std::size_t i = 0;
    for (; i < args.size() && args[i].rfind("--", 0) == 0; ++i) {
        if (args[i] == "--help") {
            printUsage(std::cout);
            return kExitOk;
        }
        if (args[i] == "--version") {
            std::cout << "ripen-cli " << ripen::build::kVersion << " (" << ripen::build::kBuildType
                      << ", commit " << ripen::build::kCommit << ")\n"
                      << "resources: " << ripen::resourcesDir().string() << "\n";
            return kExitOk;
        }
        if (args[i] == "--library" && i + 1 < args.size()) {
            context.library = args[++i];
        } else if (args[i].rfind("--library=", 0) == 0) {
            context.library = args[i].substr(10);
        } else {
            std::cerr << "ripen-cli: unknown or incomplete option " << args[i] << "\n";
            printUsage(std::cerr);
            return kExitUsage;
        }
    }
    if (i == args.size()) {
        printUsage(std::cerr);
        return kExitUsage;
    }
    const std::string name = args[i];
    context.args.assign(args.begin() + static_cast<std::ptrdiff_t>(i) + 1, args.end());
    for (const auto& command : allCommands()) {
        if (command.name == name) {
            return runCommand(command, context);
        }
    }
    std::cerr << "ripen-cli: unknown command '" << name << "'\n";
    printUsage(std::cerr);
    return kExitUsage;
}

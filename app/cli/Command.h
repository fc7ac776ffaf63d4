#pragma once

#include "ArgParser.h"

#include <filesystem>
#include <functional>
#include <string>
#include <vector>

namespace ripen::cli {

// Exit codes are part of the ripen-cli contract; scripts branch on them.
inline constexpr int kExitOk = 0;
inline constexpr int kExitFailure = 1;  // the command could not do its work
inline constexpr int kExitUsage = 2;    // the command line was wrong
inline constexpr int kExitSkipped = 3;  // done, but some inputs were skipped

struct CommandContext {
    std::filesystem::path library;
    std::vector<std::string> args; // after the command name
};

// One ripen-cli subcommand: its name, its help and how to run it.
struct Command {
    std::string name;
    std::string synopsis;    // "import [OPTIONS] PATH..."
    std::string description; // a paragraph for COMMAND --help
    std::function<void(ArgParser&)> declareOptions;
    std::function<int(const CommandContext&, const ArgParser&)> run;
};

Command importCommand();
Command listCommand();
Command exportCommand();
Command generateCommand();
Command queueCommand();
Command creditsCommand();
Command budgetCommand();
Command infoCommand();
Command catalogCommand();
Command reviewCommand();
Command videoCommand();
Command inpaintCommand();
Command cutoutCommand();
Command adVariantsCommand();
Command mockupCommand();
Command printCheckCommand();
Command contactSheetCommand();
Command bundleCommand();
Command upscaleCommand();
Command runCommand();
Command expandCommand();
Command modelsCommand();
Command manifestCommand();
Command collectionCommand();

} // namespace ripen::cli

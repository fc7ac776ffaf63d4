#pragma once

#include "ArgParser.h"
#include "Command.h"
#include "catalog/Library.h"
#include "common/Error.h"

#include <filesystem>
#include <memory>
#include <optional>
#include <string>

// The subcommands of `ripen-cli video`, one file each; VideoCommand.cpp dispatches.
namespace ripen::cli::video {

// The clip or still a video subcommand works on: a file, or a library asset. An asset's
// outputs become assets too, children of it.
struct Source {
    std::filesystem::path file;
    std::unique_ptr<Library> library; // open when the source is an asset
    std::optional<Asset> asset;
};

// --asset ID (from the library) or --<fileOption> FILE; exactly one.
Result<Source> resolveSource(const CommandContext& context, const ArgParser& args,
                             const std::string& fileOption);

// What output files are named after: "asset-<id>" for an asset, else the file's stem.
std::string outputBaseName(const Source& source);

// "1920x1080" -> width, height; the error names --size.
Result<std::pair<int, int>> parseSize(const std::string& text);
// "16:9" -> 16.0 / 9; the error names --aspect.
Result<double> parseAspect(const std::string& text);
// A number of seconds; the error names `option`.
Result<double> parseSeconds(const std::string& text, const std::string& option);

// Prints "asset <id> <file>" after adding `file` as a child of the source; false on error
// (reported).
bool addOutputAsset(Source& source, const std::filesystem::path& file, const std::string& operation,
                    Stage stage, const nlohmann::json& params);

int runMove(const CommandContext& context, const ArgParser& args);
int runImageToVideo(const CommandContext& context, const ArgParser& args);
int runCut(const CommandContext& context, const ArgParser& args);
int runFrames(const CommandContext& context, const ArgParser& args);
int runCheck(const CommandContext& context, const ArgParser& args);

// Prints `message` as "ripen-cli video <sub>: message" and returns `code`.
int report(const std::string& sub, const std::string& message, int code);

} // namespace ripen::cli::video

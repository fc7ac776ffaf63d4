#include "VideoCommands.h"

#include <vector>

namespace ripen::cli::video {
namespace {

struct Engine {
    const char* name;     // as the video command takes it
    const char* provider; // the registry's provider id
    const char* model;    // the default model
};

// The names users know the engines by; the queue knows Veo as Google's provider.
constexpr Engine kEngines[] = {
    {"veo", "google", "veo-3.1-fast-generate-preview"},
    {"kling", "kling", "kling-v2-1"},
};

} // namespace

// An image-to-video job is an ordinary generation job: the generate command already
// validates it against the model catalog, estimates and reserves its cost, brings the
// keyframe into the library (so the clip's lineage names it) and runs the queue on --wait.
int runImageToVideo(const CommandContext& context, const ArgParser& args) {
    const std::string engineName = args.value("provider").value_or("");
    const Engine* engine = nullptr;
    for (const Engine& candidate : kEngines) {
        if (engineName == candidate.name) {
            engine = &candidate;
        }
    }
    if (engine == nullptr) {
        return report("i2v", "--provider must be veo or kling", kExitUsage);
    }
    const auto prompt = args.value("prompt");
    const auto duration = args.value("duration");
    if (!prompt || !duration) {
        return report("i2v", "--prompt and --duration are required", kExitUsage);
    }
    auto source = resolveSource(context, args, "image");
    if (!source) {
        return report("i2v", source.error().message,
                      source.error().code == ErrorCode::InvalidArgument ? kExitUsage
                                                                        : kExitFailure);
    }
    std::vector<std::string> generateArgs = {
        "--provider",  engine->provider,
        "--model",     args.value("model").value_or(engine->model),
        "--kind",      "image-to-video",
        "--prompt",    *prompt,
        "--duration",  *duration,
        "--reference", source->file.string(),
        "--stage",     "clip"};
    if (source->asset && !source->asset->project.empty() && !args.has("project")) {
        generateArgs.insert(generateArgs.end(), {"--project", source->asset->project});
    }
    for (const char* option : {"aspect", "project"}) {
        if (auto value = args.value(option)) {
            generateArgs.insert(generateArgs.end(), {std::string("--") + option, *value});
        }
    }
    if (args.has("wait")) {
        generateArgs.emplace_back("--wait");
    }
    source->library.reset(); // the generate command opens the library itself
    const Command generate = generateCommand();
    ArgParser parser;
    generate.declareOptions(parser);
    if (auto error = parser.parse(generateArgs)) {
        return report("i2v", *error, kExitUsage);
    }
    return generate.run(CommandContext{context.library, generateArgs}, parser);
}

} // namespace ripen::cli::video

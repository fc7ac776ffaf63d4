#include "CliServices.h"
#include "Command.h"
#include "JobInputs.h"
#include "Today.h"
#include "imaging/upscale/ModelRegistry.h"
#include "imaging/upscale/UpscaleTarget.h"
#include "jobs/JobStore.h"
#include "jobs/UpscaleJob.h"

#include <iostream>

namespace ripen::cli {
namespace {

constexpr int kMinTile = 64;
constexpr int kMaxTile = 4096;

int usage(const std::string& message) {
    std::cerr << "ripen-cli upscale: " << message << "\n";
    return kExitUsage;
}

int failure(const std::string& message) {
    std::cerr << "ripen-cli upscale: " << message << "\n";
    return kExitFailure;
}

// --scale, --target or --print (exactly one) as a target.
Result<UpscaleTarget> targetOf(const ArgParser& args) {
    const int given = args.has("scale") + args.has("target") + args.has("print");
    if (given != 1) {
        return fail(ErrorCode::InvalidArgument,
                    "give the size as one of --scale 2|3|4|8, --target 2K|4K|8K or "
                    "--print WxHin@DPI");
    }
    if (auto scale = args.value("scale")) {
        return UpscaleTarget::scale(*scale);
    }
    if (auto target = args.value("target")) {
        return UpscaleTarget::longSide(*target);
    }
    return UpscaleTarget::print(*args.value("print"));
}

Result<int> tileOf(const ArgParser& args) {
    const auto text = args.value("tile");
    if (!text) {
        return 0;
    }
    int tile = 0;
    try {
        tile = std::stoi(*text);
    } catch (const std::exception&) {
        tile = 0;
    }
    if (tile < kMinTile || tile > kMaxTile) {
        return fail(ErrorCode::InvalidArgument, "--tile takes a size in pixels between " +
                                                    std::to_string(kMinTile) + " and " +
                                                    std::to_string(kMaxTile));
    }
    return tile;
}

std::string passesText(const GenerationRequest& request) {
    std::string text;
    for (const int pass : upscalePassesOf(request)) {
        text += " x" + std::to_string(pass);
    }
    return text.empty() ? "" : ", passes" + text;
}

// Without --engine: the default neural engine when installed, else lanczos, said on stderr.
std::string defaultEngine(const std::vector<UpscaleModelInfo>& neuralModels) {
    std::string engine = defaultUpscaleEngine(neuralModels);
    if (engine == kDefaultNeuralEngine) {
        std::cerr << "ripen-cli upscale: no --engine given, using " << engine << "\n";
    } else {
        std::cerr << "ripen-cli upscale: no --engine given and " << kDefaultNeuralEngine
                  << " is not installed (scripts/setup.sh fetches it), using " << engine << "\n";
    }
    return engine;
}

int runUpscale(const CommandContext& context, const ArgParser& args) {
    if (args.has("asset") == args.has("image")) {
        return usage("give the image as --asset ID or as --image FILE (one of them)");
    }
    auto target = targetOf(args);
    if (!target) {
        return usage(target.error().message);
    }
    auto tile = tileOf(args);
    if (!tile) {
        return usage(tile.error().message);
    }
    auto services = CliServices::open(context.library);
    if (!services) {
        return kExitFailure;
    }
    const auto neuralModels = ModelRegistry(ModelRegistry::defaultFolders(context.library)).list();
    const auto named = args.value("engine");
    const std::string engineName = named ? *named : defaultEngine(neuralModels);
    auto engine =
        resolveUpscaleEngine(engineName, services->models, services->registry, neuralModels);
    if (!engine) {
        return usage(engine.error().message);
    }
    if (args.has("out") && !engine->local && !args.has("wait")) {
        return usage("--out with a provider engine needs --wait (the result comes later)");
    }
    if (!engine->local) {
        const Provider* provider = services->registry.find(engine->provider);
        if (const auto missing = provider->missingConfiguration(services->credentials);
            !missing.empty()) {
            return failure(provider->displayName() + " is not configured: " + missing);
        }
    }
    auto image = imageToEdit(args, *services->library);
    if (!image) {
        return failure(image.error().message);
    }
    // The target is checked against the image before anything is queued or paid for.
    auto request = upscaleRequest(*engine, services->library->blobFile(*image),
                                  {image->width, image->height}, *target, *tile);
    if (!request) {
        return failure(request.error().message);
    }
    if (args.has("no-back-projection")) {
        request->options["back_projection"] = false;
    }
    if (auto valid = services->models.validate(*request, todayUtc()); !valid) {
        return usage(valid.error().message);
    }
    auto estimate = services->priceBook.estimate(*request);
    if (!estimate) {
        return failure(estimate.error().message);
    }
    EnqueueOptions options;
    options.stage = Stage::Upscaled;
    auto ids = JobStore(*services->library).enqueue(*request, options, *estimate);
    if (!ids) {
        return failure(ids.error().message);
    }
    const JobId job = ids->front();
    const auto size = *upscaleTargetOf(*request);
    std::cout << "upscale image " << image->id << " " << image->width << "x" << image->height
              << " to " << size.width << "x" << size.height << " (" << target->text() << ") with "
              << engine->name << passesText(*request) << "\n"
              << "queued " << job << " estimate " << formatMicros(estimate->amount) << " "
              << estimate->unit << "\n";
    std::cout.flush();
    if (!engine->local && !args.has("wait")) {
        return kExitOk;
    }
    return runJobAndWrite(*services, job, args.value("out"), "upscale", engine->name);
}

} // namespace

Command upscaleCommand() {
    return {"upscale",
            "upscale (--asset ID | --image FILE) (--scale N | --target 2K|4K|8K | --print "
            "WxHin@DPI) [--engine ENGINE] [OPTIONS]",
            "Enlarges an image through the job queue; the result is a new asset (stage\n"
            "upscaled), child of the image, at exactly the size asked for: a factor (2, 3, 4,\n"
            "8), a long side (2K = 2048, 4K = 3840, 8K = 7680 px) or a print covered whole at\n"
            "its DPI (18x24in@300 = 5400x7200, turned like the image). A target past Ripen's\n"
            "image limit is refused before anything is queued.\n"
            "Engines: without --engine, esrgan-legacy-gans-x4 (a GAN model that draws\n"
            "texture: see docs/benchmarks.md) when it is installed, else lanczos (said on\n"
            "stderr); lanczos (Lanczos with edge-aware detail, on this machine, free; it\n"
            "chains x2/x3/x4/x8 passes and resizes exactly to the target), a local model by\n"
            "name, or PROVIDER[:MODEL]: stability[:fast|conservative|creative],\n"
            "automatic1111[:UPSCALER], comfyui[:TEMPLATE], google[:MODEL] (a Nano Banana Pro\n"
            "re-render at 4K from the image). A provider gets one request; the exact resize\n"
            "does the rest. Local engines run at once; provider jobs are queued, and --wait\n"
            "runs the queue until they finish. `ripen-cli queue cancel ID` cancels. Prints\n"
            "  upscale image <asset-id> WxH to WxH (<target>) with <engine>[, passes x4 x2]\n"
            "  queued <job-id> estimate <amount> <unit>\n"
            "  done <job-id> <asset-id>   or   failed <job-id>: <reason>\n"
            "and, while the job runs, on stderr (one rewritten line on a terminal, a line per\n"
            "percent otherwise)\n"
            "  progress <job-id> <percent>% <engine> pass 1/2 x4: tile 3/24 (<elapsed>)\n"
            "A local model's every pass ends with a back-projection: the result's low band\n"
            "(what an area downscale by the pass's factor keeps) is brought back to the\n"
            "pass's input, which removes the colour casts and drift GAN models leave and\n"
            "keeps the detail the model drew; --no-back-projection gives the model's raw\n"
            "output.",
            [](ArgParser& p) {
                p.addOption("asset", true, "ID", "the image asset to upscale");
                p.addOption("image", true, "FILE", "an image file (imported into the library)");
                p.addOption("scale", true, "N", "2, 3, 4 or 8");
                p.addOption("target", true, "SIZE", "2K, 4K or 8K (long side)");
                p.addOption("print", true, "WxHin@DPI", "a print size at a DPI, e.g. 18x24in@300");
                p.addOption("engine", true, "ENGINE",
                            "lanczos, MODEL-NAME or PROVIDER[:MODEL] (default: see above)");
                p.addOption("tile", true, "PX", "tile size for neural engines (64-4096)");
                p.addOption("no-back-projection", false, "",
                            "local models: keep the model's raw colours and low band");
                p.addOption("out", true, "FILE", "also write the result to FILE");
                p.addOption("wait", false, "", "run the queue until the job finishes");
            },
            runUpscale};
}

} // namespace ripen::cli

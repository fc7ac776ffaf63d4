#include "CliServices.h"
#include "Command.h"
#include "InputAssets.h"
#include "JobInputs.h"
#include "Today.h"
#include "catalog/MaskAsset.h"
#include "common/FileIo.h"
#include "imaging/ImageLimits.h"
#include "imaging/inpaint/InpaintSettings.h"
#include "jobs/InpaintJob.h"
#include "jobs/JobStore.h"

#include <iostream>

namespace ripen::cli {
namespace {

struct Usage {
    std::string message;
};

// --engine local-telea|local-ns|local-fsr|PROVIDER[:MODEL] into the request.
std::optional<Usage> chooseEngine(const std::string& engine, const CliServices& services,
                                  GenerationRequest& request) {
    static const std::pair<const char*, const char*> kLocal[] = {
        {"local-telea", "telea"}, {"local-ns", "navier-stokes"}, {"local-fsr", "fsr-fast"}};
    for (const auto& [name, model] : kLocal) {
        if (engine == name) {
            request.provider = "local";
            request.model = model;
            request.kind = JobKind::Erase;
            return std::nullopt;
        }
    }
    const auto colon = engine.find(':');
    request.provider = engine.substr(0, colon);
    request.model = colon == std::string::npos ? "" : engine.substr(colon + 1);
    const Provider* provider = services.registry.find(request.provider);
    if (provider == nullptr || request.provider == "local") {
        return Usage{"unknown --engine '" + engine +
                     "' (local-telea, local-ns, local-fsr or PROVIDER[:MODEL])"};
    }
    request.kind = request.prompt.empty() && provider->supports(JobKind::Erase) ? JobKind::Erase
                                                                                : JobKind::Inpaint;
    if (request.kind == JobKind::Inpaint && request.prompt.empty()) {
        return Usage{provider->displayName() + " inpaints from a --prompt saying what to paint"};
    }
    if (!request.model.empty()) {
        return std::nullopt;
    }
    const std::string today = todayUtc();
    for (const ModelInfo* model : services.models.modelsOf(request.provider)) {
        const bool current = model->retired.empty() || model->retired > today;
        if (current && std::ranges::find(model->kinds, request.kind) != model->kinds.end()) {
            request.model = model->id;
            return std::nullopt;
        }
    }
    return Usage{"no model of " + request.provider + " does " +
                 std::string(toString(request.kind)) + "; name one as " + request.provider +
                 ":MODEL"};
}

// Reads --feather, --padding and the flags; nullopt-free errors name the option.
std::optional<Usage> readSettings(const ArgParser& args, bool local, InpaintSettings& settings) {
    try {
        settings.featherPixels = std::stoi(args.value("feather").value_or("0"));
        settings.paddingPixels = std::stoi(args.value("padding").value_or("32"));
    } catch (const std::exception&) {
        return Usage{"--feather and --padding take whole numbers of pixels"};
    }
    for (const int pixels : {settings.featherPixels, settings.paddingPixels}) {
        if (pixels < 0 || pixels > InpaintSettings::kMaxPixels) {
            return Usage{"--feather and --padding must be between 0 and " +
                         std::to_string(InpaintSettings::kMaxPixels) + " pixels"};
        }
    }
    if (args.has("padding") && !args.has("only-masked")) {
        return Usage{"--padding needs --only-masked"};
    }
    settings.onlyMasked = args.has("only-masked");
    settings.matchColour = args.has("match-colour");
    settings.fitToEngine(local);
    return std::nullopt;
}

int usage(const std::string& message) {
    std::cerr << "ripen-cli inpaint: " << message << "\n";
    return kExitUsage;
}

int failure(const std::string& message) {
    std::cerr << "ripen-cli inpaint: " << message << "\n";
    return kExitFailure;
}

int runInpaint(const CommandContext& context, const ArgParser& args) {
    if (args.has("asset") == args.has("image")) {
        return usage("give the image as --asset ID or as --image FILE (one of them)");
    }
    if (!args.has("mask") || !args.has("engine")) {
        return usage("--mask and --engine are required");
    }
    auto services = CliServices::open(context.library);
    if (!services) {
        return kExitFailure;
    }
    GenerationRequest request;
    request.prompt = args.value("prompt").value_or("");
    if (auto wrong = chooseEngine(*args.value("engine"), *services, request)) {
        return usage(wrong->message);
    }
    const bool local = request.provider == "local";
    InpaintSettings settings;
    if (auto wrong = readSettings(args, local, settings)) {
        return usage(wrong->message);
    }
    if (args.has("out") && !local && !args.has("wait")) {
        return usage("--out with a provider engine needs --wait (the result comes later)");
    }
    settings.writeTo(request.options);
    if (!local) {
        const Provider* provider = services->registry.find(request.provider);
        if (const auto missing = provider->missingConfiguration(services->credentials);
            !missing.empty()) {
            return failure(provider->displayName() + " is not configured: " + missing);
        }
    }
    auto image = imageToEdit(args, *services->library);
    if (!image) {
        return failure(image.error().message);
    }
    request.images = {services->library->blobFile(*image)};
    const std::filesystem::path maskFile = *args.value("mask");
    request.mask = maskFile;
    if (auto checked = checkMaskedEdit(request); !checked) {
        return failure(checked.error().message);
    }
    // A refused model or an unpriced request leaves nothing behind: the mask is stored last.
    if (auto valid = services->models.validate(request, todayUtc()); !valid) {
        return usage(valid.error().message);
    }
    auto estimate = services->priceBook.estimate(request);
    if (!estimate) {
        return failure(estimate.error().message);
    }
    auto mask = storeMaskFor(*services->library, image->id, maskFile);
    if (!mask) {
        return failure(mask.error().message);
    }
    request.mask = services->library->blobFile(*mask);
    EnqueueOptions options;
    options.stage = Stage::Inpainted;
    auto ids = JobStore(*services->library).enqueue(request, options, *estimate);
    if (!ids) {
        return failure(ids.error().message);
    }
    const JobId job = ids->front();
    std::cout << "mask " << mask->id << " of image " << image->id << "\n"
              << "queued " << job << " estimate " << formatMicros(estimate->amount) << " "
              << estimate->unit << "\n";
    std::cout.flush();
    if (!local && !args.has("wait")) {
        return kExitOk;
    }
    return runJobAndWrite(*services, job, args.value("out"), "inpaint");
}

} // namespace

Command inpaintCommand() {
    return {"inpaint", "inpaint (--asset ID | --image FILE) --mask FILE --engine ENGINE [OPTIONS]",
            "Repaints the masked region of an image and keeps everything else: the result is\n"
            "pasted back through the mask (and its feather), so pixels outside them are the\n"
            "original's, bit for bit, whatever the engine returned. The mask is a grey or\n"
            "alpha PNG of the image's size, white (or opaque) = change; it is kept as a mask\n"
            "asset of the image. Each result is a new asset (stage inpainted), child of the\n"
            "image; the original is never modified.\n"
            "Engines: local-telea, local-ns (Navier-Stokes) and local-fsr (xphoto FSR) remove\n"
            "objects on this machine, free, at once; PROVIDER[:MODEL] (openai, stability,\n"
            "comfyui, automatic1111, google) queues a paid job whose estimate is printed\n"
            "first; --wait runs the queue until it finishes. google[:MODEL] (Nano Banana\n"
            "models) is an instruction edit: the prompt says what to change in the region.\n"
            "Prints\n"
            "  mask <mask-asset-id> of image <asset-id>\n"
            "  queued <job-id> estimate <amount> <unit>\n"
            "  done <job-id> <asset-id>   or   failed <job-id>: <reason>",
            [](ArgParser& p) {
                p.addOption("asset", true, "ID", "the image asset to edit");
                p.addOption("image", true, "FILE", "an image file (imported into the library)");
                p.addOption("mask", true, "FILE", "grey or alpha PNG, white/opaque = change");
                p.addOption("engine", true, "ENGINE",
                            "local-telea, local-ns, local-fsr or PROVIDER[:MODEL]");
                p.addOption("prompt", true, "TEXT", "what to paint in the region (providers)");
                p.addOption("feather", true, "PX", "soft edge outside the mask (default 0)");
                p.addOption("only-masked", false, "",
                            "work on a box around the mask at the engine's size");
                p.addOption("padding", true, "PX", "context around the mask (default 32)");
                p.addOption("match-colour", false, "", "Poisson colour match at the seam");
                p.addOption("out", true, "FILE", "also write the result to FILE");
                p.addOption("wait", false, "", "run the queue until the job finishes");
            },
            runInpaint};
}

} // namespace ripen::cli

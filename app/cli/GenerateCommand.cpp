#include "CliServices.h"
#include "Command.h"
#include "InputAssets.h"
#include "QueueReporter.h"
#include "Today.h"

#include "jobs/JobStore.h"

#include <iostream>

namespace ripen::cli {
namespace {

// Reads the command line into a request; the error says which option is wrong.
std::optional<std::string> buildRequest(const ArgParser& args, GenerationRequest& r) {
    r.provider = args.value("provider").value_or("");
    r.model = args.value("model").value_or("");
    r.prompt = args.value("prompt").value_or("");
    r.negativePrompt = args.value("negative").value_or("");
    r.aspectRatio = args.value("aspect").value_or("");
    r.imageSize = args.value("size").value_or("");
    r.upscaleMode = args.value("upscale-mode").value_or("");
    if (r.provider.empty() || r.model.empty()) {
        return "--provider and --model are required";
    }
    try {
        if (auto seed = args.value("seed")) {
            r.seed = std::stoll(*seed);
        }
        if (auto duration = args.value("duration")) {
            r.durationSeconds = std::stoi(*duration);
        }
        if (auto factor = args.value("upscale-factor")) {
            r.upscaleFactor = std::stoi(*factor);
        }
    } catch (const std::exception&) {
        return "--seed, --duration and --upscale-factor take whole numbers";
    }
    for (const auto& option : args.values("option")) {
        const auto eq = option.find('=');
        if (eq == std::string::npos || eq == 0) {
            return "--option takes KEY=VALUE, not '" + option + "'";
        }
        const std::string value = option.substr(eq + 1);
        auto parsed = nlohmann::json::parse(value, nullptr, false);
        r.options[option.substr(0, eq)] =
            parsed.is_discarded() || parsed.is_object() || parsed.is_array() ? nlohmann::json(value)
                                                                             : parsed;
    }
    const bool hasInputs = !args.values("reference").empty();
    const auto kind = args.value("kind");
    if (kind) {
        auto parsed = jobKindFromString(*kind);
        if (!parsed) {
            return "unknown --kind '" + *kind + "'";
        }
        r.kind = *parsed;
    } else {
        r.kind = args.has("mask") ? JobKind::Inpaint
                 : hasInputs      ? JobKind::EditImage
                                  : JobKind::TextToImage;
    }
    if (r.prompt.empty() && r.kind == JobKind::TextToImage) {
        return "--prompt is required for text-to-image";
    }
    return std::nullopt;
}

Status attachInputs(const ArgParser& args, Library& library, GenerationRequest& r) {
    for (const auto& reference : args.values("reference")) {
        auto copy = libraryCopyOf(library, reference, AssetKind::Image);
        if (!copy) {
            return std::unexpected(copy.error());
        }
        r.images.push_back(*copy);
    }
    if (auto mask = args.value("mask")) {
        auto copy = libraryCopyOf(library, *mask, AssetKind::Mask);
        if (!copy) {
            return std::unexpected(copy.error());
        }
        r.mask = *copy;
    }
    return {};
}

int runGenerate(const CommandContext& context, const ArgParser& args) {
    GenerationRequest request;
    if (auto error = buildRequest(args, request)) {
        std::cerr << "ripen-cli generate: " << *error << "\n";
        return kExitUsage;
    }
    EnqueueOptions options;
    options.project = args.value("project").value_or("");
    options.client = args.value("client").value_or("");
    try {
        options.count = std::stoi(args.value("count").value_or("1"));
        options.priority = std::stoi(args.value("priority").value_or("0"));
    } catch (const std::exception&) {
        std::cerr << "ripen-cli generate: --count and --priority take whole numbers\n";
        return kExitUsage;
    }
    if (options.count < 1 || options.count > 1000) {
        std::cerr << "ripen-cli generate: --count must be between 1 and 1000\n";
        return kExitUsage;
    }
    if (auto stage = args.value("stage")) {
        auto parsed = stageFromString(*stage);
        if (!parsed) {
            std::cerr << "ripen-cli generate: unknown stage '" << *stage << "'\n";
            return kExitUsage;
        }
        options.stage = *parsed;
    }
    auto services = CliServices::open(context.library);
    if (!services) {
        return kExitFailure;
    }
    const Provider* provider = services->registry.find(request.provider);
    if (provider == nullptr) {
        std::cerr << "ripen-cli generate: unknown provider '" << request.provider << "'\n";
        return kExitUsage;
    }
    if (const auto missing = provider->missingConfiguration(services->credentials); !missing.empty()) {
        std::cerr << "ripen-cli generate: " << provider->displayName()
                  << " is not configured: " << missing << "\n";
        return kExitFailure;
    }
    if (auto inputs = attachInputs(args, *services->library, request); !inputs) {
        std::cerr << "ripen-cli generate: " << inputs.error().message << "\n";
        return kExitFailure;
    }
    if (auto valid = services->models.validate(request, todayUtc()); !valid) {
        std::cerr << "ripen-cli generate: " << valid.error().message << "\n";
        return kExitUsage;
    }
    auto estimate = services->priceBook.estimate(request);
    if (!estimate) {
        std::cerr << "ripen-cli generate: " << estimate.error().message << "\n";
        return kExitFailure;
    }
    JobStore store(*services->library);
    auto ids = store.enqueue(request, options, *estimate);
    if (!ids) {
        std::cerr << "ripen-cli generate: " << ids.error().message << "\n";
        return kExitFailure;
    }
    for (const JobId id : *ids) {
        std::cout << "queued " << id << " estimate " << formatMicros(estimate->amount) << " "
                  << estimate->unit << "\n";
    }
    std::cout.flush();
    if (!args.has("wait")) {
        return kExitOk;
    }
    auto summary = runQueueAndReport(*services, std::set<JobId>(ids->begin(), ids->end()));
    if (!summary) {
        std::cerr << "ripen-cli generate: " << summary.error().message << "\n";
        return kExitFailure;
    }
    return summary->succeeded == options.count ? kExitOk : kExitFailure;
}

} // namespace

Command generateCommand() {
    return {"generate",
            "generate --provider P --model M --prompt TEXT [OPTIONS]",
            "Queues generation jobs. Each job is estimated from the price book and reserved\n"
            "against the project's and client's budgets before it is queued; a job that would\n"
            "pass a hard cap is refused. Prints one line per job:\n"
            "  queued <job-id> estimate <amount> <unit>\n"
            "With --wait the queue runs until these jobs finish, printing\n"
            "  done <job-id> <asset-id>   or   failed <job-id>: <reason>\n"
            "and the exit status is 0 only if all succeeded. Keys come from the environment:\n"
            "GEMINI_API_KEY, OPENAI_API_KEY, STABILITY_API_KEY, KLING_ACCESS_KEY and\n"
            "KLING_SECRET_KEY; base URLs from RIPEN_<PROVIDER>_BASE_URL.",
            [](ArgParser& p) {
                p.addOption("provider", true, "P", "google, openai, stability, kling, comfyui, automatic1111");
                p.addOption("model", true, "M", "a model id from resources/models.json");
                p.addOption("prompt", true, "TEXT", "what to make");
                p.addOption("negative", true, "TEXT", "what to avoid");
                p.addOption("aspect", true, "W:H", "aspect ratio, e.g. 16:9");
                p.addOption("size", true, "SIZE", "1K, 2K or 4K (Gemini); 1024x1536 (OpenAI)");
                p.addOption("count", true, "N", "how many jobs (default 1)");
                p.addOption("reference", true, "FILE", "a reference or input image (repeatable)");
                p.addOption("mask", true, "FILE", "inpaint mask, white = change");
                p.addOption("kind", true, "KIND",
                            "text-to-image, edit-image, inpaint, erase, upscale, image-to-video");
                p.addOption("duration", true, "SECONDS", "video length");
                p.addOption("upscale-mode", true, "MODE", "fast, conservative or creative (Stability)");
                p.addOption("upscale-factor", true, "N", "2, 3, 4 or 8 (local, A1111)");
                p.addOption("seed", true, "N", "seed, where the provider takes one");
                p.addOption("option", true, "KEY=VALUE", "a provider-specific setting (repeatable)");
                p.addOption("project", true, "NAME", "charge to this project");
                p.addOption("client", true, "NAME", "charge to this client");
                p.addOption("stage", true, "STAGE", "concept (default), master, ...");
                p.addOption("priority", true, "N", "higher runs first (default 0)");
                p.addOption("wait", false, "", "run the queue until these jobs finish");
            },
            runGenerate};
}

} // namespace ripen::cli

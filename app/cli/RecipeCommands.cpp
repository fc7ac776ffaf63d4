// ripen-cli run and expand: recipes planned, checked against budgets and queued as one batch.
#include "CliServices.h"
#include "Command.h"
#include "QueueReporter.h"
#include "Today.h"
#include "common/TextEncoding.h"
#include "recipes/RecipePlan.h"
#include "recipes/RecipeRunner.h"

#include <iostream>

namespace ripen::cli {
namespace {

struct PlanRequest {
    std::string commandName;
    const Recipe* recipe = nullptr;
    RecipeStage stage = RecipeStage::Concept;
    RunSettings settings;
};

void printPlan(const RecipePlan& plan) {
    for (const auto& job : plan.jobs) {
        const GenerationRequest& r = job.request;
        std::cout << "job " << job.index + 1 << " " << r.provider << "/" << r.model;
        if (!r.aspectRatio.empty()) {
            std::cout << " aspect " << r.aspectRatio;
        }
        if (!r.imageSize.empty()) {
            std::cout << " size " << r.imageSize;
        }
        if (r.seed) {
            std::cout << " seed " << *r.seed;
        }
        std::cout << " estimate " << formatMicros(job.estimate.amount) << " " << job.estimate.unit
                  << ": " << r.prompt << "\n";
    }
    for (const auto& post : plan.post) {
        std::cout << "post " << post.step << ": " << post.jobs << " job(s), estimate "
                  << formatMicros(post.usd) << " USD\n";
    }
    std::cout << "total: " << plan.jobs.size() << " job(s), estimate "
              << formatMicros(plan.totalUsd) << " USD";
    for (const auto& [unit, amount] : plan.byUnit) {
        if (unit != "USD") {
            std::cout << " (" << formatMicros(amount) << " " << unit << ")";
        }
    }
    std::cout << "\ntime: about " << (plan.estimatedSeconds + 59) / 60 << " min (" << plan.timeBasis
              << ")\n"
              << "budget: " << plan.budget.message << "\n";
}

// Waits for jobs by running the queue in this process, printing done/failed lines.
RecipeRunner::JobWaiter queueWaiter(CliServices& services, RunSummary& total) {
    return [&services, &total](const std::vector<JobId>& ids) -> Status {
        auto summary = runQueueAndReport(services, std::set<JobId>(ids.begin(), ids.end()));
        if (!summary) {
            return std::unexpected(summary.error());
        }
        total.succeeded += summary->succeeded;
        total.failed += summary->failed + summary->interrupted + summary->canceled;
        return {};
    };
}

int planAndQueue(CliServices& services, const ArgParser& args, const PlanRequest& request) {
    const std::string& name = request.commandName;
    PlanSettings settings{request.stage, request.settings.project, request.settings.client,
                          &services.models, todayUtc()};
    auto plan = planRecipe(*request.recipe, services.priceBook, services.library.get(), settings);
    if (!plan) {
        std::cerr << "ripen-cli " << name << ": " << plan.error().message << "\n";
        return kExitFailure;
    }
    if (args.has("json")) {
        std::cout << planJson(*plan).dump(2) << "\n";
    } else if (args.has("dry-run") || !plan->budget.allowed) {
        printPlan(*plan);
    }
    if (args.has("dry-run")) {
        return kExitOk;
    }
    const StageModel* model = request.recipe->model(request.stage);
    const Provider* provider = services.registry.find(model->provider);
    if (provider == nullptr) {
        std::cerr << "ripen-cli " << name << ": unknown provider '" << model->provider << "'\n";
        return kExitUsage;
    }
    if (const auto missing = provider->missingConfiguration(services.credentials);
        !missing.empty()) {
        std::cerr << "ripen-cli " << name << ": " << provider->displayName()
                  << " is not configured: " << missing << "\n";
        return kExitFailure;
    }
    if (!plan->budget.allowed) {
        std::cerr << "ripen-cli " << name << ": " << plan->budget.message
                  << ". Nothing was queued; raise the budget with ripen-cli budget set\n";
        return kExitFailure;
    }
    RecipeRunner runner(*services.library, services.priceBook);
    auto run = runner.queue(*request.recipe, *plan, request.settings);
    if (!run) {
        std::cerr << "ripen-cli " << name << ": " << run.error().message << "\n";
        return kExitFailure;
    }
    std::cout << "run " << run->id << "\nmanifest " << escapeInvalidUtf8(run->manifest.native())
              << "\n";
    for (std::size_t i = 0; i < run->jobs.size(); ++i) {
        std::cout << "queued " << run->jobs[i] << " estimate "
                  << formatMicros(plan->jobs[i].estimate.amount) << " "
                  << plan->jobs[i].estimate.unit << "\n";
    }
    std::cout.flush();
    if (!args.has("wait")) {
        return kExitOk;
    }
    RunSummary total;
    const auto wait = queueWaiter(services, total);
    if (auto waited = wait(run->jobs); !waited) {
        std::cerr << "ripen-cli " << name << ": " << waited.error().message << "\n";
        return kExitFailure;
    }
    auto manifest = runner.finish(run->id, wait);
    if (!manifest) {
        std::cerr << "ripen-cli " << name << ": " << manifest.error().message << "\n";
        return kExitFailure;
    }
    std::cout << "finished " << run->id << ": " << total.succeeded << " succeeded, " << total.failed
              << " failed\n";
    if (total.failed == 0) {
        return kExitOk;
    }
    return total.succeeded > 0 ? kExitSkipped : kExitFailure;
}

std::optional<RecipeStage> stageOption(const ArgParser& args, const std::string& name) {
    const auto text = args.value("stage");
    if (!text) {
        return std::nullopt;
    }
    auto stage = recipeStageFromString(*text);
    if (!stage) {
        std::cerr << "ripen-cli " << name << ": --stage is concept or production, not '" << *text
                  << "'\n";
    }
    return stage;
}

int runRecipe(const CommandContext& context, const ArgParser& args) {
    if (args.positionals().size() != 1) {
        std::cerr << "ripen-cli run: name one RECIPE.json\n";
        return kExitUsage;
    }
    const std::filesystem::path file = args.positionals().front();
    auto recipe = loadRecipe(file);
    if (!recipe) {
        std::cerr << recipe.error().message << "\n";
        return recipe.error().code == ErrorCode::InvalidArgument ? kExitUsage : kExitFailure;
    }
    PlanRequest request{"run", &*recipe, recipe->defaultStage(), {}};
    if (args.value("stage")) {
        auto stage = stageOption(args, "run");
        if (!stage) {
            return kExitUsage;
        }
        request.stage = *stage;
    }
    request.settings.project = args.value("project").value_or("");
    request.settings.client = args.value("client").value_or("");
    request.settings.recipeFile = escapeInvalidUtf8(std::filesystem::absolute(file).native());
    auto services = CliServices::open(context.library);
    if (!services) {
        return kExitFailure;
    }
    return planAndQueue(*services, args, request);
}

// "--set colour=red,blue" -> ("colour", {"red", "blue"}).
std::optional<std::pair<std::string, std::vector<std::string>>> parseSet(const std::string& text) {
    const auto eq = text.find('=');
    if (eq == std::string::npos || eq == 0 || eq + 1 == text.size()) {
        return std::nullopt;
    }
    std::vector<std::string> values;
    for (std::size_t pos = eq + 1; pos <= text.size();) {
        const auto comma = std::min(text.find(',', pos), text.size());
        values.push_back(text.substr(pos, comma - pos));
        pos = comma + 1;
    }
    return std::pair{text.substr(0, eq), values};
}

int runExpand(const CommandContext& context, const ArgParser& args) {
    if (args.positionals().size() != 1 || args.values("set").empty()) {
        std::cerr
            << "ripen-cli expand: name one MANIFEST.json and at least one --set VAR=VALUE,...\n";
        return kExitUsage;
    }
    std::vector<std::pair<std::string, std::vector<std::string>>> values;
    for (const auto& set : args.values("set")) {
        auto parsed = parseSet(set);
        if (!parsed) {
            std::cerr << "ripen-cli expand: --set takes VAR=VALUE[,VALUE...], not '" << set
                      << "'\n";
            return kExitUsage;
        }
        values.push_back(std::move(*parsed));
    }
    auto manifest = readRunManifest(args.positionals().front());
    if (!manifest) {
        std::cerr << "ripen-cli expand: " << manifest.error().message << "\n";
        return kExitFailure;
    }
    auto recipe = expandRecipe(*manifest, values);
    if (!recipe) {
        std::cerr << "ripen-cli expand: " << recipe.error().message << "\n";
        return kExitUsage;
    }
    PlanRequest request{
        "expand",
        &*recipe,
        recipeStageFromString(manifest->value("stage", "")).value_or(recipe->defaultStage()),
        {}};
    request.settings.project = args.value("project").value_or(manifest->value("project", ""));
    request.settings.client = args.value("client").value_or(manifest->value("client", ""));
    request.settings.recipeFile = manifest->value("recipe_file", "");
    request.settings.expandedFrom = manifest->value("run", "");
    auto services = CliServices::open(context.library);
    if (!services) {
        return kExitFailure;
    }
    return planAndQueue(*services, args, request);
}

// A run id ("run-…") or a manifest file.
std::string runIdOf(const std::string& argument) {
    if (argument.find('/') == std::string::npos && argument.find(".json") == std::string::npos) {
        return argument;
    }
    return std::filesystem::path(argument).stem().string();
}

int runManifest(const CommandContext& context, const ArgParser& args) {
    if (args.positionals().size() != 1) {
        std::cerr << "ripen-cli manifest: name one RUN-ID or MANIFEST.json\n";
        return kExitUsage;
    }
    auto services = CliServices::open(context.library);
    if (!services) {
        return kExitFailure;
    }
    const std::string runId = runIdOf(args.positionals().front());
    RecipeRunner runner(*services->library, services->priceBook);
    Result<nlohmann::json> manifest;
    RunSummary total;
    if (args.has("finish")) {
        const auto wait = queueWaiter(*services, total);
        if (auto waited = wait({}); !waited) {
            std::cerr << "ripen-cli manifest: " << waited.error().message << "\n";
            return kExitFailure;
        }
        manifest = runner.finish(runId, wait);
    } else {
        manifest = runner.refreshManifest(runId);
    }
    if (!manifest) {
        std::cerr << "ripen-cli manifest: " << manifest.error().message << "\n";
        return kExitFailure;
    }
    std::cout << "manifest " << escapeInvalidUtf8(runner.manifestPath(runId).native()) << " "
              << manifest->value("state", "") << "\n";
    return total.failed == 0 ? kExitOk : kExitSkipped;
}

void declareCommon(ArgParser& p) {
    p.addOption("dry-run", false, "", "print the plan (jobs, cost, time, budget); queue nothing");
    p.addOption("json", false, "", "print the plan as JSON");
    p.addOption("client", true, "NAME", "charge to this client");
    p.addOption("wait", false, "", "run the queue until the run and its post steps finish");
}

} // namespace

Command runCommand() {
    return {"run", "run RECIPE.json [--dry-run] [--json] [--project NAME] [--stage STAGE] [--wait]",
            "Plans a recipe (docs/recipe-format.md): every job with its prompt, model, size and\n"
            "seed, the cost from the price book, the time, and the verdict of the project's and\n"
            "client's budgets. --dry-run prints the plan and exits 0 without queuing. Otherwise\n"
            "all jobs are queued in one transaction (a budget that would be passed queues\n"
            "nothing, exit 1) and the run's manifest is written to <library>/recipes/:\n"
            "  run <run-id>\n  manifest <path>\n  queued <job-id> estimate <amount> <unit>\n"
            "With --wait the queue runs (done/failed lines as in generate), then the post steps\n"
            "(upscale, export), and the manifest is completed. Exit status 0 when every job\n"
            "succeeded, 3 when some failed, 1 when none did or on error, 2 for an invalid\n"
            "recipe (each problem printed as FILE:LINE: FIELD: MESSAGE).",
            [](ArgParser& p) {
                declareCommon(p);
                p.addOption("project", true, "NAME", "charge to this project");
                p.addOption("stage", true, "STAGE",
                            "concept or production (default: production when the recipe has it)");
            },
            runRecipe};
}

Command expandCommand() {
    return {"expand",
            "expand MANIFEST.json --set VAR=VALUE[,VALUE...] [--dry-run] [--json] [--wait]",
            "Runs a recipe again from a run's manifest with new values for some variables\n"
            "(each --set replaces one variable's list). The recipe, the models, the sizes, the\n"
            "seeds and the reference images are the manifest's, so a combination that was in\n"
            "the first run gets exactly the same prompt and parameters. The project and client\n"
            "default to the manifest's. Output and exit status as for run.",
            [](ArgParser& p) {
                declareCommon(p);
                p.addOption("set", true, "VAR=VALUE,...", "new values of a variable (repeatable)");
                p.addOption("project", true, "NAME",
                            "charge to this project (default: the manifest's)");
            },
            runExpand};
}

Command manifestCommand() {
    return {"manifest", "manifest RUN-ID|MANIFEST.json [--finish]",
            "Rewrites a recipe run's manifest from the catalog: each job's state, its assets,\n"
            "the model versions and seeds the providers reported. With --finish the queue runs\n"
            "first, then the recipe's post steps, and the run is marked finished (what run\n"
            "--wait does at its end). Prints: manifest <path> <state>.",
            [](ArgParser& p) {
                p.addOption("finish", false, "", "run the queue and the post steps, then rewrite");
            },
            runManifest};
}

} // namespace ripen::cli

#include "recipes/RecipePlan.h"

#include <algorithm>

namespace ripen {
namespace {

// When the library has no finished job of a model yet: a remote image takes tens of
// seconds, a local engine a few.
constexpr std::int64_t kDefaultRemoteSeconds = 30;
constexpr std::int64_t kDefaultLocalSeconds = 3;

std::string slug(std::string_view text) {
    std::string out;
    for (const char c : text) {
        const bool keep =
            (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
        if (keep) {
            out += c;
        } else if (!out.empty() && out.back() != '-') {
            out += '-';
        }
        if (out.size() >= 24) {
            break;
        }
    }
    while (!out.empty() && out.back() == '-') {
        out.pop_back();
    }
    return out;
}

// Median seconds per job of `provider`/`model` over its last finished jobs, or nullopt.
std::optional<std::int64_t> pastSeconds(Library& library, const std::string& provider,
                                        const std::string& model) {
    auto stmt = library.catalog().database().prepare(
        "SELECT updated_at - created_at FROM jobs WHERE provider = ? AND model = ? AND "
        "state = 'succeeded' ORDER BY id DESC LIMIT 25");
    if (!stmt) {
        return std::nullopt;
    }
    stmt->bind(1, provider).bind(2, model);
    auto times = stmt->collect<std::int64_t>([](const sqlite::Statement& s) { return s.int64(0); });
    if (!times || times->empty()) {
        return std::nullopt;
    }
    std::nth_element(times->begin(),
                     times->begin() + static_cast<std::ptrdiff_t>(times->size() / 2), times->end());
    return std::max<std::int64_t>(1, ((*times)[times->size() / 2] + 999) / 1000);
}

std::int64_t secondsPerJob(Library* library, const GenerationRequest& r, bool& fromHistory) {
    if (library != nullptr) {
        if (auto past = pastSeconds(*library, r.provider, r.model)) {
            fromHistory = true;
            return *past;
        }
    }
    return r.provider == "local" ? kDefaultLocalSeconds : kDefaultRemoteSeconds;
}

std::optional<std::int64_t> idByName(Library& library, const char* sql, const std::string& name) {
    auto stmt = library.catalog().database().prepare(sql);
    if (!stmt || name.empty()) {
        return std::nullopt;
    }
    stmt->bind(1, name);
    if (auto row = stmt->step(); row && *row && !stmt->isNull(0)) {
        return stmt->int64(0);
    }
    return std::nullopt;
}

Result<BudgetVerdict> checkBudgets(Library& library, const PlanSettings& settings,
                                   Micros neededUsd) {
    BudgetVerdict verdict;
    const auto projectId =
        idByName(library, "SELECT id FROM projects WHERE name = ?", settings.project);
    auto clientId = idByName(library, "SELECT id FROM clients WHERE name = ?", settings.client);
    if (!clientId && projectId) {
        clientId =
            idByName(library, "SELECT client_id FROM projects WHERE name = ?", settings.project);
    }
    Ledger ledger(library.catalog().database());
    for (const auto& [scope, id] : {std::pair{"project", projectId}, {"client", clientId}}) {
        if (!id) {
            continue;
        }
        auto budget = ledger.budget(scope, *id);
        if (!budget) {
            return std::unexpected(budget.error());
        }
        if (!*budget) {
            continue;
        }
        const auto& b = **budget;
        verdict.budgets.push_back(b);
        const Micros after = b.spentUsd + b.reservedUsd + neededUsd;
        if (after > b.limitUsd) {
            verdict.allowed = false;
            verdict.message += std::string(verdict.message.empty() ? "" : "; ") + scope + " \"" +
                               b.name + "\" has $" + formatMicros(b.limitUsd) + ": $" +
                               formatMicros(b.spentUsd) + " spent, $" +
                               formatMicros(b.reservedUsd) + " reserved, this run needs $" +
                               formatMicros(neededUsd);
        } else if (after * 100 > b.limitUsd * b.softPercent) {
            verdict.nearLimit = true;
        }
    }
    if (verdict.allowed) {
        verdict.message = verdict.budgets.empty() ? "no budget applies"
                          : verdict.nearLimit     ? "within budget, past the warning level"
                                                  : "within budget";
    } else {
        verdict.message = "over budget: " + verdict.message;
    }
    return verdict;
}

GenerationRequest requestFor(const Recipe& recipe, const StageModel& model,
                             const VariableValues& values, const RecipeSize& size, int repeat) {
    GenerationRequest r;
    // As ripen-cli generate: with reference images the job is an edit of them.
    r.kind = recipe.references.empty() ? JobKind::TextToImage : JobKind::EditImage;
    r.provider = model.provider;
    r.model = model.model;
    r.prompt = promptFor(recipe, values);
    r.negativePrompt = recipe.negative;
    r.aspectRatio = size.aspectRatio;
    r.imageSize = size.imageSize;
    if (recipe.seed) {
        r.seed = *recipe.seed + repeat;
    }
    r.options = model.options;
    return r;
}

} // namespace

std::string PlannedJob::name() const {
    char number[16];
    std::snprintf(number, sizeof number, "%03zu", index + 1);
    std::string out = number;
    for (const auto& [variable, value] : variables) {
        if (const auto part = slug(value); !part.empty()) {
            out += "-" + part;
        }
    }
    return out + "-" + std::to_string(repeat + 1);
}

Result<RecipePlan> planRecipe(const Recipe& recipe, const PriceBook& prices, Library* library,
                              const PlanSettings& settings) {
    const StageModel* model = recipe.model(settings.stage);
    if (model == nullptr) {
        return fail(ErrorCode::InvalidArgument,
                    "the recipe names no " + std::string(toString(settings.stage)) +
                        " model (stages." + std::string(toString(settings.stage)) + ")");
    }
    RecipePlan plan;
    plan.stage = settings.stage;
    const auto combos = combinations(recipe);
    plan.jobs.reserve(combos.size() * recipe.sizes.size() * static_cast<std::size_t>(recipe.count));
    std::vector<Estimate> sizeEstimates;
    for (std::size_t s = 0; s < recipe.sizes.size(); ++s) {
        auto probe = requestFor(recipe, *model, combos.front(), recipe.sizes[s], 0);
        // Stand-ins for the references, which are only brought into the library when queued,
        // so the model's reference limit is checked now.
        probe.images.assign(recipe.references.size(), std::filesystem::path("reference"));
        if (settings.models != nullptr) {
            if (auto valid = settings.models->validate(probe, settings.today); !valid) {
                return std::unexpected(
                    withContext(valid.error(), "sizes[" + std::to_string(s) + "]"));
            }
        }
        auto estimate = prices.estimate(probe);
        if (!estimate) {
            return std::unexpected(
                withContext(estimate.error(), "stages." + std::string(toString(settings.stage))));
        }
        estimate->price = nullptr;
        sizeEstimates.push_back(*estimate);
    }
    bool fromHistory = false;
    for (const auto& combo : combos) {
        for (std::size_t s = 0; s < recipe.sizes.size(); ++s) {
            for (int repeat = 0; repeat < recipe.count; ++repeat) {
                PlannedJob job;
                job.index = plan.jobs.size();
                job.variables = combo;
                job.repeat = repeat;
                job.request = requestFor(recipe, *model, combo, recipe.sizes[s], repeat);
                job.estimate = sizeEstimates[s];
                plan.totalUsd += job.estimate.usdMicros;
                plan.byUnit[job.estimate.unit] += job.estimate.amount;
                plan.jobs.push_back(std::move(job));
            }
        }
    }
    if (!plan.jobs.empty()) {
        plan.estimatedSeconds = secondsPerJob(library, plan.jobs.front().request, fromHistory) *
                                static_cast<std::int64_t>(plan.jobs.size());
    }
    // Each post step sees one asset per job (a provider may return more; the plan counts one).
    for (const auto& step : recipe.post) {
        const auto jobs = step->plannedJobs(plan.jobs.size());
        if (jobs.empty()) {
            continue;
        }
        auto estimate = prices.estimate(jobs.front());
        if (!estimate) {
            return std::unexpected(withContext(estimate.error(), "post step " + step->kind()));
        }
        PlannedPostJobs post{step->kind(), jobs.size(),
                             estimate->usdMicros * static_cast<Micros>(jobs.size())};
        plan.totalUsd += post.usd;
        plan.byUnit[estimate->unit] += estimate->amount * static_cast<Micros>(jobs.size());
        plan.estimatedSeconds += secondsPerJob(library, jobs.front(), fromHistory) *
                                 static_cast<std::int64_t>(jobs.size());
        plan.post.push_back(post);
    }
    plan.timeBasis = fromHistory ? "median of this library's finished jobs of the same models, "
                                   "one after the other"
                                 : "30 s per remote and 3 s per local job (no finished jobs of "
                                   "these models yet), one after the other";
    if (library != nullptr) {
        auto verdict = checkBudgets(*library, settings, plan.totalUsd);
        if (!verdict) {
            return std::unexpected(verdict.error());
        }
        plan.budget = std::move(*verdict);
    } else {
        plan.budget.message = "budgets not checked (no library)";
    }
    return plan;
}

nlohmann::json plannedJobJson(const PlannedJob& job) {
    const GenerationRequest& r = job.request;
    nlohmann::json variables = nlohmann::json::object();
    for (const auto& [name, value] : job.variables) {
        variables[name] = value;
    }
    return {{"index", job.index},
            {"name", job.name()},
            {"variables", variables},
            {"repeat", job.repeat},
            {"prompt", r.prompt},
            {"negative_prompt", r.negativePrompt},
            {"provider", r.provider},
            {"model", r.model},
            {"aspect_ratio", r.aspectRatio},
            {"image_size", r.imageSize},
            {"seed", r.seed ? nlohmann::json(*r.seed) : nlohmann::json(nullptr)},
            {"options", r.options},
            {"estimate", formatMicros(job.estimate.amount)},
            {"unit", job.estimate.unit}};
}

nlohmann::json planJson(const RecipePlan& plan) {
    nlohmann::json json{{"stage", toString(plan.stage)},
                        {"estimate_usd", formatMicros(plan.totalUsd)},
                        {"estimated_seconds", plan.estimatedSeconds},
                        {"time_basis", plan.timeBasis},
                        {"budget",
                         {{"allowed", plan.budget.allowed},
                          {"near_limit", plan.budget.nearLimit},
                          {"message", plan.budget.message}}}};
    json["by_unit"] = nlohmann::json::object();
    for (const auto& [unit, amount] : plan.byUnit) {
        json["by_unit"][unit] = formatMicros(amount);
    }
    json["jobs"] = nlohmann::json::array();
    for (const auto& job : plan.jobs) {
        json["jobs"].push_back(plannedJobJson(job));
    }
    json["post"] = nlohmann::json::array();
    for (const auto& post : plan.post) {
        json["post"].push_back(
            {{"step", post.step}, {"jobs", post.jobs}, {"estimate_usd", formatMicros(post.usd)}});
    }
    return json;
}

} // namespace ripen

#pragma once

#include "catalog/Library.h"
#include "common/Error.h"
#include "credits/Ledger.h"
#include "credits/PriceBook.h"
#include "providers/ModelCatalog.h"
#include "recipes/Recipe.h"
#include "recipes/RecipeTemplate.h"

#include <cstdint>
#include <map>
#include <string>
#include <vector>

namespace ripen {

// One job a recipe run will queue, in plan order.
struct PlannedJob {
    std::size_t index = 0;     // position in the plan, 0-based
    VariableValues variables;  // the combination it renders
    int repeat = 0;            // 0 .. count-1 within its combination and size
    GenerationRequest request; // reference images are added when the run is queued
    Estimate estimate;         // from the price book (estimate.price is not kept)
    // A file-name stem that says which job this is: "003-fox-rust-1".
    std::string name() const;
};

// Jobs a post step will add once the generated assets exist.
struct PlannedPostJobs {
    std::string step; // "upscale"
    std::size_t jobs = 0;
    Micros usd = 0;
};

struct BudgetVerdict {
    bool allowed = true;
    bool nearLimit = false; // past a budget's soft percentage
    std::string message;    // what a user reads: "within budget", or why it is refused
    std::vector<Ledger::BudgetStatus> budgets; // the caps that apply
};

struct RecipePlan {
    RecipeStage stage = RecipeStage::Concept;
    std::vector<PlannedJob> jobs;
    std::vector<PlannedPostJobs> post;
    Micros totalUsd = 0;                  // generation and post jobs, USD micro-units
    std::map<std::string, Micros> byUnit; // the same in each provider's own unit
    std::int64_t estimatedSeconds = 0;    // run one after the other
    std::string timeBasis;                // where the time per job came from
    BudgetVerdict budget;
};

struct PlanSettings {
    RecipeStage stage = RecipeStage::Concept;
    std::string project;
    std::string client;
    const ModelCatalog* models = nullptr; // when set, each size is checked against the model
    std::string today;                    // YYYY-MM-DD, for retired models
};

// The exact jobs a recipe makes, with their cost, time and the budget verdict, computed
// before anything is queued. With a library, the budgets of `project` and `client` (and the
// project's client) are checked against spent + reserved + this plan, and past job times
// of the same models give the time estimate; nothing in the library is changed.
// Errors: the recipe has no model for the stage, a price is missing, a size does not suit
// the model (named as "sizes[1]: ...").
Result<RecipePlan> planRecipe(const Recipe& recipe, const PriceBook& prices, Library* library,
                              const PlanSettings& settings);

// One planned job as JSON, as plans and run manifests write it: index, name, variables,
// repeat, prompt, negative_prompt, provider, model, aspect_ratio, image_size, seed (null
// without one), options, estimate (decimal string) and unit.
nlohmann::json plannedJobJson(const PlannedJob& job);

// The plan as JSON (ripen-cli run --dry-run --json): stage, jobs (plannedJobJson), post, estimate_usd, by_unit, estimated_seconds, time_basis and budget {allowed, message}.
// Amounts are decimal strings of the unit, never floating point.
nlohmann::json planJson(const RecipePlan& plan);

} // namespace ripen

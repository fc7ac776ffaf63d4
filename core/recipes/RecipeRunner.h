#pragma once

#include "catalog/Library.h"
#include "common/Error.h"
#include "credits/PriceBook.h"
#include "jobs/Job.h"
#include "recipes/Recipe.h"
#include "recipes/RecipePlan.h"

#include <filesystem>
#include <functional>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

namespace ripen {

struct RunSettings {
    std::string project;
    std::string client;
    std::string recipeFile;   // for the record: where the recipe came from
    std::string expandedFrom; // the run an expansion repeats, else empty
    int priority = 0;
};

struct QueuedRun {
    std::string id; // "run-20261125-153012-4f2a"
    std::vector<JobId> jobs;
    std::filesystem::path manifest; // <library>/recipes/<id>.json
};

// Queues recipe runs and keeps their manifests. A manifest (<library>/recipes/<run>.json,
// format "ripen.recipe-run" version 1) holds the resolved recipe (references turned into
// library asset ids), every job with its prompt, parameters, seed and estimate, and, once
// refreshed, each job's state and assets with the model version and seed the provider
// reported, the post steps' outputs and Ripen's version. It is written atomically.
//
// Thread affinity: the Library's.
class RecipeRunner {
public:
    RecipeRunner(Library& library, const PriceBook& prices);

    // Brings the references into the library, then queues every planned job and records
    // the run in one transaction, through JobStore's reservation path: a plan that would pass
    // a budget cap queues nothing and records nothing. Writes the manifest.
    Result<QueuedRun> queue(const Recipe& recipe, const RecipePlan& plan,
                            const RunSettings& settings);

    // Waits for `jobs` to finish (the caller runs the queue: ripen-cli in-process, the GUI
    // through its runner) and returns when they are final.
    using JobWaiter = std::function<Status(const std::vector<JobId>& jobs)>;

    // After the run's jobs finished (an error names the run otherwise): runs the recipe's post steps on their assets in order
    // (queueing the steps' jobs through the reservation path and waiting with `wait`), marks
    // the run finished and rewrites the manifest. Returns the manifest.
    Result<nlohmann::json> finish(const std::string& runId, const JobWaiter& wait);

    // Rewrites the manifest from the catalog (job states, assets, reported model versions
    // and seeds) without running anything. Returns it.
    Result<nlohmann::json> refreshManifest(const std::string& runId);

    std::filesystem::path manifestPath(const std::string& runId) const;

private:
    Result<std::vector<std::vector<AssetId>>>
    runPostJobs(const nlohmann::json& manifest, const std::vector<GenerationRequest>& requests,
                const JobWaiter& wait);

    Library& m_library;
    const PriceBook& m_prices;
};

// Reads a run manifest (bounded JSON) and checks its format.
Result<nlohmann::json> readRunManifest(const std::filesystem::path& file);

// The recipe of a manifest with some variables given new values (name -> values, each name
// one the recipe has), validated again as a recipe. Unchanged combinations plan to the same
// prompts, sizes, seeds, references and options as in the original run.
Result<Recipe>
expandRecipe(const nlohmann::json& manifest,
             const std::vector<std::pair<std::string, std::vector<std::string>>>& values,
             const PostStepRegistry& postSteps = PostStepRegistry::builtIn());

} // namespace ripen

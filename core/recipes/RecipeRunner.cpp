#include "recipes/RecipeRunner.h"

#include "catalog/LibraryCopy.h"
#include "common/BoundedJson.h"
#include "common/Clock.h"
#include "common/FileIo.h"
#include "common/TextEncoding.h"
#include "jobs/JobStore.h"

#include <random>
#include <ripen/BuildInfo.h>

namespace ripen {
namespace {

constexpr std::string_view kManifestFormat = "ripen.recipe-run";
constexpr int kManifestVersion = 1;
constexpr std::size_t kMaxManifestBytes = std::size_t{64} << 20;

std::string newRunId() {
    static thread_local std::mt19937 rng{std::random_device{}()};
    char suffix[8];
    std::snprintf(suffix, sizeof suffix, "%04x", static_cast<unsigned>(rng() & 0xFFFF));
    return "run-" + formatUtc(unixMillis(), "%Y%m%d-%H%M%S") + "-" + suffix;
}

// The manifest's record of one queued job: everything that decides what it makes.
nlohmann::json jobJson(const PlannedJob& job, JobId id, const std::vector<Asset>& references) {
    nlohmann::json json = plannedJobJson(job);
    json["job"] = id;
    json["state"] = "queued";
    json["assets"] = nlohmann::json::array();
    json["references"] = nlohmann::json::array();
    for (const auto& reference : references) {
        json["references"].push_back(reference.sha256);
    }
    return json;
}

Stage assetStageOf(RecipeStage stage) {
    return stage == RecipeStage::Production ? Stage::Master : Stage::Concept;
}

Status recordRun(sqlite::Database& db, const std::string& id, const Recipe& recipe,
                 const RecipePlan& plan, const RunSettings& settings,
                 const std::filesystem::path& manifest) {
    auto insert = db.prepare(R"sql(
        INSERT INTO recipe_runs(id, name, stage, recipe_json, recipe_file, manifest_path,
                                expanded_from, project, client, state, created_at)
        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 'queued', ?))sql");
    if (!insert) {
        return std::unexpected(insert.error());
    }
    std::optional<std::string> from;
    if (!settings.expandedFrom.empty()) {
        from = settings.expandedFrom;
    }
    insert->bind(1, id).bind(2, recipe.name).bind(3, toString(plan.stage));
    insert->bind(4, recipe.toJson().dump()).bind(5, settings.recipeFile);
    insert->bind(6, escapeInvalidUtf8(manifest.native())).bind(7, from);
    insert->bind(8, settings.project).bind(9, settings.client).bind(10, unixMillis());
    return insert->run();
}

// Turns file references into library assets so the run, and any expansion of it, uses
// exactly these bytes.
Result<std::vector<Asset>> resolveReferences(Library& library, Recipe& recipe) {
    std::vector<Asset> assets;
    for (auto& reference : recipe.references) {
        Result<Asset> asset =
            reference.asset
                ? library.catalog().asset(*reference.asset)
                : libraryCopyOf(library, recipe.baseDir / reference.file, AssetKind::Image);
        if (!asset) {
            return std::unexpected(withContext(
                asset.error(),
                "reference " + (reference.asset ? "asset:" + std::to_string(*reference.asset)
                                                : reference.file)));
        }
        reference = RecipeReference{"", asset->id};
        assets.push_back(std::move(*asset));
    }
    return assets;
}

nlohmann::json assetJson(const Asset& asset) {
    nlohmann::json json{{"id", asset.id},         {"sha256", asset.sha256},
                        {"file", asset.blobPath}, {"width", asset.width},
                        {"height", asset.height}, {"model_version", asset.generation.modelVersion}};
    json["seed"] =
        asset.generation.seed ? nlohmann::json(*asset.generation.seed) : nlohmann::json(nullptr);
    return json;
}

} // namespace

RecipeRunner::RecipeRunner(Library& library, const PriceBook& prices)
    : m_library(library), m_prices(prices) {}

std::filesystem::path RecipeRunner::manifestPath(const std::string& runId) const {
    return m_library.root() / "recipes" / (runId + ".json");
}

Result<QueuedRun> RecipeRunner::queue(const Recipe& original, const RecipePlan& plan,
                                      const RunSettings& settings) {
    Recipe recipe = original;
    auto references = resolveReferences(m_library, recipe);
    if (!references) {
        return std::unexpected(references.error());
    }
    std::vector<BatchItem> items;
    items.reserve(plan.jobs.size());
    for (const auto& job : plan.jobs) {
        BatchItem item{job.request, job.estimate, assetStageOf(plan.stage)};
        for (const auto& reference : *references) {
            item.request.images.push_back(m_library.blobFile(reference));
        }
        items.push_back(std::move(item));
    }
    QueuedRun run{newRunId(), {}, {}};
    run.manifest = manifestPath(run.id);
    EnqueueOptions options;
    options.project = settings.project;
    options.client = settings.client;
    options.priority = settings.priority;
    options.recipeRun = run.id;
    JobStore store(m_library);
    auto ids = store.enqueueBatch(items, options, [&](const std::vector<JobId>&) {
        return recordRun(m_library.catalog().database(), run.id, recipe, plan, settings,
                         run.manifest);
    });
    if (!ids) {
        return std::unexpected(ids.error());
    }
    run.jobs = std::move(*ids);

    nlohmann::json manifest{{"format", kManifestFormat},
                            {"version", kManifestVersion},
                            {"run", run.id},
                            {"created_at", formatUtc(unixMillis(), "%Y-%m-%dT%H:%M:%SZ")},
                            {"ripen", {{"version", build::kVersion}, {"commit", build::kCommit}}},
                            {"recipe_file", settings.recipeFile},
                            {"expanded_from", settings.expandedFrom},
                            {"stage", toString(plan.stage)},
                            {"project", settings.project},
                            {"client", settings.client},
                            {"recipe", recipe.toJson()},
                            {"estimate_usd", formatMicros(plan.totalUsd)},
                            {"state", "queued"},
                            {"post", nlohmann::json::array()}};
    manifest["references"] = nlohmann::json::array();
    for (std::size_t i = 0; i < references->size(); ++i) {
        const auto& reference = (*references)[i];
        manifest["references"].push_back(
            {{"as_written", original.references[i].asset
                                ? "asset:" + std::to_string(*original.references[i].asset)
                                : original.references[i].file},
             {"asset", reference.id},
             {"sha256", reference.sha256}});
    }
    manifest["jobs"] = nlohmann::json::array();
    for (std::size_t i = 0; i < plan.jobs.size(); ++i) {
        manifest["jobs"].push_back(jobJson(plan.jobs[i], run.jobs[i], *references));
    }
    if (auto written = writeFileAtomically(run.manifest, manifest.dump(2) + "\n"); !written) {
        return std::unexpected(
            withContext(written.error(), "the jobs are queued, but the manifest"));
    }
    return run;
}

Result<nlohmann::json> RecipeRunner::refreshManifest(const std::string& runId) {
    auto manifest = readRunManifest(manifestPath(runId));
    if (!manifest) {
        return std::unexpected(manifest.error());
    }
    JobStore store(m_library);
    nlohmann::json models = nlohmann::json::array();
    bool allFinal = true;
    for (auto& entry : (*manifest)["jobs"]) {
        auto job = store.job(entry.value("job", JobId{0}));
        if (!job) {
            return std::unexpected(job.error());
        }
        allFinal = allFinal && isFinal(job->state);
        entry["state"] = std::string(toString(job->state));
        if (!job->error.empty()) {
            entry["error"] = job->error;
        }
        entry["assets"] = nlohmann::json::array();
        for (const AssetId id : job->assets) {
            auto asset = m_library.catalog().asset(id);
            if (!asset) {
                return std::unexpected(asset.error());
            }
            entry["assets"].push_back(assetJson(*asset));
            const nlohmann::json model{{"provider", asset->generation.provider},
                                       {"model", asset->generation.modelId},
                                       {"version", asset->generation.modelVersion}};
            if (std::find(models.begin(), models.end(), model) == models.end()) {
                models.push_back(model);
            }
        }
    }
    (*manifest)["models_reported"] = models;
    (*manifest)["ripen"] = {{"version", build::kVersion}, {"commit", build::kCommit}};
    if (!allFinal) {
        (*manifest)["state"] = "queued";
    } else if ((*manifest)["state"] == "queued") {
        (*manifest)["state"] = "generated";
    }
    if (auto written = writeFileAtomically(manifestPath(runId), manifest->dump(2) + "\n");
        !written) {
        return std::unexpected(written.error());
    }
    return std::move(*manifest);
}

Result<std::vector<std::vector<AssetId>>>
RecipeRunner::runPostJobs(const nlohmann::json& manifest,
                          const std::vector<GenerationRequest>& requests, const JobWaiter& wait) {
    std::vector<BatchItem> items;
    for (const auto& request : requests) {
        auto estimate = m_prices.estimate(request);
        if (!estimate) {
            return std::unexpected(estimate.error());
        }
        estimate->price = nullptr;
        items.push_back({request, *estimate, Stage::Upscaled});
    }
    EnqueueOptions options;
    options.project = manifest.value("project", "");
    options.client = manifest.value("client", "");
    options.recipeRun = manifest.value("run", "");
    JobStore store(m_library);
    auto ids = store.enqueueBatch(items, options, {});
    if (!ids) {
        return std::unexpected(ids.error());
    }
    if (auto waited = wait(*ids); !waited) {
        return std::unexpected(waited.error());
    }
    std::vector<std::vector<AssetId>> made;
    for (const JobId id : *ids) {
        auto job = store.job(id);
        if (!job) {
            return std::unexpected(job.error());
        }
        made.push_back(job->assets);
    }
    return made;
}

Result<nlohmann::json> RecipeRunner::finish(const std::string& runId, const JobWaiter& wait) {
    auto manifest = refreshManifest(runId);
    if (!manifest) {
        return std::unexpected(manifest.error());
    }
    if (manifest->value("state", "") == "finished") {
        return manifest;
    }
    if (manifest->value("state", "") == "queued") {
        return fail(ErrorCode::InvalidArgument,
                    "run " + runId + " still has jobs that are not finished; run the queue first");
    }
    auto recipe = expandRecipe(*manifest, {});
    if (!recipe) {
        return std::unexpected(recipe.error());
    }
    std::vector<PostStepItem> items;
    for (const auto& entry : (*manifest)["jobs"]) {
        const std::string name = entry.value("name", "job");
        const auto& assets = entry["assets"];
        for (std::size_t i = 0; i < assets.size(); ++i) {
            items.push_back({assets[i].value("id", AssetId{0}),
                             assets.size() == 1 ? name : name + "-" + std::to_string(i + 1)});
        }
    }
    PostStepRuntime runtime{m_library, runId, m_library.root() / "exports" / runId,
                            [&](const std::vector<GenerationRequest>& requests) {
                                return runPostJobs(*manifest, requests, wait);
                            }};
    nlohmann::json records = nlohmann::json::array();
    for (const auto& step : recipe->post) {
        auto result = step->run(runtime, items);
        if (!result) {
            return std::unexpected(withContext(result.error(), "post step " + step->kind()));
        }
        records.push_back(result->record);
        items = std::move(result->outputs);
    }
    (*manifest)["post"] = records;
    (*manifest)["state"] = "finished";
    (*manifest)["finished_at"] = formatUtc(unixMillis(), "%Y-%m-%dT%H:%M:%SZ");
    auto update = m_library.catalog().database().prepare(
        "UPDATE recipe_runs SET state = 'finished', finished_at = ? WHERE id = ?");
    if (!update) {
        return std::unexpected(update.error());
    }
    update->bind(1, unixMillis()).bind(2, runId);
    if (auto ran = update->run(); !ran) {
        return std::unexpected(ran.error());
    }
    if (auto written = writeFileAtomically(manifestPath(runId), manifest->dump(2) + "\n");
        !written) {
        return std::unexpected(written.error());
    }
    return manifest;
}

Result<nlohmann::json> readRunManifest(const std::filesystem::path& file) {
    auto text = readFileBounded(file, kMaxManifestBytes);
    if (!text) {
        return std::unexpected(text.error());
    }
    const std::string name = escapeInvalidUtf8(file.native());
    auto json = parseBoundedJson(*text, name, 16, kMaxManifestBytes);
    if (!json) {
        return std::unexpected(json.error());
    }
    if (!json->is_object() || json->value("format", "") != kManifestFormat ||
        json->value("version", 0) != kManifestVersion || !json->contains("recipe") ||
        !(*json)["jobs"].is_array() || !(*json)["run"].is_string()) {
        return fail(ErrorCode::Corrupt, name + ": not a Ripen run manifest (format \"" +
                                            std::string(kManifestFormat) + "\" version " +
                                            std::to_string(kManifestVersion) +
                                            " with run, recipe and jobs)");
    }
    return std::move(*json);
}

Result<Recipe>
expandRecipe(const nlohmann::json& manifest,
             const std::vector<std::pair<std::string, std::vector<std::string>>>& values,
             const PostStepRegistry& postSteps) {
    nlohmann::json recipe = manifest.value("recipe", nlohmann::json::object());
    const std::string name = manifest.value("run", "manifest") + " recipe";
    for (const auto& [variable, list] : values) {
        if (!recipe.contains("variables") || !recipe["variables"].contains(variable)) {
            return fail(ErrorCode::InvalidArgument, "the recipe of " +
                                                        manifest.value("run", "the manifest") +
                                                        " has no variable \"" + variable + "\"");
        }
        recipe["variables"][variable] = list;
    }
    return parseRecipe(recipe.dump(2), name, ".", postSteps);
}

} // namespace ripen

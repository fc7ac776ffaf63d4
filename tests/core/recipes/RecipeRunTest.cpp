// Recipes end to end: planned against the shipped price book, queued through the job
// store's reservation path, run by the real queue against a loopback OpenAI, post-processed
// by local jobs and the exporter, and recorded in a manifest an expansion can repeat.
#include "RecipeFixture.h"
#include "catalog/internal/CatalogMigrations.h"
#include "jobs/JobStore.h"

#include <catch2/catch.hpp>

using namespace ripen;
using namespace ripen::test;

TEST_CASE("A plan lists every job with the price book's estimate before anything is queued",
          "[recipes][plan]") {
    RecipeFixture f;
    const Recipe recipe = f.recipe();
    const RecipePlan plan = f.plan(recipe);
    REQUIRE(plan.jobs.size() == 4);
    // gpt-image-1 at quality low: 0.011 USD an image (resources/pricebook.json).
    for (const auto& job : plan.jobs) {
        CHECK(job.estimate.amount == 11'000);
        CHECK(job.estimate.unit == "USD");
        CHECK(job.request.kind == JobKind::EditImage); // it has a reference
        CHECK(job.request.seed == 500);
        CHECK(job.request.negativePrompt == "text");
        CHECK(job.request.imageSize == "1024x1024");
        CHECK(job.request.options["quality"] == "low");
    }
    CHECK(plan.jobs[0].request.prompt ==
          "a paper lantern shaped like a fox, warm light, studio photo, soft shadow");
    CHECK(plan.jobs[3].request.prompt ==
          "a paper lantern shaped like a owl, cold light, studio photo, soft shadow");
    CHECK(plan.jobs[2].name() == "003-owl-warm-1");
    // The upscale post step adds four free local jobs.
    REQUIRE(plan.post.size() == 1);
    CHECK(plan.post[0].step == "upscale");
    CHECK(plan.post[0].jobs == 4);
    CHECK(plan.post[0].usd == 0);
    CHECK(plan.totalUsd == 44'000);
    CHECK(plan.estimatedSeconds == 4 * 30 + 4 * 3);
    CHECK(plan.budget.allowed);
    CHECK(plan.budget.message == "no budget applies");
    // Planning changed nothing.
    CHECK(f.count("SELECT count(*) FROM jobs") == 0);
    CHECK(f.count("SELECT count(*) FROM projects") == 0);

    const auto json = planJson(plan);
    CHECK(json["estimate_usd"] == "0.044");
    CHECK(json["jobs"][1]["seed"] == 500);
    CHECK(json["budget"]["allowed"] == true);
}

TEST_CASE("A plan a model cannot take names the size at fault", "[recipes][plan]") {
    RecipeFixture f;
    Recipe recipe = f.recipe();
    recipe.sizes.push_back({"", "4K"});
    PlanSettings settings{RecipeStage::Concept, "", "", &f.models, "2026-11-25"};
    auto planned = planRecipe(recipe, f.prices, f.library.get(), settings);
    REQUIRE_FALSE(planned);
    CHECK_THAT(planned.error().message, Catch::StartsWith("sizes[1]: "));
    CHECK_THAT(planned.error().message, Catch::Contains("4K"));
    settings.stage = RecipeStage::Production;
    auto noModel = planRecipe(recipe, f.prices, f.library.get(), settings);
    REQUIRE_FALSE(noModel);
    CHECK_THAT(noModel.error().message, Catch::Contains("stages.production"));
}

TEST_CASE("A run past a budget is refused whole, before any request is sent", "[recipes][budget]") {
    RecipeFixture f;
    auto project = f.library->catalog().ensureProject("Lanterns", "");
    REQUIRE(project);
    Ledger ledger(f.library->catalog().database());
    REQUIRE(ledger.setBudget("project", *project, 30'000)); // $0.03 < 4 x $0.011
    const Recipe recipe = f.recipe();
    const RecipePlan plan = f.plan(recipe, "Lanterns");
    CHECK_FALSE(plan.budget.allowed);
    CHECK_THAT(plan.budget.message, Catch::Contains("project \"Lanterns\" has $0.03"));
    // Even when queued regardless, the reservation path refuses all of it.
    auto queued =
        RecipeRunner(*f.library, f.prices).queue(recipe, plan, {"Lanterns", "", "", "", 0});
    REQUIRE_FALSE(queued);
    CHECK(queued.error().code == ErrorCode::LimitExceeded);
    CHECK(f.count("SELECT count(*) FROM jobs") == 0);
    CHECK(f.count("SELECT count(*) FROM recipe_runs") == 0);
    CHECK(f.count("SELECT count(*) FROM ledger WHERE kind = 'reserve'") == 0);
    JobRunner runner(f.library->root(), f.registry, f.credentials, f.prices, f.http);
    REQUIRE(runner.runUntilIdle({}));
    CHECK(f.server.totalCount() == 0);
}

TEST_CASE("A recipe run makes its assets, post-processes them and writes the manifest",
          "[recipes][run]") {
    RecipeFixture f;
    const Recipe recipe = f.recipe();
    const RecipePlan plan = f.plan(recipe, "Lanterns");
    RecipeRunner runner(*f.library, f.prices);
    auto run = runner.queue(recipe, plan, {"Lanterns", "", "kit/recipe.json", "", 0});
    REQUIRE(run);
    REQUIRE(run->jobs.size() == 4);
    CHECK(run->manifest == f.dir / "library" / "recipes" / (run->id + ".json"));
    CHECK(std::filesystem::exists(run->manifest));
    CHECK(f.count("SELECT count(*) FROM jobs WHERE recipe_run IS NOT NULL") == 4);

    REQUIRE(f.waiter()(run->jobs));
    auto manifest = runner.finish(run->id, f.waiter());
    REQUIRE(manifest);
    CHECK(f.edits == 4); // every job went out once, as an edit of the reference
    CHECK(f.server.count("/v1/images/generations") == 0);

    // What is on disk is what finish returned, and it says what a client needs to reorder.
    auto onDisk = readRunManifest(run->manifest);
    REQUIRE(onDisk);
    CHECK(*onDisk == *manifest);
    const auto& m = *manifest;
    CHECK(m["state"] == "finished");
    CHECK(m["stage"] == "concept");
    CHECK(m["project"] == "Lanterns");
    CHECK_FALSE(m["ripen"]["version"].get<std::string>().empty());
    REQUIRE(m["references"].size() == 1);
    CHECK(m["references"][0]["as_written"] == "brand.png");
    const AssetId brand = m["references"][0]["asset"];
    CHECK(m["recipe"]["references"][0] == "asset:" + std::to_string(brand));
    REQUIRE(m["jobs"].size() == 4);
    std::set<AssetId> generated;
    for (std::size_t i = 0; i < 4; ++i) {
        const auto& job = m["jobs"][i];
        CHECK(job["job"] == run->jobs[i]);
        CHECK(job["state"] == "succeeded");
        CHECK(job["prompt"] == plan.jobs[i].request.prompt);
        CHECK(job["seed"] == 500);
        REQUIRE(job["assets"].size() == 1);
        const AssetId id = job["assets"][0]["id"];
        generated.insert(id);
        auto asset = f.library->catalog().asset(id);
        REQUIRE(asset);
        CHECK(asset->generation.prompt == plan.jobs[i].request.prompt);
        CHECK(asset->generation.params["ripen_recipe_run"] == run->id);
        CHECK(asset->project == "Lanterns");
        CHECK(asset->parents == std::vector<AssetId>{brand});
    }
    CHECK(generated.size() == 4);
    CHECK(m["models_reported"][0]["model"] == "gpt-image-1");

    // Post steps: four local upscales (48x32 -> 96x64), then every one exported twice.
    REQUIRE(m["post"].size() == 2);
    REQUIRE(m["post"][0]["assets"].size() == 4);
    for (const auto& entry : m["post"][0]["assets"]) {
        auto upscaled = f.library->catalog().asset(entry["asset"].get<AssetId>());
        REQUIRE(upscaled);
        CHECK(upscaled->width == 96);
        CHECK(upscaled->height == 64);
        CHECK(upscaled->generation.params["ripen_recipe_run"] == run->id);
        CHECK(generated.contains(entry["from"].get<AssetId>()));
    }
    REQUIRE(m["post"][1]["files"].size() == 8);
    const auto exportDir = f.dir / "library" / "exports" / run->id;
    CHECK(std::filesystem::exists(exportDir / "001-fox-warm-1-x2.png"));
    const cv::Mat exported = cv::imread((exportDir / "004-owl-cold-1-x2.jpg").string());
    CHECK(exported.cols == 96);
    CHECK(f.count("SELECT count(*) FROM recipe_runs WHERE state = 'finished'") == 1);
    CHECK(f.count("SELECT count(*) FROM jobs WHERE recipe_run = '" + run->id + "'") == 8);
}

TEST_CASE("An expansion repeats the prompts and parameters of the combinations it keeps",
          "[recipes][expand]") {
    RecipeFixture f;
    const Recipe recipe = f.recipe();
    RecipeRunner runner(*f.library, f.prices);
    auto run = runner.queue(recipe, f.plan(recipe), {});
    REQUIRE(run);
    auto manifest = readRunManifest(run->manifest);
    REQUIRE(manifest);

    auto expanded = expandRecipe(*manifest, {{"animal", {"owl", "heron"}}});
    REQUIRE(expanded);
    const RecipePlan plan = f.plan(*expanded);
    auto again = runner.queue(*expanded, plan, {"", "", "", run->id, 0});
    REQUIRE(again);
    auto second = readRunManifest(again->manifest);
    REQUIRE(second);
    CHECK((*second)["expanded_from"] == run->id);
    CHECK((*second)["references"][0]["sha256"] == (*manifest)["references"][0]["sha256"]);

    // Each owl job of the expansion equals the first run's owl job in everything but its id.
    int matched = 0;
    for (const auto& job : (*second)["jobs"]) {
        if (job["variables"]["animal"] == "heron") {
            CHECK_THAT(job["prompt"].get<std::string>(), Catch::Contains("heron"));
            continue;
        }
        for (const auto& original : (*manifest)["jobs"]) {
            if (original["variables"] != job["variables"]) {
                continue;
            }
            ++matched;
            for (const char* field :
                 {"prompt", "negative_prompt", "provider", "model", "aspect_ratio", "image_size",
                  "seed", "options", "references", "estimate"}) {
                CHECK(job[field] == original[field]);
            }
        }
    }
    CHECK(matched == 2);
    // The queued requests match too, reference images included.
    auto first = JobStore(*f.library).job((*manifest)["jobs"][2]["job"].get<JobId>());
    auto repeat = JobStore(*f.library).job((*second)["jobs"][0]["job"].get<JobId>());
    REQUIRE(first);
    REQUIRE(repeat);
    CHECK(first->request.toJson() == repeat->request.toJson());

    auto unknown = expandRecipe(*manifest, {{"colour", {"red"}}});
    REQUIRE_FALSE(unknown);
    CHECK_THAT(unknown.error().message, Catch::Contains("no variable \"colour\""));
}

TEST_CASE("A version 4 catalog gains recipe runs and keeps its jobs", "[recipes][migration]") {
    TempDir dir;
    {
        auto db =
            sqlite::Database::open(dir / "catalog.sqlite", sqlite::Database::Mode::ReadWriteCreate);
        REQUIRE(db);
        REQUIRE(CatalogMigrations::migrate(*db, 4));
        REQUIRE(db->exec(R"sql(
            INSERT INTO jobs(id, job_key, provider, model, kind, request_json, state, stage,
                             estimate_micros, estimate_usd_micros, created_at, updated_at)
            VALUES (1, 'k1', 'openai', 'gpt-image-1', 'text-to-image', '{}', 'succeeded',
                    'concept', 42000, 42000, 1, 1))sql"));
    }
    auto catalog = Catalog::open(dir / "catalog.sqlite");
    REQUIRE(catalog);
    auto& db = (*catalog)->database();
    CHECK((*catalog)->schemaVersion() == CatalogMigrations::kLatestVersion);
    REQUIRE((*catalog)->verifyIntegrity());
    CHECK(*db.queryInt64("SELECT count(*) FROM jobs WHERE recipe_run IS NULL") == 1);
    CHECK(*db.queryInt64("SELECT count(*) FROM recipe_runs") == 0);
    // A job may name its run before the run row is written, within one transaction only.
    REQUIRE(db.exec("BEGIN"));
    REQUIRE(db.exec("UPDATE jobs SET recipe_run = 'run-x' WHERE id = 1"));
    CHECK_FALSE(db.exec("COMMIT"));
    REQUIRE(db.exec("ROLLBACK"));
}

// The recipe tests' fixture: a library, the shipped price book and model catalog, and a
// loopback OpenAI whose edits answer a distinct 48x32 image per request, so a recipe run
// goes through the real queue. The recipe is written to <dir>/kit/recipe.json.
#pragma once

#include "catalog/Library.h"
#include "common/ResourceLocator.h"
#include "jobs/JobRunner.h"
#include "jobs/JobStore.h"
#include "providers/ModelCatalog.h"
#include "providers/ProviderSupport.h"
#include "providers/local/LocalProvider.h"
#include "providers/openai/OpenAiImagesProvider.h"
#include "recipes/RecipePlan.h"
#include "recipes/RecipeRunner.h"
#include "support/FakeHttpServer.h"
#include "support/TempDir.h"
#include "support/TestCredentials.h"
#include "support/TestImages.h"
#include "support/fakes/OpenAiFakeServer.h"
#include "support/fakes/UniqueImageReplies.h"

#include <atomic>
#include <catch2/catch.hpp>
#include <cstdlib>
#include <fstream>
#include <opencv2/imgcodecs.hpp>

namespace ripen::test {

inline const char* const kRecipe = R"json({
  "format": "ripen.recipe",
  "version": 1,
  "name": "Lantern kit",
  "prompt": "a paper lantern shaped like a {animal}, {mood} light",
  "variables": {"animal": ["fox", "owl"], "mood": ["warm", "cold"]},
  "style": "studio photo, soft shadow",
  "negative": "text",
  "stages": {"concept": {"provider": "openai", "model": "gpt-image-1", "options": {"quality": "low"}}},
  "sizes": [{"size": "1024x1024"}],
  "count": 1,
  "seed": 500,
  "references": ["brand.png"],
  "post": [
    {"step": "upscale", "factor": 2},
    {"step": "export", "formats": ["png", "jpeg"], "dpi": 300}
  ]
})json";

struct RecipeFixture {
    TempDir dir;
    FakeHttpServer server;
    UniqueImageReplies replies{server};
    std::atomic<int> edits{0};
    std::unique_ptr<Library> library;
    ProviderRegistry registry;
    TestCredentials credentials{"OPENAI_API_KEY", OpenAiFakeServer::kApiKey};
    http::HttpClient http;
    PriceBook prices;
    ModelCatalog models;

    explicit RecipeFixture(const char* recipeText = kRecipe) {
        ::setenv("RIPEN_OPENAI_BASE_URL", server.baseUrl().c_str(), 1);
        // Edits with references answer a distinct image per request, as a model would.
        server.on("POST", "/v1/images/edits", [this](const RecordedRequest&) {
            const std::string png = encodeTestImage(makeTestImage(48, 32, 2000 + ++edits), ".png");
            return FakeReply::json(200, {{"created", 1764000000},
                                         {"data", {{{"b64_json", providers::encodeBase64(png)}}}}});
        });
        registry.add(std::make_unique<OpenAiImagesProvider>(), {4, 600});
        registry.add(std::make_unique<LocalProvider>(), {1, 1000});
        auto opened = Library::open(dir / "library");
        REQUIRE(opened);
        library = std::move(*opened);
        auto loaded = PriceBook::load(resourceFile("pricebook.json"));
        REQUIRE(loaded);
        prices = std::move(*loaded);
        auto catalog = ModelCatalog::load(resourceFile("models.json"));
        REQUIRE(catalog);
        models = std::move(*catalog);
        writeTestImage(dir / "kit" / "brand.png", makeTestImage(40, 40, 7));
        std::ofstream(dir / "kit" / "recipe.json") << recipeText;
    }

    Recipe recipe() {
        auto parsed = loadRecipe(dir / "kit" / "recipe.json");
        REQUIRE(parsed);
        return *parsed;
    }

    RecipePlan plan(const Recipe& recipe, const std::string& project = "") {
        PlanSettings settings{RecipeStage::Concept, project, "", &models, "2026-11-25"};
        auto planned = planRecipe(recipe, prices, library.get(), settings);
        REQUIRE(planned);
        return *planned;
    }

    RecipeRunner::JobWaiter waiter() {
        return [this](const std::vector<JobId>&) -> Status {
            JobRunner runner(library->root(), registry, credentials, prices, http);
            auto summary = runner.runUntilIdle({});
            if (!summary) {
                return std::unexpected(summary.error());
            }
            return {};
        };
    }

    std::int64_t count(const std::string& sql) {
        auto n = library->catalog().database().queryInt64(sql);
        REQUIRE(n);
        return *n;
    }
};

} // namespace ripen::test

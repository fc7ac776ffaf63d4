// Recipe files as a user writes them: what parses, and how mistakes are named.
#include "recipes/Recipe.h"
#include "recipes/RecipeTemplate.h"

#include <catch2/catch.hpp>
#include <string>

using namespace ripen;

namespace {

const char* const kKit = R"json({
  "format": "ripen.recipe",
  "version": 1,
  "name": "Autumn icons",
  "prompt": "a {subject} icon in {colour}",
  "variables": {
    "subject": ["fox", "owl"],
    "colour": ["rust", "teal", "ochre"]
  },
  "style": "flat vector, thick outlines",
  "negative": "text, watermark",
  "stages": {
    "concept": {"provider": "openai", "model": "gpt-image-1", "options": {"quality": "low"}},
    "production": {"provider": "google", "model": "gemini-3-pro-image"}
  },
  "sizes": [{"aspect": "1:1", "size": "1K"}, {"aspect": "16:9"}],
  "count": 2,
  "seed": 1000,
  "references": ["brand/mark.png", "asset:7"],
  "post": [
    {"step": "upscale", "factor": 2},
    {"step": "export", "formats": ["png", "jpeg"], "quality": 90, "dpi": 300}
  ]
})json";

std::vector<std::string> issuesOf(const std::string& text) {
    return checkRecipe(text, "recipe.json", ".").issues;
}

// Replaces the first `from` in kKit.
std::string kitWith(const std::string& from, const std::string& to) {
    std::string text = kKit;
    const auto at = text.find(from);
    REQUIRE(at != std::string::npos);
    return text.replace(at, from.size(), to);
}

} // namespace

TEST_CASE("A complete recipe parses and survives a round trip through its JSON", "[recipes]") {
    auto recipe = parseRecipe(kKit, "recipe.json", "/kits");
    REQUIRE(recipe);
    CHECK(recipe->name == "Autumn icons");
    REQUIRE(recipe->variables.size() == 2);
    CHECK(recipe->variables[0].first == "colour"); // name order
    CHECK(recipe->conceptModel->options["quality"] == "low");
    CHECK(recipe->productionModel->model == "gemini-3-pro-image");
    CHECK(recipe->defaultStage() == RecipeStage::Production);
    REQUIRE(recipe->sizes.size() == 2);
    CHECK(recipe->sizes[1].aspectRatio == "16:9");
    CHECK(recipe->sizes[1].imageSize.empty());
    CHECK(recipe->count == 2);
    CHECK(recipe->seed == 1000);
    REQUIRE(recipe->references.size() == 2);
    CHECK(recipe->references[0].file == "brand/mark.png");
    CHECK(recipe->references[1].asset == 7);
    REQUIRE(recipe->post.size() == 2);
    CHECK(recipe->post[0]->kind() == "upscale");
    CHECK(recipe->post[1]->toJson()["dpi"] == 300);

    auto again = parseRecipe(recipe->toJson().dump(), "again.json", "/kits");
    REQUIRE(again);
    CHECK(again->toJson() == recipe->toJson());
}

TEST_CASE("Validation names the file, the line and the field", "[recipes]") {
    SECTION("a variable that is not a list") {
        const auto issues =
            issuesOf(kitWith(R"("colour": ["rust", "teal", "ochre"])", R"("colour": "rust")"));
        REQUIRE(issues.size() == 1);
        CHECK(issues[0] == "recipe.json:8: variables.colour: expected a list of strings");
    }
    SECTION("an unknown top-level field is an error, not ignored") {
        const auto issues = issuesOf(kitWith(R"("negative")", R"("negativ")"));
        REQUIRE(issues.size() == 1);
        CHECK(issues[0] == "recipe.json:11: negativ: unknown field");
    }
    SECTION("an unknown field inside a post step") {
        const auto issues = issuesOf(kitWith(R"("factor": 2)", R"("factr": 2)"));
        REQUIRE(issues.size() == 2);
        CHECK(issues[0] == "recipe.json:21: post[0]: missing required field \"factor\"");
        CHECK(issues[1] == "recipe.json:21: post[0].factr: unknown field");
    }
    SECTION("an unknown post step lists the known ones") {
        const auto issues = issuesOf(kitWith(R"("step": "export")", R"("step": "print")"));
        REQUIRE(issues.size() == 1);
        CHECK(issues[0] ==
              "recipe.json:22: post[1].step: unknown step \"print\" (known: background, bundle, "
              "contactsheet, export, mockup, printcheck, upscale)");
    }
    SECTION("a wrong value deep in a list") {
        const auto issues = issuesOf(kitWith(R"("jpeg"])", R"("gif"])"));
        REQUIRE(issues.size() == 1);
        CHECK(issues[0] == "recipe.json:22: post[1].formats[1]: expected \"png\", \"jpeg\", "
                           "\"webp\" or \"tiff\"");
    }
    SECTION("a placeholder with no variable, and a variable the prompt never uses") {
        const auto issues = issuesOf(kitWith("{colour}", "{color}"));
        REQUIRE(issues.size() == 2);
        CHECK(issues[0] == "recipe.json:5: prompt: {color} names no variable in \"variables\"");
        CHECK(issues[1] ==
              "recipe.json:8: variables.colour: not used in the prompt (add {colour})");
    }
    SECTION("zip needs lists of one length") {
        const auto issues = issuesOf(kitWith(R"("style")", R"("combine": "zip", "style")"));
        REQUIRE(issues.size() == 1);
        CHECK(issues[0] == "recipe.json:7: variables.subject: \"combine\": \"zip\" needs lists of "
                           "equal length (2 here, 3 in \"colour\")");
    }
    SECTION("numbers out of range and wrong types") {
        const auto issues = issuesOf(kitWith(R"("count": 2)", R"("count": 0)"));
        REQUIRE(issues.size() == 1);
        CHECK(issues[0] == "recipe.json:17: count: must be between 1 and 100, not 0");
        CHECK(issuesOf(kitWith(R"("seed": 1000)", R"("seed": "1000")"))[0] ==
              "recipe.json:18: seed: expected a whole number");
    }
    SECTION("the format and version are checked") {
        CHECK(issuesOf(kitWith(R"("version": 1)", R"("version": 2)"))[0] ==
              "recipe.json:3: version: this Ripen reads recipe version 1, not 2");
        CHECK(issuesOf(kitWith("ripen.recipe", "other"))[0] ==
              "recipe.json:2: format: expected \"ripen.recipe\"");
    }
    SECTION("stages need a model") {
        const auto issues = issuesOf(kitWith(R"("provider": "google", )", ""));
        REQUIRE(issues.size() == 1);
        CHECK(issues[0] ==
              "recipe.json:14: stages.production: missing required field \"provider\"");
    }
    SECTION("not JSON at all") {
        const auto issues = issuesOf("{\"format\": ");
        REQUIRE(issues.size() == 1);
        CHECK_THAT(issues[0], Catch::Contains("recipe.json"));
    }
}

TEST_CASE("Recipes are bounded before anything is materialised", "[recipes]") {
    // 20 x 20 x 20 combinations at 2 sizes and count 2 would be 32 000 jobs.
    std::string values = "[";
    for (int i = 0; i < 20; ++i) {
        values += (i ? ",\"v" : "\"v") + std::to_string(i) + "\"";
    }
    values += "]";
    const std::string text = R"({"format": "ripen.recipe", "version": 1, "prompt": "{a} {b} {c}",
        "variables": {"a": )" +
                             values + R"(, "b": )" + values + R"(, "c": )" + values + R"(},
        "stages": {"concept": {"provider": "openai", "model": "gpt-image-1"}}, "count": 2,
        "sizes": [{"aspect": "1:1"}, {"aspect": "3:2"}]})";
    const auto issues = issuesOf(text);
    REQUIRE(issues.size() == 1);
    CHECK_THAT(issues[0], Catch::Contains("variables: the recipe makes more than 5000 jobs"));

    const std::string huge(kMaxRecipeFileBytes + 1, ' ');
    CHECK_FALSE(issuesOf(huge).empty());
    const std::string longPrompt =
        std::string(R"({"format": "ripen.recipe", "version": 1, "prompt": ")") +
        std::string(kMaxPromptTemplateBytes + 1, 'x') +
        R"(", "stages": {"concept": {"provider": "openai", "model": "m"}}})";
    CHECK(issuesOf(longPrompt)[0] == "recipe.json:1: prompt: longer than 4000 bytes");
}

TEST_CASE("Templates expand as a product or zipped, with the style DNA appended", "[recipes]") {
    auto recipe = parseRecipe(kKit, "recipe.json", ".");
    REQUIRE(recipe);
    const auto product = combinations(*recipe);
    REQUIRE(product.size() == 6);
    // The last variable by name (subject) varies fastest.
    CHECK(promptFor(*recipe, product[0]) == "a fox icon in rust, flat vector, thick outlines");
    CHECK(promptFor(*recipe, product[1]) == "a owl icon in rust, flat vector, thick outlines");
    CHECK(promptFor(*recipe, product[5]) == "a owl icon in ochre, flat vector, thick outlines");

    recipe->combine = Combine::Zip;
    recipe->variables[0].second.pop_back(); // colour: rust, teal
    const auto zipped = combinations(*recipe);
    REQUIRE(zipped.size() == 2);
    CHECK(renderTemplate(recipe->prompt, zipped[0]) == "a fox icon in rust");
    CHECK(renderTemplate(recipe->prompt, zipped[1]) == "a owl icon in teal");

    CHECK(renderTemplate("{{literal}} {x}", {{"x", "y"}}) == "{literal} y");
    CHECK_FALSE(templatePlaceholders("an {open"));
    CHECK_FALSE(templatePlaceholders("a lone } brace"));
    CHECK(*templatePlaceholders("{a}{b}{a}") == std::vector<std::string>{"a", "b", "a"});
}

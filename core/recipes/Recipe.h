#pragma once

#include "catalog/Asset.h"
#include "common/Error.h"
#include "recipes/PostStep.h"
#include "recipes/PostStepRegistry.h"
#include "recipes/RecipeIssues.h"

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace ripen {

// Bounds on untrusted recipe files (RELIABILITY.md: every input is bounded).
inline constexpr std::size_t kMaxRecipeFileBytes = std::size_t{1} << 20;
inline constexpr std::size_t kMaxPromptTemplateBytes = 4000;
inline constexpr std::size_t kMaxPromptBytes = 8000; // a rendered prompt, style included
inline constexpr std::size_t kMaxRecipeVariables = 16;
inline constexpr std::size_t kMaxVariableValues = 1000;
inline constexpr std::size_t kMaxRecipeJobs = 5000; // combinations x sizes x count
inline constexpr int kMaxCountPerCombination = 100;
inline constexpr std::size_t kMaxRecipeReferences = 16;
inline constexpr std::size_t kMaxPostSteps = 16;

inline constexpr std::string_view kRecipeFormat = "ripen.recipe";
inline constexpr int kRecipeVersion = 1;

enum class Combine { Product, Zip };

// Which model a stage of the recipe uses: "concept" (cheap exploration) or "production"
// (the masters). Options are provider settings passed through as GenerationRequest::options.
struct StageModel {
    std::string provider;
    std::string model;
    nlohmann::json options = nlohmann::json::object();
};

enum class RecipeStage { Concept, Production };
std::string_view toString(RecipeStage stage);
std::optional<RecipeStage> recipeStageFromString(std::string_view text);

// One output size: an aspect ratio ("16:9") and/or a provider size ("2K", "1024x1536").
struct RecipeSize {
    std::string aspectRatio;
    std::string imageSize;
};

// A reference image: a file (relative to the recipe's folder) or a library asset.
struct RecipeReference {
    std::string file;             // as written, empty for an asset
    std::optional<AssetId> asset; // "asset:42"
};

struct Recipe {
    std::string name;
    std::string prompt; // template with {variable} placeholders; {{ and }} are braces
    // Variable name -> values, in name order (the product varies the last name fastest).
    std::vector<std::pair<std::string, std::vector<std::string>>> variables;
    Combine combine = Combine::Product;
    std::string style;    // style DNA, appended to every prompt after ", "
    std::string negative; // negative prompt, for every job
    std::optional<StageModel> conceptModel;
    std::optional<StageModel> productionModel;
    std::vector<RecipeSize> sizes;    // never empty after parsing (one default size)
    int count = 1;                    // jobs per combination and size
    std::optional<std::int64_t> seed; // job seed = seed + its index within the combination
    std::vector<RecipeReference> references;
    std::vector<std::shared_ptr<const PostStep>> post;
    // Where relative reference files are resolved (the recipe file's folder).
    std::filesystem::path baseDir;

    const StageModel* model(RecipeStage stage) const {
        return stage == RecipeStage::Concept ? (conceptModel ? &*conceptModel : nullptr)
                                             : (productionModel ? &*productionModel : nullptr);
    }
    // Production when the recipe names a production model, else concept.
    RecipeStage defaultStage() const {
        return productionModel ? RecipeStage::Production : RecipeStage::Concept;
    }
    // The recipe in its file format ("format" and "version" included); parse(toJson())
    // gives back an equal recipe.
    nlohmann::json toJson() const;
};

// The parse of a recipe text: the recipe when it is valid, else every issue found.
struct RecipeCheck {
    std::optional<Recipe> recipe;
    std::vector<std::string> issues; // formatted "file:line: path: message"
};

// Parses and validates recipe text (bounded JSON, unknown fields refused, every problem
// named by file, line and field path). `fileName` is used in messages only.
RecipeCheck checkRecipe(std::string_view text, const std::string& fileName,
                        const std::filesystem::path& baseDir,
                        const PostStepRegistry& postSteps = PostStepRegistry::builtIn());

// As checkRecipe, as a Result whose error lists the issues, one per line.
Result<Recipe> parseRecipe(std::string_view text, const std::string& fileName,
                           const std::filesystem::path& baseDir,
                           const PostStepRegistry& postSteps = PostStepRegistry::builtIn());

// Reads (at most kMaxRecipeFileBytes) and parses a recipe file; references resolve
// against its folder.
Result<Recipe> loadRecipe(const std::filesystem::path& file,
                          const PostStepRegistry& postSteps = PostStepRegistry::builtIn());

} // namespace ripen

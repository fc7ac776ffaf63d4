#include "recipes/Recipe.h"

#include "common/BoundedJson.h"
#include "common/FileIo.h"
#include "common/TextEncoding.h"
#include "recipes/FieldReader.h"
#include "recipes/RecipeTemplate.h"
#include "recipes/internal/JsonLines.h"

#include <algorithm>
#include <charconv>

namespace ripen {
namespace {

constexpr std::int64_t kMaxSeed = (std::int64_t{1} << 53) - 1; // exact in every JSON reader
constexpr int kMaxRecipeDepth = 8;

bool isVariableName(std::string_view name) {
    return !name.empty() && name.size() <= 64 && std::all_of(name.begin(), name.end(), [](char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
               c == '_' || c == '-';
    });
}

std::optional<StageModel> readStageModel(const nlohmann::json& value, const std::string& path,
                                         RecipeIssues& issues) {
    FieldReader reader(value, path, issues);
    StageModel stage;
    auto provider = reader.string("provider", true, 64);
    auto model = reader.string("model", true, 256);
    if (const auto* options = reader.raw("options")) {
        if (options->is_object()) {
            stage.options = *options;
        } else {
            issues.add(reader.pathOf("options"), "expected an object of provider settings");
        }
    }
    reader.finish();
    if (!provider || !model) {
        return std::nullopt;
    }
    stage.provider = *provider;
    stage.model = *model;
    return stage;
}

void readStages(FieldReader& top, Recipe& recipe) {
    const auto* stages = top.raw("stages", true);
    if (stages == nullptr) {
        return;
    }
    FieldReader reader(*stages, "stages", top.issues());
    if (const auto* value = reader.raw("concept")) {
        recipe.conceptModel = readStageModel(*value, reader.pathOf("concept"), top.issues());
    }
    if (const auto* value = reader.raw("production")) {
        recipe.productionModel = readStageModel(*value, reader.pathOf("production"), top.issues());
    }
    if (reader.isObject() && !reader.has("concept") && !reader.has("production")) {
        top.issues().add("stages", "name a \"concept\" or a \"production\" model (or both)");
    }
    reader.finish();
}

void readVariables(FieldReader& top, Recipe& recipe) {
    const auto* variables = top.raw("variables");
    if (variables == nullptr) {
        return;
    }
    if (!variables->is_object()) {
        top.issues().add("variables", "expected an object of name: [values]");
        return;
    }
    if (variables->size() > kMaxRecipeVariables) {
        top.issues().add("variables",
                         "more than " + std::to_string(kMaxRecipeVariables) + " variables");
        return;
    }
    FieldReader reader(*variables, "variables", top.issues());
    for (const auto& [name, values] : variables->items()) {
        if (!isVariableName(name)) {
            top.issues().add(reader.pathOf(name),
                             "a variable name is letters, digits, '_' or '-' (at most 64)");
        }
        if (auto list = reader.strings(name, kMaxVariableValues, 500, true)) {
            recipe.variables.emplace_back(name, std::move(*list));
        }
    }
    reader.finish();
}

void readSizes(FieldReader& top, Recipe& recipe) {
    const auto* sizes = top.raw("sizes");
    if (sizes == nullptr) {
        recipe.sizes.push_back({});
        return;
    }
    if (!sizes->is_array() || sizes->empty() || sizes->size() > 32) {
        top.issues().add("sizes", "expected a list of 1 to 32 {\"aspect\", \"size\"} objects");
        return;
    }
    for (std::size_t i = 0; i < sizes->size(); ++i) {
        const std::string path = elementPath("sizes", i);
        FieldReader reader((*sizes)[i], path, top.issues());
        RecipeSize size;
        size.aspectRatio = reader.string("aspect", false, 16).value_or("");
        size.imageSize = reader.string("size", false, 32).value_or("");
        if (reader.isObject() && size.aspectRatio.empty() && size.imageSize.empty()) {
            top.issues().add(path, "give an \"aspect\" (e.g. \"16:9\"), a \"size\" (\"2K\", "
                                   "\"1024x1536\") or both");
        }
        reader.finish();
        recipe.sizes.push_back(size);
    }
}

std::optional<RecipeReference> parseReference(const std::string& text) {
    if (text.rfind("asset:", 0) != 0) {
        return RecipeReference{text, std::nullopt};
    }
    AssetId id = 0;
    const char* begin = text.data() + 6;
    const char* end = text.data() + text.size();
    const auto [ptr, ec] = std::from_chars(begin, end, id);
    if (ec != std::errc() || ptr != end || id <= 0) {
        return std::nullopt;
    }
    return RecipeReference{"", id};
}

void readReferences(FieldReader& top, Recipe& recipe) {
    auto list = top.strings("references", kMaxRecipeReferences, 1024);
    for (std::size_t i = 0; list && i < list->size(); ++i) {
        if (auto reference = parseReference((*list)[i])) {
            recipe.references.push_back(*reference);
        } else {
            top.issues().add(elementPath("references", i),
                             "expected a file path or \"asset:ID\" with a positive id");
        }
    }
}

void readPost(FieldReader& top, Recipe& recipe, const PostStepRegistry& registry) {
    const auto* post = top.raw("post");
    if (post == nullptr) {
        return;
    }
    if (!post->is_array() || post->size() > kMaxPostSteps) {
        top.issues().add("post",
                         "expected a list of at most " + std::to_string(kMaxPostSteps) + " steps");
        return;
    }
    for (std::size_t i = 0; i < post->size(); ++i) {
        FieldReader reader((*post)[i], elementPath("post", i), top.issues());
        const auto kind = reader.string("step", true, 64);
        if (!kind) {
            continue;
        }
        const PostStepParser* parser = registry.find(*kind);
        if (parser == nullptr) {
            std::string known;
            for (const auto& name : registry.kinds()) {
                known += (known.empty() ? "" : ", ") + name;
            }
            top.issues().add(reader.pathOf("step"),
                             "unknown step \"" + *kind + "\" (known: " + known + ")");
            continue;
        }
        if (auto step = (*parser)(reader)) {
            recipe.post.push_back(std::move(step));
        }
    }
}

// Cross-field rules: placeholders and variables match, zip lists line up, the job count
// and the longest prompt stay within bounds.
void checkConsistency(const Recipe& recipe, RecipeIssues& issues) {
    auto placeholders = templatePlaceholders(recipe.prompt);
    if (!placeholders) {
        issues.add("prompt", placeholders.error().message);
        return;
    }
    for (const auto& name : *placeholders) {
        if (std::none_of(recipe.variables.begin(), recipe.variables.end(),
                         [&](const auto& v) { return v.first == name; })) {
            issues.add("prompt", "{" + name + "} names no variable in \"variables\"");
        }
    }
    for (const auto& [name, values] : recipe.variables) {
        if (std::find(placeholders->begin(), placeholders->end(), name) == placeholders->end()) {
            issues.add("variables." + name, "not used in the prompt (add {" + name + "})");
        }
        if (recipe.combine == Combine::Zip &&
            values.size() != recipe.variables.front().second.size()) {
            issues.add("variables." + name,
                       "\"combine\": \"zip\" needs lists of equal length (" +
                           std::to_string(values.size()) + " here, " +
                           std::to_string(recipe.variables.front().second.size()) + " in \"" +
                           recipe.variables.front().first + "\")");
        }
    }
    std::size_t worst = recipe.prompt.size() + recipe.style.size() + 2;
    for (const auto& name : *placeholders) {
        for (const auto& [variable, values] : recipe.variables) {
            if (variable == name) {
                std::size_t widest = 0;
                for (const auto& value : values) {
                    widest = std::max(widest, value.size());
                }
                worst += widest;
            }
        }
    }
    if (worst > kMaxPromptBytes) {
        issues.add("prompt", "a prompt could reach " + std::to_string(worst) +
                                 " bytes with its longest values and the style; the limit is " +
                                 std::to_string(kMaxPromptBytes));
    }
    const std::size_t combos = combinationCount(recipe);
    const std::size_t perCombo = recipe.sizes.size() * static_cast<std::size_t>(recipe.count);
    if (combos > kMaxRecipeJobs / std::max<std::size_t>(1, perCombo)) {
        issues.add(recipe.variables.empty() ? "count" : "variables",
                   "the recipe makes more than " + std::to_string(kMaxRecipeJobs) +
                       " jobs (combinations x sizes x count); split it into several recipes");
    }
}

void readTop(FieldReader& top, Recipe& recipe, const PostStepRegistry& registry) {
    if (const auto format = top.string("format", true, 64); format && *format != kRecipeFormat) {
        top.issues().add("format", "expected \"" + std::string(kRecipeFormat) + "\"");
    }
    if (const auto version = top.integer("version", 1, 1000, true);
        version && *version != kRecipeVersion) {
        top.issues().add("version", "this Ripen reads recipe version " +
                                        std::to_string(kRecipeVersion) + ", not " +
                                        std::to_string(*version));
    }
    recipe.name = top.string("name", false, 200).value_or("");
    recipe.prompt = top.string("prompt", true, kMaxPromptTemplateBytes).value_or("");
    readVariables(top, recipe);
    if (const auto combine = top.string("combine", false, 16)) {
        if (*combine == "zip") {
            recipe.combine = Combine::Zip;
        } else if (*combine != "product") {
            top.issues().add("combine", "expected \"product\" or \"zip\"");
        }
    }
    recipe.style = top.string("style", false, 2000).value_or("");
    recipe.negative = top.string("negative", false, 2000).value_or("");
    readStages(top, recipe);
    readSizes(top, recipe);
    recipe.count = static_cast<int>(top.integer("count", 1, kMaxCountPerCombination).value_or(1));
    recipe.seed = top.integer("seed", 0, kMaxSeed);
    readReferences(top, recipe);
    readPost(top, recipe, registry);
    top.finish();
}

} // namespace

std::string_view toString(RecipeStage stage) {
    return stage == RecipeStage::Concept ? "concept" : "production";
}

std::optional<RecipeStage> recipeStageFromString(std::string_view text) {
    if (text == "concept") {
        return RecipeStage::Concept;
    }
    if (text == "production") {
        return RecipeStage::Production;
    }
    return std::nullopt;
}

RecipeCheck checkRecipe(std::string_view text, const std::string& fileName,
                        const std::filesystem::path& baseDir, const PostStepRegistry& postSteps) {
    RecipeCheck check;
    auto json = parseBoundedJson(text, fileName, kMaxRecipeDepth, kMaxRecipeFileBytes);
    if (!json) {
        check.issues.push_back(json.error().message);
        return check;
    }
    const JsonLines lines = JsonLines::index(text);
    RecipeIssues issues(fileName, &lines);
    Recipe recipe;
    recipe.baseDir = baseDir;
    FieldReader top(*json, "", issues);
    readTop(top, recipe, postSteps);
    if (issues.empty()) {
        checkConsistency(recipe, issues);
    }
    for (const auto& issue : issues.all()) {
        check.issues.push_back(issues.format(issue));
    }
    if (issues.empty()) {
        check.recipe = std::move(recipe);
    }
    return check;
}

Result<Recipe> parseRecipe(std::string_view text, const std::string& fileName,
                           const std::filesystem::path& baseDir,
                           const PostStepRegistry& postSteps) {
    auto check = checkRecipe(text, fileName, baseDir, postSteps);
    if (!check.recipe) {
        std::string message;
        for (const auto& issue : check.issues) {
            message += (message.empty() ? "" : "\n") + issue;
        }
        return fail(ErrorCode::InvalidArgument, message);
    }
    return std::move(*check.recipe);
}

Result<Recipe> loadRecipe(const std::filesystem::path& file, const PostStepRegistry& postSteps) {
    auto text = readFileBounded(file, kMaxRecipeFileBytes);
    if (!text) {
        return std::unexpected(text.error());
    }
    return parseRecipe(*text, escapeInvalidUtf8(file.filename().native()),
                       file.parent_path().empty() ? std::filesystem::path(".") : file.parent_path(),
                       postSteps);
}

nlohmann::json Recipe::toJson() const {
    nlohmann::json json{{"format", kRecipeFormat}, {"version", kRecipeVersion}, {"prompt", prompt}};
    if (!name.empty()) {
        json["name"] = name;
    }
    if (!variables.empty()) {
        json["variables"] = nlohmann::json::object();
        for (const auto& [variable, values] : variables) {
            json["variables"][variable] = values;
        }
        json["combine"] = combine == Combine::Zip ? "zip" : "product";
    }
    if (!style.empty()) {
        json["style"] = style;
    }
    if (!negative.empty()) {
        json["negative"] = negative;
    }
    json["stages"] = nlohmann::json::object();
    for (const auto stage : {RecipeStage::Concept, RecipeStage::Production}) {
        if (const StageModel* m = model(stage)) {
            nlohmann::json entry{{"provider", m->provider}, {"model", m->model}};
            if (!m->options.empty()) {
                entry["options"] = m->options;
            }
            json["stages"][std::string(toString(stage))] = entry;
        }
    }
    json["sizes"] = nlohmann::json::array();
    for (const auto& size : sizes) {
        nlohmann::json entry = nlohmann::json::object();
        if (!size.aspectRatio.empty()) {
            entry["aspect"] = size.aspectRatio;
        }
        if (!size.imageSize.empty()) {
            entry["size"] = size.imageSize;
        }
        json["sizes"].push_back(entry);
    }
    if (sizes.size() == 1 && sizes.front().aspectRatio.empty() && sizes.front().imageSize.empty()) {
        json.erase("sizes");
    }
    json["count"] = count;
    if (seed) {
        json["seed"] = *seed;
    }
    if (!references.empty()) {
        json["references"] = nlohmann::json::array();
        for (const auto& reference : references) {
            json["references"].push_back(
                reference.asset ? "asset:" + std::to_string(*reference.asset) : reference.file);
        }
    }
    if (!post.empty()) {
        json["post"] = nlohmann::json::array();
        for (const auto& step : post) {
            json["post"].push_back(step->toJson());
        }
    }
    return json;
}

} // namespace ripen

#include "RecipeWorker.h"

#include "catalog/Library.h"
#include "common/Clock.h"
#include "common/FileIo.h"
#include "common/TextEncoding.h"

#include <QMetaObject>
#include <QPointer>
#include <QtConcurrent/QtConcurrentRun>

namespace ripen::ui {

struct RecipeWorker::State {
    std::filesystem::path root;
    std::unique_ptr<ripen::Library> library;

    ripen::Result<ripen::Library*> open() {
        if (!library) {
            auto opened = ripen::Library::open(root);
            if (!opened) {
                return std::unexpected(opened.error());
            }
            library = std::move(*opened);
        }
        return library.get();
    }
};

namespace {

// "recipe.json:14: variables.colour: ..." -> 14 (1 when the issue names no line).
int lineOf(const std::string& issue, const std::string& fileName) {
    std::size_t pos = issue.rfind(fileName + ":", 0) == 0 ? fileName.size() + 1 : 0;
    int line = 0;
    while (pos < issue.size() && issue[pos] >= '0' && issue[pos] <= '9') {
        line = line * 10 + (issue[pos++] - '0');
    }
    return line > 0 ? line : 1;
}

struct Checked {
    std::optional<ripen::Recipe> recipe;
    ripen::RecipeStage stage = ripen::RecipeStage::Concept;
    ripen::RunSettings settings;
};

Checked checkSource(const RecipeSource& source, RecipeOutcome& outcome) {
    Checked checked;
    checked.settings.project = source.project;
    if (source.manifest) {
        const nlohmann::json& manifest = *source.manifest;
        auto recipe = ripen::expandRecipe(manifest, source.values);
        if (!recipe) {
            outcome.issues.push_back(recipe.error().message);
            outcome.lines.push_back(1);
            return checked;
        }
        checked.recipe = std::move(*recipe);
        checked.stage = ripen::recipeStageFromString(manifest.value("stage", ""))
                            .value_or(checked.recipe->defaultStage());
        checked.settings.client = manifest.value("client", "");
        checked.settings.recipeFile = manifest.value("recipe_file", "");
        checked.settings.expandedFrom = manifest.value("run", "");
        return checked;
    }
    const std::string fileName =
        source.file.empty() ? std::string("untitled.json") : source.file.filename().string();
    auto check = ripen::checkRecipe(source.text, fileName, source.file.parent_path());
    for (const auto& issue : check.issues) {
        outcome.issues.push_back(issue);
        outcome.lines.push_back(lineOf(issue, fileName));
    }
    if (check.recipe) {
        checked.recipe = std::move(check.recipe);
        checked.stage = checked.recipe->defaultStage();
        checked.settings.recipeFile = ripen::escapeInvalidUtf8(source.file.native());
    }
    return checked;
}

} // namespace

RecipeWorker::RecipeWorker(std::filesystem::path libraryRoot, QObject* parent)
    : QObject(parent), m_root(std::move(libraryRoot)), m_state(std::make_shared<State>()) {
    m_state->root = m_root;
    m_pool.setMaxThreadCount(1); // one connection, used in order
}

RecipeWorker::~RecipeWorker() {
    m_pool.waitForDone();
}

void RecipeWorker::setServices(const ripen::PriceBook* prices, const ripen::ModelCatalog* models) {
    m_prices = prices;
    m_models = models;
}

template <class T>
void RecipeWorker::post(std::function<T(State&)> work, std::function<void(T)> done) {
    ++m_pending;
    (void)QtConcurrent::run(
        &m_pool, [this, state = m_state, work = std::move(work), done = std::move(done)]() mutable {
            auto result = std::make_shared<T>(work(*state));
            QMetaObject::invokeMethod(
                this,
                [this, result, done = std::move(done)] {
                    --m_pending;
                    done(std::move(*result));
                },
                Qt::QueuedConnection);
        });
}

void RecipeWorker::check(RecipeSource source, std::function<void(RecipeOutcome)> done) {
    post<RecipeOutcome>(
        [source = std::move(source), prices = m_prices, models = m_models](State& state) {
            RecipeOutcome outcome;
            auto checked = checkSource(source, outcome);
            if (!checked.recipe) {
                return outcome;
            }
            if (const auto* model = checked.recipe->model(checked.stage)) {
                outcome.provider = model->provider;
            }
            if (prices == nullptr) {
                outcome.error = "the price book is still loading";
                return outcome;
            }
            auto library = state.open();
            ripen::PlanSettings settings{checked.stage, source.project, checked.settings.client,
                                         models, ripen::formatUtc(ripen::unixMillis(), "%Y-%m-%d")};
            auto plan =
                ripen::planRecipe(*checked.recipe, *prices, library ? *library : nullptr, settings);
            if (!plan) {
                outcome.error = plan.error().message;
            } else {
                outcome.plan = std::move(*plan);
            }
            return outcome;
        },
        std::move(done));
}

void RecipeWorker::queue(RecipeSource source, std::function<void(RecipeOutcome)> done) {
    post<RecipeOutcome>(
        [source = std::move(source), prices = m_prices, models = m_models](State& state) {
            RecipeOutcome outcome;
            auto checked = checkSource(source, outcome);
            if (!checked.recipe || prices == nullptr) {
                return outcome;
            }
            auto library = state.open();
            if (!library) {
                outcome.error = library.error().message;
                return outcome;
            }
            ripen::PlanSettings settings{checked.stage, source.project, checked.settings.client,
                                         models, ripen::formatUtc(ripen::unixMillis(), "%Y-%m-%d")};
            auto plan = ripen::planRecipe(*checked.recipe, *prices, *library, settings);
            if (!plan) {
                outcome.error = plan.error().message;
                return outcome;
            }
            outcome.plan = std::move(*plan);
            if (!outcome.plan->budget.allowed) {
                return outcome; // refused before anything is queued
            }
            ripen::RecipeRunner runner(**library, *prices);
            auto run = runner.queue(*checked.recipe, *outcome.plan, checked.settings);
            if (!run) {
                outcome.error = run.error().message;
            } else {
                outcome.run = std::move(*run);
            }
            return outcome;
        },
        std::move(done));
}

void RecipeWorker::readText(std::filesystem::path file,
                            std::function<void(ripen::Result<std::string>)> done) {
    post<ripen::Result<std::string>>(
        [file = std::move(file)](State&) {
            return ripen::readFileBounded(file, ripen::kMaxRecipeFileBytes);
        },
        std::move(done));
}

void RecipeWorker::writeText(std::filesystem::path file, std::string text,
                             std::function<void(ripen::Status)> done) {
    post<ripen::Status>([file = std::move(file), text = std::move(text)](
                            State&) { return ripen::writeFileAtomically(file, text); },
                        std::move(done));
}

void RecipeWorker::readManifest(std::filesystem::path file,
                                std::function<void(ripen::Result<nlohmann::json>)> done) {
    post<ripen::Result<nlohmann::json>>(
        [file = std::move(file), prices = m_prices](State& state) -> ripen::Result<nlohmann::json> {
            auto manifest = ripen::readRunManifest(file);
            if (!manifest || prices == nullptr) {
                return manifest;
            }
            // A run of this library: its jobs' states and assets as the catalog has them now.
            auto library = state.open();
            if (!library) {
                return manifest;
            }
            ripen::RecipeRunner runner(**library, *prices);
            std::error_code ec;
            if (!std::filesystem::equivalent(runner.manifestPath(manifest->value("run", "")),
                                             file, ec)) {
                return manifest;
            }
            auto fresh = runner.refreshManifest(manifest->value("run", ""));
            return fresh ? std::move(fresh) : std::move(manifest);
        },
        std::move(done));
}

void RecipeWorker::listRuns(
    std::function<void(ripen::Result<std::vector<ripen::RecipeRunSummary>>)> done) {
    post<ripen::Result<std::vector<ripen::RecipeRunSummary>>>(
        [](State& state) -> ripen::Result<std::vector<ripen::RecipeRunSummary>> {
            auto library = state.open();
            if (!library) {
                return std::unexpected(library.error());
            }
            return ripen::listRecipeRuns(**library);
        },
        std::move(done));
}

} // namespace ripen::ui

#pragma once

#include "credits/PriceBook.h"
#include "providers/ModelCatalog.h"
#include "recipes/RecipePlan.h"
#include "recipes/RecipeRunList.h"
#include "recipes/RecipeRunner.h"

#include <QObject>
#include <QString>
#include <QThreadPool>
#include <filesystem>
#include <functional>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace ripen::ui {

using VariableSets = std::vector<std::pair<std::string, std::vector<std::string>>>;

// What a recipe comes from: its text as edited (file names the messages and resolves
// references), or a run's manifest with new variable values (an expansion).
struct RecipeSource {
    std::string text;
    std::filesystem::path file; // may be empty for an unsaved recipe
    std::optional<nlohmann::json> manifest;
    VariableSets values;
    std::string project;
};

// A recipe checked and, when valid, planned against the price book and the budgets.
struct RecipeOutcome {
    std::vector<std::string> issues; // "file:line: field: message"
    std::vector<int> lines;          // the line of each issue, 1-based
    std::optional<ripen::RecipePlan> plan;
    std::string error; // the plan could not be made (a missing price, a size the model refuses)
    std::string provider;
    std::optional<ripen::QueuedRun> run; // set by queue() once the jobs are in the catalog
};

// The Recipes view's core work, on one worker thread with its own library connection
// (opened on first use): checking and planning recipes, queuing runs through core's
// RecipeRunner, reading and writing recipe files and manifests, listing runs. Each answer
// comes back on the GUI thread through the callback given with the request, dropped when
// the worker is gone.
//
// Thread affinity: GUI thread. The price book and the model catalog must outlive the
// worker (the bridge's job lane holds them); the destructor waits for the work in hand.
class RecipeWorker final : public QObject {
    Q_OBJECT
public:
    RecipeWorker(std::filesystem::path libraryRoot, QObject* parent = nullptr);
    ~RecipeWorker() override;

    void setServices(const ripen::PriceBook* prices, const ripen::ModelCatalog* models);
    bool hasServices() const { return m_prices != nullptr; }
    bool isBusy() const { return m_pending > 0; }

    void check(RecipeSource source, std::function<void(RecipeOutcome)> done);
    // Checks and plans again, then queues the run unless the budget refuses it (the
    // outcome then has the plan and its verdict and no run).
    void queue(RecipeSource source, std::function<void(RecipeOutcome)> done);
    void readText(std::filesystem::path file, std::function<void(ripen::Result<std::string>)> done);
    void writeText(std::filesystem::path file, std::string text,
                   std::function<void(ripen::Status)> done);
    void readManifest(std::filesystem::path file,
                      std::function<void(ripen::Result<nlohmann::json>)> done);
    void listRuns(std::function<void(ripen::Result<std::vector<ripen::RecipeRunSummary>>)> done);

private:
    struct State;
    template <class T> void post(std::function<T(State&)> work, std::function<void(T)> done);

    std::filesystem::path m_root;
    std::shared_ptr<State> m_state; // touched only on the worker
    QThreadPool m_pool;
    const ripen::PriceBook* m_prices = nullptr;
    const ripen::ModelCatalog* m_models = nullptr;
    int m_pending = 0;
};

} // namespace ripen::ui

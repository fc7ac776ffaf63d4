#include "recipes/RecipeRunList.h"

#include "catalog/internal/SqliteDatabase.h"

#include <map>

namespace ripen {

Result<std::vector<RecipeRunSummary>> listRecipeRuns(Library& library, int limit) {
    sqlite::Database& db = library.catalog().database();
    auto runs = db.prepare(R"sql(
        SELECT r.id, r.name, r.stage, r.state, r.project, coalesce(r.expanded_from, ''),
               r.created_at,
               (SELECT count(*) FROM jobs j WHERE j.recipe_run = r.id),
               (SELECT count(*) FROM jobs j WHERE j.recipe_run = r.id AND j.state = 'succeeded'),
               (SELECT count(*) FROM jobs j WHERE j.recipe_run = r.id
                   AND j.state IN ('failed', 'canceled', 'interrupted'))
        FROM recipe_runs r ORDER BY r.created_at DESC, r.id DESC LIMIT ?)sql");
    if (!runs) {
        return std::unexpected(runs.error());
    }
    runs->bind(1, limit);
    auto list = runs->collect<RecipeRunSummary>([](sqlite::Statement& row) {
        RecipeRunSummary run;
        run.id = row.text(0);
        run.name = row.text(1);
        run.stage = row.text(2);
        run.state = row.text(3);
        run.project = row.text(4);
        run.expandedFrom = row.text(5);
        run.createdAtMs = row.int64(6);
        run.jobs = static_cast<int>(row.int64(7));
        run.succeeded = static_cast<int>(row.int64(8));
        run.failed = static_cast<int>(row.int64(9));
        return run;
    });
    if (!list) {
        return std::unexpected(list.error());
    }
    auto assets = db.prepare(R"sql(
        SELECT j.recipe_run, ja.asset_id FROM jobs j JOIN job_assets ja ON ja.job_id = j.id
        WHERE j.recipe_run IS NOT NULL ORDER BY j.id, ja.asset_id)sql");
    if (!assets) {
        return std::unexpected(assets.error());
    }
    std::map<std::string, RecipeRunSummary*> byId;
    for (auto& run : *list) {
        byId[run.id] = &run;
    }
    while (true) {
        auto row = assets->step();
        if (!row) {
            return std::unexpected(row.error());
        }
        if (!*row) {
            break;
        }
        if (const auto run = byId.find(assets->text(0)); run != byId.end()) {
            run->second->assets.push_back(assets->int64(1));
        }
    }
    return list;
}

} // namespace ripen

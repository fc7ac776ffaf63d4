#pragma once

#include "catalog/Asset.h"
#include "catalog/Library.h"
#include "common/Error.h"

#include <cstdint>
#include <string>
#include <vector>

namespace ripen {

// One recipe run as the catalog records it, with how far its jobs got and what they made.
struct RecipeRunSummary {
    std::string id;
    std::string name;
    std::string stage; // "concept" or "production"
    std::string state; // "queued" or "finished"
    std::string project;
    std::string expandedFrom;
    std::int64_t createdAtMs = 0;
    int jobs = 0;
    int succeeded = 0;
    int failed = 0;              // failed, canceled or interrupted
    std::vector<AssetId> assets; // the assets its jobs stored, in job order
};

// The library's recipe runs, newest first (at most `limit`), each with its jobs' states and
// assets. One read transaction; nothing is changed.
Result<std::vector<RecipeRunSummary>> listRecipeRuns(Library& library, int limit = 200);

} // namespace ripen

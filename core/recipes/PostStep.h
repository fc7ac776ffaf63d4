#pragma once

#include "catalog/Asset.h"
#include "common/Error.h"
#include "providers/GenerationRequest.h"

#include <filesystem>
#include <functional>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

namespace ripen {

class Library;

// One asset flowing through the post steps of a recipe run: the output of a generation
// job (or of the step before), with a file-name stem that says which job made it
// ("003-fox-rust-1").
struct PostStepItem {
    AssetId asset = 0;
    std::string name;
};

// What a post step may use while it runs. `runJobs` queues requests through the job queue
// (estimate, budget check and reservation, charged to the run's project and client, tagged
// with the run) and waits for them; it returns, per request, the assets the job made
// (empty for a failed job).
struct PostStepRuntime {
    Library& library;
    std::string runId;
    std::filesystem::path exportDir; // <library>/exports/<run-id>, created on demand
    std::function<Result<std::vector<std::vector<AssetId>>>(const std::vector<GenerationRequest>&)>
        runJobs;
};

struct PostStepResult {
    std::vector<PostStepItem> outputs; // what the next step works on
    nlohmann::json record;             // written into the run manifest under "post"
};

// A step applied to the assets of a recipe run after generation: upscale, export, and (on
// other branches) mockups and background swaps. A step is immutable once parsed.
class PostStep {
public:
    virtual ~PostStep() = default;

    virtual std::string kind() const = 0;
    // The step as the recipe spells it, "step" included; parsing this again gives the same step.
    virtual nlohmann::json toJson() const = 0;
    // The queue jobs the step will add for `inputs` assets, for the plan's cost and time
    // (input images are filled in at run time). Steps that run no job return none.
    virtual std::vector<GenerationRequest> plannedJobs(std::size_t inputs) const {
        (void)inputs;
        return {};
    }
    virtual Result<PostStepResult> run(PostStepRuntime& runtime,
                                       const std::vector<PostStepItem>& inputs) const = 0;
};

} // namespace ripen

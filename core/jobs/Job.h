#pragma once

#include "catalog/Asset.h"
#include "credits/Money.h"
#include "providers/GenerationRequest.h"

#include <nlohmann/json.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace ripen {

using JobId = std::int64_t;

// planned -> queued -> submitting -> running(operation id) -> storing -> succeeded, or
// failed / canceled / interrupted. Each state is persisted before the effect it announces:
// "submitting" is written before the request leaves, "running" with the operation id as
// soon as the provider answers, "storing" with the result files before they are moved.
enum class JobState { Queued, Submitting, Running, Storing, Succeeded, Failed, Canceled, Interrupted };

std::string_view toString(JobState state);
std::optional<JobState> jobStateFromString(std::string_view text);
bool isFinal(JobState state);

struct Job {
    JobId id = 0;
    std::string key;   // UUID: idempotency key and client id, stable across retries
    std::string batch; // the enqueue call that created it
    GenerationRequest request;
    JobState state = JobState::Queued;
    int priority = 0;
    std::string project;
    std::string client;
    Stage stage = Stage::Concept;
    std::string operationId; // remote id of a long-running operation
    std::string endpoint;    // the base URL the job was sent to
    int attempts = 0;        // submissions so far
    int polls = 0;
    std::int64_t notBeforeMs = 0; // backoff, Retry-After or next poll; survives restarts
    bool cancelRequested = false;
    Micros estimate = 0;
    Micros estimateUsd = 0;
    std::string unit = "USD";
    std::optional<Micros> cost; // settled charge in `unit`
    nlohmann::json result = nlohmann::json::object(); // result files while storing, info
    std::string error;
    std::int64_t createdAtMs = 0;
    std::int64_t updatedAtMs = 0;
    std::vector<AssetId> assets;
    std::string recipeRun; // recipe_runs.id when a recipe queued the job
};

} // namespace ripen

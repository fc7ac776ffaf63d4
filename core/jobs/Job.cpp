#include "jobs/Job.h"

#include <array>
#include <utility>

namespace ripen {
namespace {

constexpr std::array<std::pair<JobState, std::string_view>, 8> kNames{{
    {JobState::Queued, "queued"},
    {JobState::Submitting, "submitting"},
    {JobState::Running, "running"},
    {JobState::Storing, "storing"},
    {JobState::Succeeded, "succeeded"},
    {JobState::Failed, "failed"},
    {JobState::Canceled, "canceled"},
    {JobState::Interrupted, "interrupted"},
}};

} // namespace

std::string_view toString(JobState state) {
    for (const auto& [s, name] : kNames) {
        if (s == state) {
            return name;
        }
    }
    return "queued";
}

std::optional<JobState> jobStateFromString(std::string_view text) {
    for (const auto& [s, name] : kNames) {
        if (name == text) {
            return s;
        }
    }
    return std::nullopt;
}

bool isFinal(JobState state) {
    return state == JobState::Succeeded || state == JobState::Failed ||
           state == JobState::Canceled;
}

} // namespace ripen

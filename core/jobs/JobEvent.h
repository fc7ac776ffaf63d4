#pragma once

#include "jobs/Job.h"

#include <optional>
#include <string>
#include <vector>

namespace ripen {

// A change a subscriber may want to show: sent from worker threads, in order per job.
struct JobEvent {
    JobId id = 0;
    JobState state = JobState::Queued;
    std::string message;
    std::optional<double> progress; // 0..1
    std::vector<AssetId> assets;    // when succeeded
    // This event's cause (a full disk) paused new paid submissions: the runner sends nothing
    // new until it is resumed, so a view must say why the queue stopped moving.
    bool pausedSubmissions = false;
};

} // namespace ripen

#pragma once

#include "CliServices.h"
#include "ProgressLine.h"
#include "jobs/JobRunner.h"

#include <set>

namespace ripen::cli {

// Runs the queue until idle and prints the contract lines for finished jobs:
//   done <job-id> <asset-id>      (one line per asset)
//   failed <job-id>: <reason>
//   interrupted <job-id>: <reason>
//   canceled <job-id>: <reason>
// `only` limits the lines to those jobs (empty: every job). With `progress`, the progress
// the runner publishes for those jobs goes to it as well (ended before each result
// line). Returns the run summary for the printed jobs.
Result<RunSummary> runQueueAndReport(CliServices& services, const std::set<JobId>& only,
                                     ProgressLine* progress = nullptr);

} // namespace ripen::cli

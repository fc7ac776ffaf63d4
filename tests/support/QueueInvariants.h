#pragma once

#include <filesystem>
#include <map>
#include <string>

namespace ripen::test {

// What a restart found, for the test's report.
struct QueueCensus {
    int succeeded = 0;
    int storing = 0;     // paid results waiting to be saved
    int interrupted = 0; // charge unknown: waiting for the user
    int interruptedUnexecuted = 0; // of those, the ones the server never executed
    int resultsRecovered = 0; // "submitting" with their result on disk, now "storing"
    int unfinished = 0;  // queued, running or submitting (after recovery)
    int other = 0;       // failed, canceled
};

// The invariants of RELIABILITY.md D1/D2/D4 after a crash or a fault, checked (Catch2
// CHECKs) as a restarted runner would see the library at `root`, against what the fake
// server executed: `executions` maps each job's prompt (unique per job) to the requests the
// server answered, each a billable execution.
// - the catalog passes integrity_check; `expectedJobs` jobs, each in exactly one known state;
// - no job was sent twice; a job the server executed is succeeded, storing (its result
//   file still in the job's work folder) or interrupted (the user decides), never queued
//   again; a succeeded job was executed;
// - the ledger holds one charge per succeeded job and no other job carries a cost;
// - every succeeded job's asset file is complete: its size and SHA-256 match the catalog.
// Runs the restart's recovery first (JobStore::recoverAfterCrash: submitting -> storing,
// queued or interrupted), as `ripen-cli queue run` would; a job it queues again must never
// have been executed.
QueueCensus checkQueueInvariants(const std::filesystem::path& root,
                                 const std::map<std::string, int>& executions, int expectedJobs);

} // namespace ripen::test

#pragma once

namespace ripen::ui {

// Lowers the calling worker thread's CPU priority below the GUI thread's, once per thread:
// nice +10 on Linux (per thread there; the level Android gives its background threads).
// Batch work (the job runner and the requests it starts, the job store, imports, exports,
// renders) then gets the cores only when the GUI thread does not want them, so that a burst
// of landing results cannot keep input and painting waiting for a core. On an otherwise idle
// machine nothing changes: a lower priority only matters when threads compete. Threads the
// worker starts afterwards inherit the priority. Work the user is waiting on right now (the
// reader lane's queries, visible thumbnails) keeps the normal priority.
//
// Does nothing where the system has no per-thread priority or refuses the change.
void lowerCurrentThreadPriority();

} // namespace ripen::ui

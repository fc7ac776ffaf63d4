#pragma once

#include "ArgParser.h"
#include "CliServices.h"
#include "catalog/Library.h"
#include "common/Error.h"
#include "jobs/Job.h"

#include <filesystem>
#include <optional>
#include <string>
#include <string_view>

namespace ripen::cli {

// The image an edit or upscale works on: --asset ID (an image of the library) or
// --image FILE (imported first, or found there by content). Errors name the option.
Result<Asset> imageToEdit(const ArgParser& args, Library& library);

// Copies the first asset of a finished job to `out` in one atomic step.
Status writeJobResult(Library& library, JobId job, const std::filesystem::path& out);

// Runs the queue until `job` finishes (printing its done/failed line), then copies its
// result to `out` when given ("wrote FILE"). Returns the exit status; a failure is
// printed as "ripen-cli COMMAND: reason". A non-empty `progressLabel` (the engine) turns
// on ProgressLine's lines on stderr while the job runs.
int runJobAndWrite(CliServices& services, JobId job, const std::optional<std::string>& out,
                   std::string_view command, std::string_view progressLabel = {});

} // namespace ripen::cli

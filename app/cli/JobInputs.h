#pragma once

#include "ArgParser.h"
#include "catalog/Library.h"
#include "common/Error.h"
#include "jobs/Job.h"

#include <filesystem>

namespace ripen::cli {

// The image an edit or upscale works on: --asset ID (an image of the library) or
// --image FILE (imported first, or found there by content). Errors name the option.
Result<Asset> imageToEdit(const ArgParser& args, Library& library);

// Copies the first asset of a finished job to `out` in one atomic step.
Status writeJobResult(Library& library, JobId job, const std::filesystem::path& out);

} // namespace ripen::cli

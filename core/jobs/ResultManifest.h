#pragma once

#include "common/Error.h"

#include <cstdint>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <optional>

namespace ripen {

// A paid result that reached the job's work folder (jobs/<key>/) but whose "storing" state
// was never committed (a kill right after the file was renamed into place, a full disk
// under the catalog) is found again at the next start instead of being written off as
// "interrupted (charge unknown)".
//
// The runner writes result.json (temp + fsync + rename) beside the files as soon as the
// provider has answered, before it commits "storing": the result as the job records it,
// plus each file's size and SHA-256. Without it, files the providers saved under their own
// names (generated-<hex>.png, written the same way, so complete under their final name)
// are taken when each decodes to its end.
class ResultManifest {
public:
    static constexpr const char* kFileName = "result.json";

    // Writes `result` (the job's result JSON: "files" with "path" and "mime", usage...)
    // into `workDir`, each file's "bytes" and "sha256" added. Errors: Io, DiskFull, or
    // those of reading a file back.
    static Status write(const std::filesystem::path& workDir, const nlohmann::json& result);

    // The result a crash left in `workDir` for a submission whose request left at
    // `sentAtMs` (JobStore::markSent), or nullopt when there is any doubt:
    // - result.json whose files are all in `workDir` with their recorded size and hash;
    // - else, when `bareFilesAllowed`, the generated-<hex>.<png|jpg|webp> files written
    //   since `sentAtMs` that decode completely, as a result with unknown usage (settled at
    //   the price book's estimate) and "recovered" in its info.
    // A file of an earlier attempt, a damaged or missing file: nullopt.
    static std::optional<nlohmann::json> recover(const std::filesystem::path& workDir,
                                                 std::int64_t sentAtMs, bool bareFilesAllowed);
};

} // namespace ripen

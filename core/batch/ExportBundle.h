#pragma once

#include "common/Error.h"

#include <cstdint>
#include <ctime>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace ripen {

// One line of a bundle's manifest.csv.
struct BundleManifestRow {
    std::string name; // path inside the zip: "files/poster.png", "mockups/mug.png"
    std::uint64_t bytes = 0;
    int width = 0; // pixels; 0 for a file that is not an image (a PDF)
    int height = 0;
    std::optional<double> dpi; // what the file states (PNG pHYs, EXIF); none when it does not
    std::string sha256;        // lowercase hex of the file's bytes
};

// The manifest as CSV: "file,bytes,width,height,dpi,sha256", one row per file, RFC 4180
// quoting, empty cells where a value is unknown.
std::string bundleManifestCsv(const std::vector<BundleManifestRow>& rows);

// Writes a delivery zip at `zipFile`: `files` under files/, `mockups` under mockups/ (each
// by its file name; a repeated name gets -2, -3 before its extension) and manifest.csv
// at the top. Each file is read bounded by kMaxImageFileBytes; image sizes come from the
// headers. The zip appears complete or not at all. `modified` as ZipWriter::create.
// Errors: InvalidArgument when both lists are empty; what reading a file reports (naming
// it); the zip's own errors (naming the archive).
Result<std::vector<BundleManifestRow>>
writeExportBundle(const std::vector<std::filesystem::path>& files,
                  const std::vector<std::filesystem::path>& mockups,
                  const std::filesystem::path& zipFile, std::time_t modified = 0);

} // namespace ripen

#include "batch/ExportBundle.h"

#include "batch/ZipWriter.h"
#include "catalog/EmbeddedProvenance.h"
#include "common/FileIo.h"
#include "common/Sha256.h"
#include "imaging/ImageHeader.h"
#include "imaging/ImageLimits.h"

#include <cstdio>
#include <set>

namespace ripen {
namespace {

std::string csvCell(const std::string& text) {
    if (text.find_first_of(",\"\r\n") == std::string::npos) {
        return text;
    }
    std::string out = "\"";
    for (const char c : text) {
        out += c == '"' ? std::string("\"\"") : std::string(1, c);
    }
    return out + "\"";
}

// "files/name.png", or "files/name-2.png" when that is taken.
std::string uniqueName(const std::string& folder, const std::filesystem::path& file,
                       std::set<std::string>& taken) {
    const std::string stem = file.stem().string();
    const std::string extension = file.extension().string();
    std::string name = folder + "/" + stem + extension;
    for (int n = 2; taken.contains(name); ++n) {
        name = folder + "/" + stem + "-" + std::to_string(n) + extension;
    }
    taken.insert(name);
    return name;
}

BundleManifestRow describe(const std::string& name, const std::string& bytes) {
    BundleManifestRow row;
    row.name = name;
    row.bytes = bytes.size();
    row.sha256 = Sha256::ofBytes(bytes);
    if (auto header = readImageHeader(bytes)) {
        row.width = static_cast<int>(header->width);
        row.height = static_cast<int>(header->height);
        if (auto found = EmbeddedProvenance::read(bytes, catalogFormatName(header->format))) {
            row.dpi = found->dpi;
        }
    }
    return row;
}

} // namespace

std::string bundleManifestCsv(const std::vector<BundleManifestRow>& rows) {
    std::string csv = "file,bytes,width,height,dpi,sha256\r\n";
    for (const auto& row : rows) {
        char dpi[32] = "";
        if (row.dpi) {
            std::snprintf(dpi, sizeof dpi, "%.0f", *row.dpi);
        }
        csv += csvCell(row.name) + "," + std::to_string(row.bytes) + "," +
               (row.width > 0 ? std::to_string(row.width) : "") + "," +
               (row.height > 0 ? std::to_string(row.height) : "") + "," + dpi + "," + row.sha256 +
               "\r\n";
    }
    return csv;
}

Result<std::vector<BundleManifestRow>>
writeExportBundle(const std::vector<std::filesystem::path>& files,
                  const std::vector<std::filesystem::path>& mockups,
                  const std::filesystem::path& zipFile, std::time_t modified) {
    if (files.empty() && mockups.empty()) {
        return fail(ErrorCode::InvalidArgument, "a bundle needs at least one file");
    }
    auto zip = ZipWriter::create(zipFile, modified);
    if (!zip) {
        return std::unexpected(zip.error());
    }
    std::vector<BundleManifestRow> rows;
    std::set<std::string> taken;
    for (const auto& [folder, list] :
         {std::pair{"files", &files}, std::pair{"mockups", &mockups}}) {
        for (const auto& file : *list) {
            auto bytes = readFileBounded(file, kMaxImageFileBytes);
            if (!bytes) {
                return std::unexpected(bytes.error());
            }
            const std::string name = uniqueName(folder, file, taken);
            if (auto added = zip->add(name, *bytes); !added) {
                return std::unexpected(withContext(added.error(), zipFile.string()));
            }
            rows.push_back(describe(name, *bytes));
        }
    }
    if (auto added = zip->add("manifest.csv", bundleManifestCsv(rows)); !added) {
        return std::unexpected(withContext(added.error(), zipFile.string()));
    }
    if (auto committed = zip->commit(); !committed) {
        return std::unexpected(committed.error());
    }
    return rows;
}

} // namespace ripen

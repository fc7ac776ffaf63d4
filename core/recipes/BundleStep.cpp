#include "recipes/BundleStep.h"

#include "batch/ExportBundle.h"
#include "batch/PlatformSizes.h"
#include "recipes/PostStepFiles.h"

#include <algorithm>
#include <ctime>
#include <system_error>

namespace ripen {

namespace {

// The regular files directly in `dir` whose extension is not `.zip`, sorted by name; none
// when `dir` does not exist.
std::vector<std::filesystem::path> filesIn(const std::filesystem::path& dir) {
    std::vector<std::filesystem::path> files;
    std::error_code ec;
    for (const auto& entry : std::filesystem::directory_iterator(dir, ec)) {
        if (entry.is_regular_file(ec) && entry.path().extension() != ".zip") {
            files.push_back(entry.path());
        }
    }
    std::sort(files.begin(), files.end());
    return files;
}

} // namespace

std::shared_ptr<const PostStep> parseBundleStep(FieldReader& reader) {
    const auto name = reader.string("name", false, 200);
    reader.finish();
    if (reader.has("name") && !name) {
        return nullptr;
    }
    return std::make_shared<BundleStep>(name.value_or(""));
}

nlohmann::json BundleStep::toJson() const {
    nlohmann::json json{{"step", kind()}};
    if (!m_name.empty()) {
        json["name"] = m_name;
    }
    return json;
}

Result<PostStepResult> BundleStep::run(PostStepRuntime& runtime,
                                       const std::vector<PostStepItem>& inputs) const {
    const auto files = filesIn(runtime.exportDir);
    const auto mockups = filesIn(runtime.exportDir / "mockups");
    if (files.empty() && mockups.empty()) {
        return fail(ErrorCode::InvalidArgument,
                    "nothing to bundle: put an export, background, mockup or contactsheet step "
                    "before the bundle");
    }
    const auto zip =
        runtime.exportDir / (fileSlug(m_name.empty() ? runtime.runId : m_name) + ".zip");
    auto rows = writeExportBundle(files, mockups, zip, std::time(nullptr));
    if (!rows) {
        return std::unexpected(rows.error());
    }
    PostStepResult result{inputs, toJson()};
    result.record["file"] = libraryRelative(runtime, zip);
    result.record["entries"] = nlohmann::json::array();
    for (const auto& row : *rows) {
        result.record["entries"].push_back(
            {{"name", row.name}, {"bytes", row.bytes}, {"sha256", row.sha256}});
    }
    return result;
}

} // namespace ripen

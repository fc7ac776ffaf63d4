#include "catalog/Importer.h"

#include "catalog/AssetIngest.h"
#include "catalog/internal/ImportWalker.h"
#include "common/TextEncoding.h"

namespace ripen {
namespace {

ImportOutcome skipped(std::string display, Error error) {
    ImportOutcome outcome;
    outcome.displayPath = std::move(display);
    outcome.error = std::move(error);
    return outcome;
}

} // namespace

Importer::Importer(Library& library) : m_library(library) {}

ImportOutcome Importer::importFile(const std::filesystem::path& file, const ImportOptions& options,
                                   ProgressSink& progress) {
    const std::string display = escapeInvalidUtf8(file.native());
    Asset base;
    base.project = options.project;
    base.client = options.client;
    base.stage = options.stage;
    base.tags = options.tags;
    base.sourcePath = display;
    Result<AssetId> id = [&]() -> Result<AssetId> {
        try {
            auto prepared = AssetIngest(m_library).prepare(file, std::move(base), progress);
            if (!prepared) {
                return std::unexpected(prepared.error());
            }
            return m_library.catalog().addAsset(*prepared);
        } catch (const std::exception& e) {
            // Third-party code (OpenCV, the standard library) may throw; the import goes on.
            return fail(ErrorCode::Internal, std::string("unexpected failure: ") + e.what());
        }
    }();
    if (!id) {
        return skipped(display, id.error());
    }
    ImportOutcome outcome;
    outcome.imported = true;
    outcome.displayPath = display;
    outcome.id = *id;
    return outcome;
}

ImportSummary Importer::importPaths(std::span<const std::filesystem::path> paths,
                                    const ImportOptions& options, const OutcomeHandler& onOutcome,
                                    ProgressSink& progress) {
    ImportSummary summary;
    const auto entries = ImportWalker::collect(paths);
    const auto total = static_cast<std::int64_t>(entries.size());
    std::int64_t done = 0;
    for (const auto& entry : entries) {
        if (progress.cancelled()) {
            summary.cancelled = true;
            break;
        }
        const ImportOutcome outcome =
            entry.unreadableFolder ? skipped(escapeInvalidUtf8(entry.path.native()), entry.problem)
                                   : importFile(entry.path, options, progress);
        outcome.imported ? ++summary.imported : ++summary.skipped;
        if (onOutcome) {
            onOutcome(outcome);
        }
        progress.report(++done, total, outcome.displayPath);
    }
    return summary;
}

} // namespace ripen

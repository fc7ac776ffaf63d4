#include "JobInputs.h"

#include "Command.h"
#include "InputAssets.h"
#include "QueueReporter.h"
#include "common/FileIo.h"
#include "common/TextEncoding.h"
#include "imaging/ImageLimits.h"
#include "jobs/JobStore.h"

#include <iostream>

namespace ripen::cli {

// The image to edit: an asset of the library, or a file brought into it first.
Result<Asset> imageToEdit(const ArgParser& args, Library& library) {
    if (auto id = args.value("asset")) {
        AssetId assetId = 0;
        try {
            assetId = std::stoll(*id);
        } catch (const std::exception&) {
            return fail(ErrorCode::InvalidArgument, "--asset takes an asset id, not '" + *id + "'");
        }
        auto asset = library.catalog().asset(assetId);
        if (asset && asset->kind != AssetKind::Image) {
            return fail(ErrorCode::InvalidArgument, "asset " + *id + " is a " +
                                                        std::string(toString(asset->kind)) +
                                                        ", not an image");
        }
        return asset;
    }
    auto copy = libraryCopyOf(library, *args.value("image"), AssetKind::Image);
    if (!copy) {
        return std::unexpected(copy.error());
    }
    auto found = library.catalog().findBySha256(copy->stem().string());
    if (!found || !*found) {
        return std::unexpected(found ? Error{ErrorCode::Internal, "the imported image vanished"}
                                     : found.error());
    }
    return library.catalog().asset(**found);
}

// Copies the job's result asset to --out in one atomic step.
Status writeJobResult(Library& library, JobId job, const std::filesystem::path& out) {
    auto finished = JobStore(library).job(job);
    if (!finished) {
        return std::unexpected(finished.error());
    }
    if (finished->assets.empty()) {
        return fail(ErrorCode::NotFound, "job " + std::to_string(job) + " has no result");
    }
    auto asset = library.catalog().asset(finished->assets.front());
    if (!asset) {
        return std::unexpected(asset.error());
    }
    auto bytes = readFileBounded(library.blobFile(*asset), kMaxImageFileBytes);
    if (!bytes) {
        return std::unexpected(bytes.error());
    }
    return writeFileAtomically(out, *bytes);
}

int runJobAndWrite(CliServices& services, JobId job, const std::optional<std::string>& out,
                   std::string_view command, std::string_view progressLabel) {
    const auto failure = [&](const std::string& message) {
        std::cerr << "ripen-cli " << command << ": " << message << "\n";
        return kExitFailure;
    };
    std::optional<ProgressLine> progress;
    if (!progressLabel.empty()) {
        progress.emplace(std::string(progressLabel), std::cerr, ProgressLine::stderrIsTerminal());
    }
    auto summary = runQueueAndReport(services, {job}, progress ? &*progress : nullptr);
    if (!summary) {
        return failure(summary.error().message);
    }
    if (summary->succeeded != 1) {
        return kExitFailure;
    }
    if (out) {
        if (auto written = writeJobResult(*services.library, job, *out); !written) {
            return failure(written.error().message);
        }
        std::cout << "wrote " << escapeInvalidUtf8(*out) << "\n";
    }
    return kExitOk;
}

} // namespace ripen::cli

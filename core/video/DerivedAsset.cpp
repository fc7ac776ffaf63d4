#include "video/DerivedAsset.h"

#include "catalog/AssetIngest.h"
#include "common/FileIo.h"
#include "common/Sha256.h"
#include "common/TextEncoding.h"

#include <cerrno>
#include <unistd.h>

namespace ripen {
namespace {

Result<std::string> sha256OfFile(const std::filesystem::path& file) {
    auto fd = openRegularFileForReading(file);
    if (!fd) {
        return std::unexpected(fd.error());
    }
    Sha256 hash;
    std::string buffer(1 << 20, '\0');
    while (true) {
        const ssize_t n = ::read(fd->get(), buffer.data(), buffer.size());
        if (n < 0 && errno == EINTR) {
            continue;
        }
        if (n < 0) {
            return std::unexpected(errnoError(errno, "cannot read", file));
        }
        if (n == 0) {
            return hash.hexDigest();
        }
        hash.update(std::string_view(buffer.data(), static_cast<std::size_t>(n)));
    }
}

} // namespace

Result<AssetId> addDerivedAsset(Library& library, const std::filesystem::path& file,
                                const Asset& source, const Derivation& derivation,
                                ProgressSink& progress) {
    Asset base;
    base.sourcePath = escapeInvalidUtf8(file.native());
    base.project = source.project;
    base.client = source.client;
    base.stage = derivation.stage;
    base.parents = {source.id};
    base.generation.provider = "ripen";
    base.generation.modelId = derivation.operation;
    base.generation.prompt = source.generation.prompt;
    base.generation.params = derivation.params;
    AssetIngest ingest(library);
    auto prepared = ingest.prepare(file, base, progress);
    if (prepared) {
        return library.catalog().addAsset(*prepared);
    }
    if (prepared.error().code != ErrorCode::Duplicate) {
        return std::unexpected(prepared.error());
    }
    // The same render twice (x264 is deterministic): the earlier asset already holds it.
    auto sha = sha256OfFile(file);
    if (!sha) {
        return std::unexpected(sha.error());
    }
    auto found = ingest.existing(*sha);
    if (!found || !*found) {
        return std::unexpected(found ? prepared.error() : found.error());
    }
    return **found;
}

} // namespace ripen

// Blobs a crash left without an asset row (renamed into blobs/, row never committed) are
// collected once they are an hour old; nothing an asset or a job needs is ever touched.
#include "catalog/BlobCollector.h"

#include "catalog/AssetIngest.h"
#include "catalog/CatalogBackup.h"
#include "catalog/Library.h"
#include "support/Process.h"
#include "support/TempDir.h"
#include "support/TestImages.h"

#include <catch2/catch.hpp>

using namespace ripen;
using namespace ripen::test;

namespace {

struct Blob {
    std::filesystem::path file;
    std::string sha256;
};

// Saved into the store as an ingest does before its commit, and the commit never came.
Blob orphan(Library& library, int seed) {
    const std::string png = encodeTestImage(makeTestImage(24, 24, seed), ".png");
    auto stored = library.blobs().storeBytes(png, "png");
    REQUIRE(stored);
    return {library.blobs().absolutePath(stored->relativePath), stored->sha256};
}

// An imported asset: blob, thumbnail and row.
Blob asset(Library& library, const TempDir& dir, int seed) {
    const auto source = dir / ("source-" + std::to_string(seed) + ".png");
    writeTestImage(source, makeTestImage(24, 24, seed));
    NullProgress progress;
    auto prepared = AssetIngest(library).prepare(source, Asset{}, progress);
    REQUIRE(prepared);
    REQUIRE(library.catalog().addAsset(*prepared));
    return {library.root() / prepared->blobPath, prepared->sha256};
}

void age(const std::filesystem::path& file, std::chrono::minutes by) {
    std::filesystem::last_write_time(file, std::filesystem::file_time_type::clock::now() - by);
}

} // namespace

TEST_CASE("catalog gc removes old unreferenced blobs and temp files, never a referenced one",
          "[catalog][gc]") {
    TempDir dir;
    auto opened = Library::open(dir / "library");
    REQUIRE(opened);
    Library& library = **opened;
    const Blob kept = asset(library, dir, 1);
    age(kept.file, std::chrono::minutes(600));
    const Blob old = orphan(library, 2);
    age(old.file, std::chrono::minutes(61));
    const Blob young = orphan(library, 3);
    age(young.file, std::chrono::minutes(50));
    // The input of a job still to be sent, whose asset row is gone.
    const Blob input = orphan(library, 4);
    age(input.file, std::chrono::minutes(120));
    REQUIRE(library.catalog().database().exec(
        "INSERT INTO jobs(job_key, batch, provider, model, kind, request_json, state, "
        "estimate_micros, estimate_usd_micros, created_at, updated_at) VALUES ('k', 'b', "
        "'openai', 'gpt-image-1', 'edit_image', json_object('images', json_array('" +
        input.file.string() + "')), 'queued', 0, 0, 0, 0)"));
    const auto temp = library.root() / "blobs" / ".incoming" / "blob-crashed";
    writeBytes(temp, "half a blob");
    age(temp, std::chrono::minutes(90));
    const auto stranger = library.root() / "blobs" / "ab" / "notes.txt";
    std::filesystem::create_directories(stranger.parent_path());
    writeBytes(stranger, "not the store's");
    age(stranger, std::chrono::minutes(600));

    auto report = BlobCollector(library).collect();
    REQUIRE(report);
    CHECK(report->blobsRemoved == 1);
    CHECK(report->bytesRemoved > 0);
    CHECK(report->tempFilesRemoved == 1);
    CHECK(report->youngKept == 1);
    CHECK_FALSE(std::filesystem::exists(old.file));
    CHECK_FALSE(std::filesystem::exists(temp));
    CHECK(std::filesystem::exists(kept.file));
    CHECK(std::filesystem::exists(library.thumbnailFile(kept.sha256)));
    CHECK(std::filesystem::exists(young.file));
    CHECK(std::filesystem::exists(input.file));
    CHECK(std::filesystem::exists(stranger));

    SECTION("an ingest that adopts an old orphan makes it young again") {
        const Blob again = orphan(library, 3); // the same bytes as `young`
        age(again.file, std::chrono::minutes(300));
        REQUIRE(orphan(library, 3).file == again.file);
        auto second = BlobCollector(library).collect();
        REQUIRE(second);
        CHECK(second->blobsRemoved == 0);
        CHECK(std::filesystem::exists(again.file));
    }
    SECTION("from the command line") {
        age(young.file, std::chrono::minutes(70));
        // Today's backup is taken, so ripen-cli's own daily collection (DailyMaintenance)
        // is not due and `catalog gc` is what removes it.
        REQUIRE(CatalogBackup::take(library.root()));
        const auto run =
            runProcess({ripenCli(), "--library", library.root().string(), "catalog", "gc"});
        INFO(run.out << run.err);
        CHECK(run.exitCode == 0);
        CHECK_THAT(run.out, Catch::Contains("removed 1 unreferenced blob(s)"));
        CHECK_FALSE(std::filesystem::exists(young.file));
        CHECK(std::filesystem::exists(kept.file));
    }
}

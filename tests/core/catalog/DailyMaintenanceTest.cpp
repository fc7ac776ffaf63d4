// Unreferenced blobs go by themselves, once a day, right after the daily backup, and never
// while a restore's replaced catalog is kept (its newer assets' blobs may still be needed).
#include "catalog/DailyMaintenance.h"

#include "catalog/Library.h"
#include "support/Process.h"
#include "support/TempDir.h"
#include "support/TestImages.h"

#include <catch2/catch.hpp>

using namespace ripen;
using namespace ripen::test;

namespace {

// A blob saved as an ingest does before its commit, and the commit never came; `minutes` old.
std::filesystem::path orphan(Library& library, int seed, int minutes) {
    const std::string png = encodeTestImage(makeTestImage(20, 20, seed), ".png");
    auto stored = library.blobs().storeBytes(png, "png");
    REQUIRE(stored);
    const auto file = library.blobs().absolutePath(stored->relativePath);
    std::filesystem::last_write_time(file, std::filesystem::file_time_type::clock::now() -
                                               std::chrono::minutes(minutes));
    return file;
}

} // namespace

TEST_CASE("the daily backup is followed by the collection of old unreferenced blobs",
          "[catalog][gc][maintenance]") {
    TempDir dir;
    auto opened = Library::open(dir / "library");
    REQUIRE(opened);
    Library& library = **opened;
    const auto old = orphan(library, 1, 90);
    const auto young = orphan(library, 2, 10);

    auto first = DailyMaintenance::runIfDue(library);
    REQUIRE(first);
    CHECK(first->backup);
    REQUIRE(first->collected);
    CHECK(first->collected->blobsRemoved == 1);
    CHECK(first->collectionSkipped.empty());
    CHECK_FALSE(std::filesystem::exists(old));
    CHECK(std::filesystem::exists(young));

    // Later the same day: no backup is due, so the store is not walked again.
    const auto later = orphan(library, 3, 120);
    auto second = DailyMaintenance::runIfDue(library);
    REQUIRE(second);
    CHECK_FALSE(second->backup);
    CHECK_FALSE(second->collected);
    CHECK(std::filesystem::exists(later));

    SECTION("a kept replaced catalog stops it") {
        writeBytes(library.root() / "catalog.sqlite.damaged-20261124-101500", "old catalog");
        auto due = DailyMaintenance::runIfDue(library, 0);
        REQUIRE(due);
        CHECK(due->backup);
        CHECK_FALSE(due->collected);
        CHECK_THAT(due->collectionSkipped,
                   Catch::Contains("catalog.sqlite.damaged-20261124-101500"));
        CHECK(std::filesystem::exists(later));
    }
    SECTION("ripen-cli runs it when it opens the library") {
        opened->reset();
        for (const auto& backup : CatalogBackup::list(dir / "library")) {
            std::filesystem::remove(backup.file);
        }
        const auto run =
            runProcess({ripenCli(), "--library", (dir / "library").string(), "queue", "run"});
        INFO(run.out << run.err);
        CHECK(run.exitCode == 0);
        CHECK_THAT(run.err, Catch::Contains("removed 1 unreferenced blob(s)"));
        CHECK_FALSE(std::filesystem::exists(later));
        CHECK(std::filesystem::exists(young));
        CHECK(CatalogBackup::list(dir / "library").size() == 1);
    }
}

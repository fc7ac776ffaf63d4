// RELIABILITY.md D6: a damaged catalog is found when the library opens, before anything
// reads or writes it, and the user is told which file is damaged and which verified backup
// restores it (ripen-cli catalog restore). Structural damage (b-tree page headers) must
// be found every time; random bit flips land partly in bytes no check can see without page
// checksums (free space, text values), so for those the test asserts a clean outcome
// either way and reports the detection rate.
#include "catalog/CatalogBackup.h"
#include "catalog/Library.h"
#include "support/Process.h"
#include "support/TempDir.h"
#include "support/TestImages.h"

#include <catch2/catch.hpp>
#include <random>

using namespace ripen;
using namespace ripen::test;

namespace {

constexpr std::size_t kPageSize = 4096;

// A library with a few dozen imported images and one verified backup.
std::filesystem::path makeLibrary(const TempDir& dir) {
    const auto images = dir / "images";
    std::filesystem::create_directories(images);
    for (int i = 0; i < 40; ++i) {
        writeTestImage(images / ("shot-" + std::to_string(i) + ".png"), makeTestImage(40, 30, i));
    }
    const auto root = dir / "library";
    const auto imported =
        runProcess({ripenCli(), "--library", root.string(), "import", images.string()});
    REQUIRE(imported.exitCode == 0);
    REQUIRE(runProcess({ripenCli(), "--library", root.string(), "catalog", "backup"}).exitCode ==
            0);
    // Everything checkpointed into catalog.sqlite, as after a clean exit.
    auto library = Library::open(root);
    REQUIRE(library);
    REQUIRE((*library)->catalog().database().exec("PRAGMA wal_checkpoint(TRUNCATE)"));
    return root;
}

std::string damaged(std::string bytes, std::mt19937& rng, bool structural) {
    const std::size_t pages = bytes.size() / kPageSize;
    std::uniform_int_distribution<std::size_t> page(1, pages - 1); // page 1 is the header
    if (structural) {
        // The b-tree page header: type, first freeblock, cell count, content start.
        const std::size_t at = page(rng) * kPageSize;
        bytes[at + std::uniform_int_distribution<std::size_t>(0, 7)(rng)] ^= char(0x5a);
        return bytes;
    }
    std::uniform_int_distribution<std::size_t> offset(100, bytes.size() - 1);
    for (int i = 0; i < 4; ++i) {
        bytes[offset(rng)] ^= char(1u << (rng() % 8));
    }
    return bytes;
}

// ripen-cli refused the library, naming the damaged file and how to restore it.
bool refusedWithRestoreAdvice(const ProcessResult& run) {
    return run.exitCode != 0 && run.err.find("catalog.sqlite") != std::string::npos &&
           run.err.find("ripen-cli catalog restore") != std::string::npos &&
           run.err.find("backups/catalog-") != std::string::npos;
}

} // namespace

TEST_CASE("damaged catalogs are detected at start-up and the backup to restore is named",
          "[reliability][corrupt]") {
    TempDir dir;
    const auto root = makeLibrary(dir);
    const auto catalog = root / "catalog.sqlite";
    const std::string good = readBytes(catalog);
    REQUIRE(good.size() >= 4 * kPageSize);
    std::mt19937 rng(77);
    const std::vector<std::string> list{ripenCli(), "--library", root.string(), "list"};

    SECTION("structural damage: every one is found") {
        for (int trial = 0; trial < 15; ++trial) {
            INFO("trial " << trial);
            writeBytes(catalog, damaged(good, rng, true));
            const auto run = runProcess(list);
            INFO(run.err);
            CHECK(refusedWithRestoreAdvice(run));
        }
    }
    SECTION("random bit flips: found, or harmless to what the catalog says it holds") {
        int detected = 0;
        const int trials = 15;
        for (int trial = 0; trial < trials; ++trial) {
            writeBytes(catalog, damaged(good, rng, false));
            const auto run = runProcess(list);
            if (refusedWithRestoreAdvice(run)) {
                ++detected;
            } else {
                INFO("trial " << trial << ": " << run.err);
                CHECK(run.exitCode == 0); // never a crash or a half-answer
            }
        }
        WARN("random bit flips detected at start-up: " << detected << "/" << trials);
    }
    SECTION("a restore from the named backup gives a healthy library again") {
        writeBytes(catalog, damaged(good, rng, true));
        REQUIRE(refusedWithRestoreAdvice(runProcess(list)));
        const auto restored =
            runProcess({ripenCli(), "--library", root.string(), "catalog", "restore"});
        INFO(restored.out << restored.err);
        CHECK(restored.exitCode == 0);
        const auto after = runProcess(list);
        CHECK(after.exitCode == 0);
        CHECK(CatalogBackup::checkCatalog(root));
    }
    SECTION("a lost -wal after a crash: the catalog opens healthy at its last checkpoint") {
        {
            auto library = Library::open(root);
            REQUIRE(library);
            // A change that lives only in the -wal when the file disappears.
            REQUIRE((*library)->catalog().database().exec("PRAGMA wal_autocheckpoint=0"));
            REQUIRE((*library)->catalog().database().exec(
                "UPDATE assets SET rating = 5 WHERE id = (SELECT min(id) FROM assets)"));
            std::filesystem::copy_file(root / "catalog.sqlite", dir / "main-only.sqlite");
        }
        std::filesystem::remove(root / "catalog.sqlite-wal");
        std::filesystem::copy_file(dir / "main-only.sqlite", catalog,
                                   std::filesystem::copy_options::overwrite_existing);
        const auto run = runProcess(list);
        INFO(run.err);
        CHECK(run.exitCode == 0);
        CHECK(CatalogBackup::checkCatalog(root));
    }
}

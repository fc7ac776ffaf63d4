// ripen-cli as scripts use it: the output forms and exit codes are a contract.
#include "catalog/Library.h"
#include "catalog/internal/SqliteDatabase.h"
#include "common/Sha256.h"
#include "imaging/PngChunks.h"
#include "support/Process.h"
#include "support/TempDir.h"
#include "support/TestImages.h"

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include <opencv2/imgcodecs.hpp>

#include <signal.h>
#include <sys/stat.h>
#include <unistd.h>

#include <chrono>
#include <random>
#include <sstream>
#include <thread>

using namespace ripen;
using namespace ripen::test;

namespace {

ProcessResult cli(const std::filesystem::path& library, std::vector<std::string> args) {
    std::vector<std::string> argv{ripenCli(), "--library", library.string()};
    argv.insert(argv.end(), args.begin(), args.end());
    return runProcess(argv);
}

std::vector<nlohmann::json> listJson(const std::filesystem::path& library,
                                     std::vector<std::string> filters = {}) {
    filters.insert(filters.begin(), {"list", "--json"});
    const auto result = cli(library, filters);
    REQUIRE(result.exitCode == 0);
    std::vector<nlohmann::json> rows;
    for (const auto& line : outputLines(result.out)) {
        rows.push_back(nlohmann::json::parse(line));
    }
    return rows;
}

std::string pngWithParameters(int seed, const std::string& parameters) {
    auto png = PngChunks::withTextChunk(encodeTestImage(makeTestImage(96, 64, seed), ".png"),
                                        "parameters", parameters);
    REQUIRE(png);
    return *png;
}

} // namespace

TEST_CASE("ripen-cli documents every command and option", "[cli]") {
    const auto help = runProcess({ripenCli(), "--help"});
    CHECK(help.exitCode == 0);
    for (const char* word : {"import", "list", "export", "--library", "--version"}) {
        CHECK_THAT(help.out, Catch::Contains(word));
    }
    const auto importHelp = runProcess({ripenCli(), "import", "--help"});
    CHECK(importHelp.exitCode == 0);
    for (const char* word : {"--project", "--client", "--stage", "--tag", "skipped <path>"}) {
        CHECK_THAT(importHelp.out, Catch::Contains(word));
    }
    const auto listHelp = runProcess({ripenCli(), "list", "--help"});
    for (const char* word : {"--json", "--search", "--project", "--min-rating"}) {
        CHECK_THAT(listHelp.out, Catch::Contains(word));
    }
    CHECK_THAT(runProcess({ripenCli(), "export", "--help"}).out, Catch::Contains("ASSET-ID PATH"));
    CHECK_THAT(runProcess({ripenCli(), "--version"}).out, Catch::Contains("ripen-cli"));
}

TEST_CASE("ripen-cli refuses a wrong command line with exit status 2", "[cli]") {
    TempDir dir;
    CHECK(cli(dir / "lib", {"frobnicate"}).exitCode == 2);
    const auto badOption = cli(dir / "lib", {"list", "--jsn"});
    CHECK(badOption.exitCode == 2);
    CHECK_THAT(badOption.err, Catch::Contains("--jsn"));
    CHECK(cli(dir / "lib", {"import"}).exitCode == 2);
    CHECK(cli(dir / "lib", {"import", "--stage", "sketch", "x.png"}).exitCode == 2);
    CHECK(cli(dir / "lib", {"export", "twelve", "out.png"}).exitCode == 2);
}

TEST_CASE("import prints one line per file and exit 3 when anything was skipped", "[cli]") {
    TempDir dir;
    writeTestImage(dir / "a.png", makeTestImage(64, 64, 1));
    writeTestImage(dir / "b.jpg", makeTestImage(64, 64, 2));
    const auto first = cli(dir / "lib", {"import", "--project", "Kit", "--stage", "concept",
                                         (dir / "a.png").string(), (dir / "b.jpg").string()});
    CHECK(first.exitCode == 0);
    const auto out = outputLines(first.out);
    REQUIRE(out.size() == 2);
    CHECK_THAT(out[0], Catch::Matches("imported [0-9]+ .*/a\\.png"));
    CHECK_THAT(out[1], Catch::Matches("imported [0-9]+ .*/b\\.jpg"));

    writeBytes(dir / "broken.png", "\x89PNG\r\n\x1a\n truncated");
    const auto second =
        cli(dir / "lib", {"import", (dir / "a.png").string(), (dir / "broken.png").string()});
    CHECK(second.exitCode == 3);
    const auto skipped = outputLines(second.out);
    REQUIRE(skipped.size() == 2);
    CHECK_THAT(skipped[0], Catch::Matches("skipped .*/a\\.png: already in the library as asset [0-9]+"));
    CHECK_THAT(skipped[1], Catch::StartsWith("skipped " + (dir / "broken.png").string() + ": "));

    const auto rows = listJson(dir / "lib");
    REQUIRE(rows.size() == 2);
    for (const auto& row : rows) {
        for (const char* key : {"id", "path", "kind", "width", "height", "prompt", "project",
                                "stage", "rating", "flag"}) {
            CHECK(row.contains(key));
        }
        CHECK(row["project"] == "Kit");
        CHECK(row["stage"] == "concept");
        CHECK(std::filesystem::exists(row["path"].get<std::string>()));
    }
}

TEST_CASE("list filters by search text and project", "[cli]") {
    TempDir dir;
    writeBytes(dir / "fox.png",
               pngWithParameters(1, "a red fox in the snow\nSteps: 20, Seed: 7, Size: 96x64"));
    writeBytes(dir / "owl.png",
               pngWithParameters(2, "an owl at night\nSteps: 20, Seed: 8, Size: 96x64"));
    REQUIRE(cli(dir / "lib", {"import", "--project", "Animals", (dir / "fox.png").string()})
                .exitCode == 0);
    REQUIRE(cli(dir / "lib", {"import", (dir / "owl.png").string()}).exitCode == 0);

    auto fox = listJson(dir / "lib", {"--search", "fox"});
    REQUIRE(fox.size() == 1);
    CHECK(fox[0]["prompt"] == "a red fox in the snow");
    CHECK(fox[0]["seed"] == 7);
    CHECK(listJson(dir / "lib", {"--project", "Animals"}).size() == 1);
    CHECK(listJson(dir / "lib", {"--search", "snow owl"}).empty());
    CHECK(listJson(dir / "lib").size() == 2);

    const auto table = cli(dir / "lib", {"list"});
    CHECK(table.exitCode == 0);
    CHECK(outputLines(table.out).size() == 2);
    CHECK_THAT(table.out, Catch::Contains("an owl at night"));
}

TEST_CASE("export writes provenance that import reads back, pixels untouched", "[cli][metadata]") {
    TempDir dir;
    const std::string parameters =
        "studio shot of a ceramic mug, soft light\nNegative prompt: text, logo\n"
        "Steps: 30, Sampler: Euler a, CFG scale: 5, Seed: 987654321, Size: 96x64, "
        "Model: juggernautXL_v9";
    writeBytes(dir / "mug.png", pngWithParameters(3, parameters));
    const auto imported = cli(dir / "lib1", {"import", (dir / "mug.png").string()});
    REQUIRE(imported.exitCode == 0);
    const std::string id = outputLines(imported.out).at(0).substr(9, outputLines(imported.out)[0].find(' ', 9) - 9);

    const auto exported = cli(dir / "lib1", {"export", id, (dir / "out.png").string()});
    REQUIRE(exported.exitCode == 0);
    CHECK(exported.out == "exported " + id + " " + (dir / "out.png").string() + "\n");

    const auto original = cv::imread((dir / "mug.png").string(), cv::IMREAD_UNCHANGED);
    const auto copy = cv::imread((dir / "out.png").string(), cv::IMREAD_UNCHANGED);
    REQUIRE(copy.size() == original.size());
    CHECK(cv::norm(original, copy, cv::NORM_INF) == 0);

    REQUIRE(cli(dir / "lib2", {"import", (dir / "out.png").string()}).exitCode == 0);
    const auto rows = listJson(dir / "lib2");
    REQUIRE(rows.size() == 1);
    CHECK(rows[0]["prompt"] == "studio shot of a ceramic mug, soft light");
    CHECK(rows[0]["negative_prompt"] == "text, logo");
    CHECK(rows[0]["seed"] == 987654321);
    CHECK(rows[0]["model_id"] == "juggernautXL_v9");
    CHECK(rows[0]["params"]["Sampler"] == "Euler a");
}

TEST_CASE("export keeps a JPEG byte for byte and refuses what it cannot do", "[cli]") {
    TempDir dir;
    writeTestImage(dir / "photo.jpg", makeTestImage(80, 60, 5));
    const auto imported = cli(dir / "lib", {"import", (dir / "photo.jpg").string()});
    REQUIRE(imported.exitCode == 0);
    const std::string id = outputLines(imported.out).at(0).substr(9, outputLines(imported.out)[0].find(' ', 9) - 9);

    std::filesystem::create_directories(dir / "out");
    const auto intoFolder = cli(dir / "lib", {"export", id, (dir / "out").string()});
    REQUIRE(intoFolder.exitCode == 0);
    CHECK(readBytes(dir / "out" / "photo.jpg") == readBytes(dir / "photo.jpg"));

    const auto wrongType = cli(dir / "lib", {"export", id, (dir / "photo.png").string()});
    CHECK(wrongType.exitCode == 1);
    CHECK_THAT(wrongType.err, Catch::Contains(".jpg"));
    CHECK_FALSE(std::filesystem::exists(dir / "photo.png"));

    const auto missing = cli(dir / "lib", {"export", "424242", (dir / "x.jpg").string()});
    CHECK(missing.exitCode == 1);
    CHECK_THAT(missing.err, Catch::Contains("424242"));

    // A damaged library file is caught before it reaches a client.
    const auto rows = listJson(dir / "lib");
    writeBytes(rows.at(0)["path"].get<std::string>(), "damaged");
    const auto damaged = cli(dir / "lib", {"export", id, (dir / "again.jpg").string()});
    CHECK(damaged.exitCode == 1);
    CHECK_THAT(damaged.err, Catch::Contains("SHA-256"));
    CHECK_FALSE(std::filesystem::exists(dir / "again.jpg"));
}

TEST_CASE("a catalog from a newer Ripen is refused with a clear message", "[cli]") {
    TempDir dir;
    REQUIRE(cli(dir / "lib", {"list"}).exitCode == 0);
    {
        auto db = sqlite::Database::open(dir / "lib" / "catalog.sqlite",
                                         sqlite::Database::Mode::ReadWrite);
        REQUIRE(db);
        REQUIRE(db->exec("PRAGMA user_version = 50"));
    }
    const auto refused = cli(dir / "lib", {"list"});
    CHECK(refused.exitCode == 1);
    CHECK_THAT(refused.err, Catch::Contains("newer Ripen"));
}

TEST_CASE("an unreadable folder is reported and the rest imports", "[cli]") {
    TempDir dir;
    std::filesystem::create_directories(dir / "in" / "locked");
    writeTestImage(dir / "in" / "ok.png", makeTestImage(40, 40, 1));
    writeTestImage(dir / "in" / "locked" / "hidden.png", makeTestImage(40, 40, 2));
    std::vector<std::string> argv{ripenCli(), "--library", (dir / "lib").string(), "import",
                                  (dir / "in").string()};
    if (::geteuid() == 0) {
        // Root reads every folder, so the import runs as the unprivileged user "nobody".
        if (runProcess({"runuser", "-u", "nobody", "--", "true"}).exitCode != 0) {
            WARN("runuser is not available; skipping");
            return;
        }
        std::filesystem::permissions(dir.path(), std::filesystem::perms::all);
        std::filesystem::permissions(dir / "in", std::filesystem::perms::all);
        argv.insert(argv.begin(), {"runuser", "-u", "nobody", "--"});
    }
    std::filesystem::permissions(dir / "in" / "locked", std::filesystem::perms::owner_all);
    const auto result = runProcess(argv);
    CHECK(result.exitCode == 3);
    CHECK_THAT(result.out, Catch::Contains("imported ") && Catch::Contains("ok.png"));
    CHECK_THAT(result.out, Catch::Contains("skipped " + (dir / "in" / "locked").string() +
                                           ": cannot read folder"));
}

TEST_CASE("an import killed at random moments never leaves a half-written library",
          "[cli][crash]") {
    TempDir dir;
    constexpr int kFiles = 40;
    for (int i = 0; i < kFiles; ++i) {
        writeTestImage(dir / "in" / ("img" + std::to_string(100 + i) + ".png"),
                       makeTestImage(384, 384, i));
    }
    std::mt19937 rng(20261125);
    std::uniform_int_distribution<int> delayMs(10, 300);
    const std::vector<std::string> argv{ripenCli(), "--library", (dir / "lib").string(),
                                        "import", (dir / "in").string()};
    for (int round = 0; round < 20; ++round) {
        const int pid = startProcess(argv);
        std::this_thread::sleep_for(std::chrono::milliseconds(delayMs(rng)));
        ::kill(pid, SIGKILL);
        waitProcess(pid);

        auto library = Library::open(dir / "lib");
        REQUIRE(library);
        REQUIRE((*library)->catalog().verifyIntegrity());
        auto assets = (*library)->catalog().find({});
        REQUIRE(assets);
        for (const auto& asset : *assets) {
            // Every row points at a complete file whose content matches its hash.
            CHECK(Sha256::ofBytes(readBytes((*library)->blobFile(asset))) == asset.sha256);
            CHECK(std::filesystem::exists((*library)->thumbnailFile(asset.sha256)));
        }
    }
    // Finishing the import brings in exactly the files that were missing.
    const auto finish = runProcess(argv);
    CHECK((finish.exitCode == 0 || finish.exitCode == 3));
    CHECK(listJson(dir / "lib").size() == kFiles);
    // Every file under its final name is complete: its content hashes to its name. (Temp
    // files of killed runs may remain in blobs/.incoming; they are swept once stale.)
    for (const auto& entry : std::filesystem::recursive_directory_iterator(dir / "lib" / "blobs")) {
        if (entry.is_regular_file() && entry.path().parent_path().filename() != ".incoming") {
            CHECK(Sha256::ofBytes(readBytes(entry.path())) == entry.path().stem().string());
        }
    }
}

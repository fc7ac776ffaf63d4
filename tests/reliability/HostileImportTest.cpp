// RELIABILITY.md I8/I9 gaps the importer tests leave: symlink loops (file and folder), a
// file that keeps growing while it is imported, and proof that an import writes nothing
// outside the library folder.
#include "catalog/Importer.h"
#include "catalog/Library.h"
#include "common/ProgressSink.h"
#include "common/Sha256.h"
#include "support/TempDir.h"
#include "support/TestImages.h"

#include <atomic>
#include <catch2/catch.hpp>
#include <fstream>
#include <thread>

using namespace ripen;
using namespace ripen::test;

namespace {

std::vector<ImportOutcome> importFolder(Library& library, const std::filesystem::path& folder) {
    std::vector<ImportOutcome> outcomes;
    NullProgress progress;
    const std::vector<std::filesystem::path> paths{folder};
    Importer(library).importPaths(
        paths, {}, [&](const ImportOutcome& o) { outcomes.push_back(o); }, progress);
    return outcomes;
}

// Every file under `root` with its size: what an import may not change outside the library.
std::map<std::string, std::uintmax_t> snapshot(const std::filesystem::path& root) {
    std::map<std::string, std::uintmax_t> files;
    const auto options = std::filesystem::directory_options::skip_permission_denied;
    for (auto it = std::filesystem::recursive_directory_iterator(root, options);
         it != std::filesystem::recursive_directory_iterator(); ++it) {
        if (it->is_symlink()) {
            continue;
        }
        if (it->path().filename() == "library") {
            it.disable_recursion_pending();
            continue;
        }
        if (it->is_regular_file()) {
            files[it->path().string()] = it->file_size();
        }
    }
    return files;
}

} // namespace

TEST_CASE("symlink loops are reported and the import ends", "[reliability][hostile]") {
    TempDir dir;
    const auto in = dir / "in";
    std::filesystem::create_directories(in / "deeper");
    writeTestImage(in / "real.png", makeTestImage(40, 30, 1));
    std::filesystem::create_symlink("self.png", in / "self.png");
    std::filesystem::create_symlink("b.png", in / "a.png");
    std::filesystem::create_symlink("a.png", in / "b.png");
    std::filesystem::create_symlink("..", in / "deeper" / "up");  // a folder cycle
    std::filesystem::create_symlink(in, in / "deeper" / "again"); // and another
    const auto before = snapshot(dir.path());
    auto library = Library::open(dir / "library");
    REQUIRE(library);
    const auto start = std::chrono::steady_clock::now();
    const auto outcomes = importFolder(**library, in);
    CHECK(std::chrono::steady_clock::now() - start < std::chrono::seconds(20));
    int imported = 0;
    for (const auto& o : outcomes) {
        INFO(o.displayPath << ": " << o.error.message);
        imported += o.imported;
        if (!o.imported) {
            CHECK_FALSE(o.error.message.empty()); // every skip says why
        }
    }
    CHECK(imported == 1);
    CHECK(*(*library)->catalog().count({}) == 1);
    CHECK(snapshot(dir.path()) == before); // nothing written outside the library
}

TEST_CASE("a file growing during import is either refused or stored exactly as hashed",
          "[reliability][hostile]") {
    TempDir dir;
    const auto in = dir / "in";
    std::filesystem::create_directories(in);
    const auto growing = in / "growing.png";
    writeBytes(growing, encodeTestImage(makeTestImage(300, 200, 5), ".png"));
    auto library = Library::open(dir / "library");
    REQUIRE(library);
    std::atomic<bool> stop{false};
    std::jthread writer([&] {
        std::ofstream out(growing, std::ios::binary | std::ios::app);
        const std::string junk(64 * 1024, '\x42'); // bytes after IEND, as a copy in progress
        while (!stop) {
            out.write(junk.data(), static_cast<std::streamsize>(junk.size()));
            out.flush();
            std::this_thread::sleep_for(std::chrono::milliseconds(1));
        }
    });
    const auto start = std::chrono::steady_clock::now();
    const auto outcomes = importFolder(**library, in);
    stop = true;
    writer.join();
    CHECK(std::chrono::steady_clock::now() - start < std::chrono::seconds(20));
    REQUIRE(outcomes.size() == 1);
    INFO(outcomes[0].error.message);
    if (outcomes[0].imported) {
        auto asset = (*library)->catalog().asset(outcomes[0].id);
        REQUIRE(asset);
        const std::string stored = readBytes((*library)->blobFile(*asset));
        CHECK(Sha256::ofBytes(stored) == asset->sha256);
        CHECK(static_cast<std::int64_t>(stored.size()) == asset->byteSize);
    } else {
        CHECK_FALSE(outcomes[0].error.message.empty());
    }
    REQUIRE((*library)->catalog().verifyIntegrity());
}

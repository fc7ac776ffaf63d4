#include "support/TempDir.h"

#include <catch2/catch.hpp>
#include <fstream>
#include <sys/stat.h>

using ripen::test::filesHoldingCanary;
using ripen::test::TempDir;

namespace {

void write(const std::filesystem::path& file, const std::string& text) {
    std::filesystem::create_directories(file.parent_path());
    std::ofstream(file, std::ios::binary) << text;
}

} // namespace

// The suite-wide secret check every test folder gets when it ends (RELIABILITY.md S2).
TEST_CASE("A canary key written anywhere in a test folder but the opted-in key file is found",
          "[secrets]") {
    TempDir dir;
    write(dir / "library" / "catalog.sqlite-wal", std::string(5000, '\0') + "Bearer sk-CANARY0x");
    write(dir / "export" / "notes.txt", "no secret here");
    write(dir / "config" / "secrets" / "keys.json", R"({"OPENAI_API_KEY":"sk-CANARY0openai"})");
    REQUIRE(::mkfifo((dir / "pipe").c_str(), 0600) == 0); // never opened: it would block
    std::filesystem::create_symlink(dir / "library" / "catalog.sqlite-wal", dir / "link");

    const auto found = filesHoldingCanary(dir.path());
    REQUIRE(found.size() == 1);
    CHECK(found.front() == dir / "library" / "catalog.sqlite-wal");

    // Left in place, the leak would fail this test when `dir` is removed.
    std::filesystem::remove(dir / "library" / "catalog.sqlite-wal");
    CHECK(filesHoldingCanary(dir.path()).empty());
}

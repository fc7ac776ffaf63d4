// ripen-cli collection: scripts build portfolios and shortlists with it.
#include "support/Process.h"
#include "support/TempDir.h"
#include "support/TestImages.h"

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>
#include <sstream>

using namespace ripen;
using namespace ripen::test;

namespace {

ProcessResult cli(const std::filesystem::path& library, std::vector<std::string> args) {
    std::vector<std::string> argv{ripenCli(), "--library", library.string()};
    argv.insert(argv.end(), args.begin(), args.end());
    return runProcess(argv);
}

// The ids `list --json` prints for the filters, oldest first.
std::vector<std::string> listedIds(const std::filesystem::path& library,
                                   std::vector<std::string> filters = {}) {
    filters.insert(filters.begin(), {"list", "--json"});
    const auto result = cli(library, filters);
    REQUIRE(result.exitCode == 0);
    std::vector<std::string> ids;
    std::istringstream in(result.out);
    for (std::string line; std::getline(in, line);) {
        ids.insert(ids.begin(), std::to_string(nlohmann::json::parse(line)["id"].get<long>()));
    }
    return ids;
}

} // namespace

TEST_CASE("collection create, add, list, remove and delete", "[cli][collections]") {
    TempDir dir;
    for (int n = 0; n < 3; ++n) {
        writeTestImage(dir / "in" / (std::to_string(n) + ".png"), makeTestImage(48, 32, n));
    }
    REQUIRE(cli(dir / "lib", {"import", (dir / "in").string()}).exitCode == 0);
    const auto all = listedIds(dir / "lib");
    REQUIRE(all.size() == 3);

    REQUIRE(cli(dir / "lib", {"collection", "create", "Portfolio"}).exitCode == 0);
    const auto clash = cli(dir / "lib", {"collection", "create", "portfolio"});
    CHECK(clash.exitCode == 1);
    CHECK_THAT(clash.err, Catch::Contains("exists"));

    REQUIRE(cli(dir / "lib", {"collection", "add", "Portfolio", all[0], all[2]}).exitCode == 0);
    CHECK(listedIds(dir / "lib", {"--collection", "portfolio"}) ==
          std::vector<std::string>{all[0], all[2]});
    CHECK(cli(dir / "lib", {"collection", "list"}).out == "2\tPortfolio\n");

    REQUIRE(cli(dir / "lib", {"collection", "remove", "Portfolio", all[0]}).exitCode == 0);
    CHECK(listedIds(dir / "lib", {"--collection", "Portfolio"}) ==
          std::vector<std::string>{all[2]});
    CHECK(listedIds(dir / "lib").size() == 3); // out of the collection, not the library

    REQUIRE(cli(dir / "lib", {"collection", "rename", "Portfolio", "Finals"}).exitCode == 0);
    REQUIRE(cli(dir / "lib", {"collection", "delete", "Finals"}).exitCode == 0);
    CHECK(cli(dir / "lib", {"collection", "list"}).out.empty());
    CHECK(listedIds(dir / "lib").size() == 3);
}

TEST_CASE("collection refuses wrong command lines and unknown names", "[cli][collections]") {
    TempDir dir;
    CHECK(cli(dir / "lib", {"collection"}).exitCode == 2);
    CHECK(cli(dir / "lib", {"collection", "add", "X"}).exitCode == 2);
    CHECK(cli(dir / "lib", {"collection", "add", "X", "seven"}).exitCode == 2);
    CHECK(cli(dir / "lib", {"collection", "create"}).exitCode == 2);
    const auto missing = cli(dir / "lib", {"collection", "add", "Nowhere", "1"});
    CHECK(missing.exitCode == 1);
    CHECK_THAT(missing.err, Catch::Contains("Nowhere"));
    CHECK(cli(dir / "lib", {"list", "--collection", "Nowhere"}).exitCode == 1);
    const auto help = runProcess({ripenCli(), "collection", "--help"});
    CHECK(help.exitCode == 0);
    CHECK_THAT(help.out, Catch::Contains("collection add NAME ID..."));
}

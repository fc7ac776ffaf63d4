// The .deb is what users install, so it is tested as they would use it: built from this
// build tree with CPack, unpacked into a scratch root (dpkg -x) and run from there.
#include "support/Process.h"
#include "support/TempDir.h"
#include "support/TestImages.h"

#include <catch2/catch.hpp>
#include <filesystem>
#include <stdexcept>
#include <string>
#include <vector>

namespace fs = std::filesystem;
using ripen::test::runProcess;

namespace {

fs::path buildPackage(const fs::path& outDir) {
    const auto result =
        runProcess({"cpack", "--config", std::string(RIPEN_BUILD_DIR) + "/CPackConfig.cmake", "-B",
                    outDir.string()});
    INFO(result.out << result.err);
    REQUIRE(result.exitCode == 0);
    for (const auto& entry : fs::directory_iterator(outDir)) {
        if (entry.path().extension() == ".deb") {
            return entry.path();
        }
    }
    FAIL("cpack wrote no .deb into " << outDir);
    return {};
}

std::string packageField(const fs::path& deb, const std::string& field) {
    const auto result = runProcess({"dpkg-deb", "--field", deb.string(), field});
    REQUIRE(result.exitCode == 0);
    return result.out;
}

bool contains(const std::string& text, const std::string& part) {
    return text.find(part) != std::string::npos;
}

// Packing takes tens of seconds, so every test case shares one package and one scratch root.
struct InstalledPackage {
    InstalledPackage() : deb(buildPackage(temp.path() / "out")), root(temp.path() / "root") {
        const auto unpacked = runProcess({"dpkg", "-x", deb.string(), root.string()});
        if (unpacked.exitCode != 0) {
            throw std::runtime_error("dpkg -x failed: " + unpacked.err);
        }
    }
    ripen::test::TempDir temp;
    fs::path deb;
    fs::path root;
};

const InstalledPackage& installedPackage() {
    static const InstalledPackage package;
    return package;
}

} // namespace

TEST_CASE("the Debian package holds the programs, resources and desktop files", "[packaging]") {
    const fs::path& deb = installedPackage().deb;
    const auto listing = runProcess({"dpkg-deb", "--contents", deb.string()});
    REQUIRE(listing.exitCode == 0);
    std::vector<std::string> expected = {
        "./usr/bin/ripen-cli",
        "./usr/share/ripen/resources/pricebook.json",
        "./usr/share/ripen/resources/models.json",
        "./usr/share/ripen/resources/mockups/tshirt.json",
        "./usr/share/ripen/resources/mockups/tshirt.png",
        "./usr/share/ripen/resources/mockups/LICENSE",
        "./usr/share/man/man1/ripen-cli.1.gz",
        "./usr/share/doc/ripen/copyright",
        "./usr/share/doc/ripen/THIRD-PARTY-NOTICES.md",
    };
    if (RIPEN_PACKAGE_HAS_GUI) {
        expected.insert(expected.end(),
                        {"./usr/bin/ripen", "./usr/share/applications/app.ripen.Ripen.desktop",
                         "./usr/share/metainfo/app.ripen.Ripen.metainfo.xml",
                         "./usr/share/icons/hicolor/scalable/apps/app.ripen.Ripen.svg",
                         "./usr/share/icons/hicolor/256x256/apps/app.ripen.Ripen.png"});
    }
    for (const auto& path : expected) {
        INFO(path);
        CHECK(contains(listing.out, path));
    }
    // Nothing from the build or test tree leaks into the package.
    CHECK_FALSE(contains(listing.out, "test_"));
    CHECK_FALSE(contains(listing.out, "bench"));
}

TEST_CASE("the Debian package depends on the libraries its binaries link", "[packaging]") {
    const fs::path& deb = installedPackage().deb;
    const std::string depends = packageField(deb, "Depends");
    INFO(depends);
    for (const char* library : {"libsqlite3", "libcurl", "libavcodec", "libopencv-core"}) {
        CHECK(contains(depends, library));
    }
    if (RIPEN_PACKAGE_HAS_GUI) {
        CHECK(contains(depends, "libqt6widgets6"));
        CHECK(contains(depends, "qt6-qpa-plugins"));
    }
}

TEST_CASE("ripen-cli runs from the scratch root with the installed resources", "[packaging]") {
    const fs::path& root = installedPackage().root;
    ripen::test::TempDir temp;
    const std::string cli = (root / "usr/bin/ripen-cli").string();

    const auto version = runProcess({cli, "--version"});
    REQUIRE(version.exitCode == 0);
    CHECK(contains(version.out, "ripen-cli 0."));
    CHECK(contains(version.out, "resources: " + (root / "usr/share/ripen/resources").string()));

    const fs::path image = temp.path() / "fox.png";
    ripen::test::writeTestImage(image, ripen::test::makeTestImage(64, 48, 7));
    const fs::path library = temp.path() / "library";
    const auto imported =
        runProcess({cli, "--library", library.string(), "import", image.string()});
    INFO(imported.out << imported.err);
    REQUIRE(imported.exitCode == 0);
    CHECK(contains(imported.out, "imported 1 "));
    const auto listed = runProcess({cli, "--library", library.string(), "list", "--json"});
    CHECK(contains(listed.out, "\"width\":64"));

    const auto manual =
        runProcess({"gzip", "-dc", (root / "usr/share/man/man1/ripen-cli.1.gz").string()});
    CHECK(contains(manual.out, ".TH RIPEN-CLI 1"));

    if (RIPEN_PACKAGE_HAS_GUI) {
        const auto gui = runProcess({(root / "usr/bin/ripen").string(), "--version"});
        CHECK(gui.exitCode == 0);
        CHECK(contains(gui.out, "commit "));
    }
}

TEST_CASE("the installed desktop entry and AppStream metainfo validate", "[packaging]") {
    if (!RIPEN_PACKAGE_HAS_GUI) {
        return;
    }
    const fs::path& root = installedPackage().root;
    const auto desktop =
        runProcess({"desktop-file-validate",
                    (root / "usr/share/applications/app.ripen.Ripen.desktop").string()});
    INFO(desktop.out << desktop.err);
    CHECK(desktop.exitCode == 0);
    CHECK(desktop.out.empty());
    const auto metainfo =
        runProcess({"appstreamcli", "validate", "--no-net",
                    (root / "usr/share/metainfo/app.ripen.Ripen.metainfo.xml").string()});
    INFO(metainfo.out << metainfo.err);
    CHECK(metainfo.exitCode == 0);
}

#include "common/FileIo.h"
#include "support/Process.h"
#include "support/TempDir.h"

#include <catch2/catch.hpp>
#include <fstream>
#include <nlohmann/json.hpp>

using namespace ripen;
using namespace ripen::test;

TEST_CASE("ripen-cli models lists the fetched models and those a user dropped in the library",
          "[cli][upscale]") {
    TempDir dir;
    // A user's ncnn pair: copied from the fetched realesr-animevideov3 under a new name.
    const auto models = dir / "library" / "models";
    std::filesystem::create_directories(models);
    const std::filesystem::path fetched =
        std::filesystem::path(RIPEN_TEST_MODELS_DIR) / "waifu2x" / "real-esrgan" / "models";
    INFO("run scripts/setup.sh to fetch the models");
    std::filesystem::copy_file(fetched / "realesr-animevideov3-x4.param",
                               models / "my-anime.param");
    std::filesystem::copy_file(fetched / "realesr-animevideov3-x4.bin", models / "my-anime.bin");
    REQUIRE(writeFileAtomically(models / "broken.param", "not a model"));

    const auto result =
        runProcess({ripenCli(), "--library", (dir / "library").string(), "models", "--json"});
    REQUIRE(result.exitCode == 0);
    const auto list = nlohmann::json::parse(result.out);
    auto find = [&](const std::string& name) {
        for (const auto& model : list) {
            if (model["name"] == name)
                return model;
        }
        return nlohmann::json();
    };
    const auto slim = find("esrgan-slim-x4");
    REQUIRE(slim.is_object());
    CHECK(slim["format"] == "tfjs");
    CHECK(slim["scale"] == 4);
    CHECK(slim["bytes"].get<std::uint64_t>() > 900'000);
    const auto mine = find("my-anime-x4");
    REQUIRE(mine.is_object());
    CHECK(mine["format"] == "ncnn");
    CHECK(mine["scale"] == 4);
    CHECK(mine["bytes"].get<std::uint64_t>() > 1'000'000);
    CHECK(find("default-model-x2")["scale"] == 2);
    // The unreadable file is named with its reason, not silently dropped.
    CHECK(result.err.find("broken.param") != std::string::npos);
    CHECK(result.err.find("7767517") != std::string::npos);

    const auto text = runProcess({ripenCli(), "--library", (dir / "library").string(), "models"});
    REQUIRE(text.exitCode == 0);
    CHECK(text.out.find("esrgan-thick-x8") != std::string::npos);
    CHECK(text.out.find("my-anime-x4") != std::string::npos);
}

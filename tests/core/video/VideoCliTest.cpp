// ripen-cli video as a user drives it: the real binary, a real library, real files.
#include "catalog/Library.h"
#include "support/Process.h"
#include "support/TempDir.h"
#include "support/TestImages.h"
#include "support/TestVideos.h"
#include "support/fakes/KlingFakeServer.h"
#include "video/VideoProbe.h"

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>
#include <sstream>

using namespace ripen;
using namespace ripen::test;

namespace {

struct VideoCli {
    TempDir dir;

    ProcessResult run(std::vector<std::string> args) {
        std::vector<std::string> argv{ripenCli(), "--library", (dir / "lib").string()};
        argv.insert(argv.end(), args.begin(), args.end());
        return runProcess(argv);
    }

    std::vector<nlohmann::json> assets() {
        const ProcessResult result = run({"list", "--json"});
        REQUIRE(result.exitCode == 0);
        std::vector<nlohmann::json> rows;
        for (const auto& line : outputLines(result.out)) {
            rows.push_back(nlohmann::json::parse(line));
        }
        return rows;
    }

    // Imports a still and returns its asset id.
    std::string importStill(int width, int height) {
        writeTestImage(dir / "still.png", makeTexturedStill(width, height, 11));
        const ProcessResult result = run({"import", (dir / "still.png").string()});
        REQUIRE(result.exitCode == 0);
        std::istringstream words(result.out);
        std::string imported;
        std::string id;
        words >> imported >> id;
        REQUIRE(imported == "imported");
        return id;
    }
};

void expectClip(const std::filesystem::path& file, int width, int height, int fps, int frames) {
    auto info = probeVideo(file);
    INFO(file.string());
    REQUIRE(info);
    CHECK(info->codecName == "h264");
    CHECK(info->width == width);
    CHECK(info->height == height);
    CHECK(info->frameRateNum == fps);
    CHECK(decodeAllFrames(file).size() == static_cast<std::size_t>(frames));
    if (auto facts = ffprobe(file)) {
        CHECK(facts->frames == frames);
        CHECK(facts->frameRate == std::to_string(fps) + "/1");
    }
}

} // namespace

TEST_CASE("video move renders a file, and from an asset a child clip with provenance",
          "[video][cli]") {
    VideoCli cli;
    const std::string still = cli.importStill(640, 480);

    ProcessResult file = cli.run({"video", "move", "--image", (cli.dir / "still.png").string(),
                                  "--move", "pan-left", "--duration", "1", "--size", "320x180",
                                  "--fps", "24", "--out", (cli.dir / "pan.mp4").string()});
    INFO(file.err);
    REQUIRE(file.exitCode == 0);
    CHECK(file.out == "wrote " + (cli.dir / "pan.mp4").string() + "\n");
    expectClip(cli.dir / "pan.mp4", 320, 180, 24, 24);

    ProcessResult asset =
        cli.run({"video", "move", "--asset", still, "--move", "dolly", "--duration", "1.5",
                 "--size", "320x180", "--fps", "30", "--crf", "28"});
    INFO(asset.err);
    REQUIRE(asset.exitCode == 0);
    CHECK(asset.out.rfind("asset ", 0) == 0);
    const auto rows = cli.assets();
    REQUIRE(rows.size() == 2);
    const nlohmann::json& clip = rows[0]["kind"] == "video" ? rows[0] : rows[1];
    CHECK(clip["kind"] == "video");
    CHECK(clip["stage"] == "clip");
    CHECK(clip["parents"] == nlohmann::json::array({std::stoll(still)}));
    CHECK(clip["params"]["move"] == "dolly");
    CHECK(clip["params"]["fps"] == 30);
    CHECK(clip["params"]["crf"] == 28);
    CHECK(clip["params"]["size"] == "320x180");
    CHECK(clip["params"]["duration_s"] == 1.5);
    expectClip(clip["path"].get<std::string>(), 320, 180, 30, 45);
}

TEST_CASE("video move explains bad input and writes nothing", "[video][cli]") {
    VideoCli cli;
    writeTestImage(cli.dir / "still.png", makeTexturedStill(640, 480, 2));
    writeBytes(cli.dir / "path.json", R"({"keys":[{"t":0,"x":0,"y":0,"h":360}]})");
    const std::vector<std::string> base{"video",   "move",
                                        "--image", (cli.dir / "still.png").string(),
                                        "--out",   (cli.dir / "out.mp4").string()};
    auto run = [&](std::vector<std::string> extra) {
        std::vector<std::string> args = base;
        args.insert(args.end(), extra.begin(), extra.end());
        return cli.run(args);
    };
    ProcessResult missingField = run({"--move", "path:" + (cli.dir / "path.json").string(),
                                      "--duration", "2", "--size", "320x180"});
    CHECK(missingField.exitCode == 2);
    CHECK_THAT(missingField.err, Catch::Contains("keys[0].w: missing"));
    ProcessResult zero = run({"--move", "zoom-in", "--duration", "0", "--size", "320x180"});
    CHECK(zero.exitCode == 2);
    CHECK_THAT(zero.err, Catch::Contains("duration"));
    ProcessResult absurd = run({"--move", "zoom-in", "--duration", "1", "--size", "99999x99999"});
    CHECK(absurd.exitCode == 2);
    CHECK_THAT(absurd.err, Catch::Contains("size"));
    ProcessResult small = run({"--move", "zoom-in", "--duration", "1", "--size", "1920x1080"});
    CHECK(small.exitCode == 2);
    CHECK_THAT(small.err, Catch::Contains("upscale it first"));
    ProcessResult move = run({"--move", "spin", "--duration", "1", "--size", "320x180"});
    CHECK(move.exitCode == 2);
    CHECK_THAT(move.err, Catch::Contains("move: 'spin'"));
    CHECK_FALSE(std::filesystem::exists(cli.dir / "out.mp4"));
    std::size_t files = 0;
    for ([[maybe_unused]] const auto& entry : std::filesystem::directory_iterator(cli.dir.path())) {
        ++files;
    }
    CHECK(files == 2); // still.png, path.json: no temporary file left
}

TEST_CASE("video cut, frames and check work on an asset and make child assets", "[video][cli]") {
    VideoCli cli;
    const std::string still = cli.importStill(800, 360);
    ProcessResult moved = cli.run({"video", "move", "--asset", still, "--move", "pan-right",
                                   "--duration", "2", "--size", "320x180", "--fps", "25"});
    REQUIRE(moved.exitCode == 0);
    const std::string clipId = moved.out.substr(6, moved.out.find(' ', 6) - 6);

    ProcessResult cut = cli.run({"video", "cut", "--asset", clipId, "--every", "1", "--out-dir",
                                 (cli.dir / "segments").string()});
    INFO(cut.err);
    REQUIRE(cut.exitCode == 0);
    const auto cutLines = outputLines(cut.out);
    REQUIRE(cutLines.size() == 4); // two "wrote", two "asset"
    CHECK_THAT(cutLines[0], Catch::EndsWith("0.000 1.000 copied"));
    int frames = 0;
    for (const auto& entry : std::filesystem::directory_iterator(cli.dir / "segments")) {
        frames += static_cast<int>(decodeAllFrames(entry.path()).size());
    }
    CHECK(frames == 50);

    const auto firstSegment = cli.dir / "segments" / ("asset-" + clipId + "-001.mp4");
    CHECK(cutLines[0] == "wrote " + firstSegment.string() + " 0.000 1.000 copied");
    ProcessResult reframed =
        cli.run({"video", "cut", "--in", firstSegment.string(), "--at", "0.5", "--aspect", "1:1",
                 "--anchor", "right", "--out-dir", (cli.dir / "square").string()});
    INFO(reframed.err);
    REQUIRE(reframed.exitCode == 0);
    for (const auto& entry : std::filesystem::directory_iterator(cli.dir / "square")) {
        auto info = probeVideo(entry.path());
        REQUIRE(info);
        CHECK(info->width == 180);
        CHECK(info->height == 180);
    }

    ProcessResult frames5 = cli.run({"video", "frames", "--asset", clipId, "--every", "10",
                                     "--out-dir", (cli.dir / "frames").string()});
    INFO(frames5.err);
    REQUIRE(frames5.exitCode == 0);
    ProcessResult poster = cli.run({"video", "frames", "--asset", clipId, "--poster", "--out-dir",
                                    (cli.dir / "frames").string()});
    REQUIRE(poster.exitCode == 0);
    int images = 0;
    for (const auto& row : cli.assets()) {
        if (row["kind"] == "image" && row["model_id"] == "frame") {
            ++images;
            CHECK(row["parents"] == nlohmann::json::array({std::stoll(clipId)}));
        }
        if (row["model_id"] == "cut") {
            CHECK(row["kind"] == "video");
            CHECK(row["stage"] == "clip");
            CHECK(row["parents"] == nlohmann::json::array({std::stoll(clipId)}));
        }
    }
    CHECK(images == 6); // frames 0, 10, 20, 30, 40 and the poster

    ProcessResult check = cli.run({"video", "check", "--asset", clipId, "--json"});
    INFO(check.err);
    CHECK(check.exitCode == 0);
    const auto report = nlohmann::json::parse(check.out);
    CHECK(report["flagged"] == 0);
    CHECK(report["frames"].size() == 49);

    ProcessResult past = cli.run({"video", "cut", "--asset", clipId, "--at", "1,5", "--out-dir",
                                  (cli.dir / "past").string()});
    CHECK(past.exitCode == 2);
    CHECK_THAT(past.err, Catch::Contains("at: the cut point 5"));
    CHECK_FALSE(std::filesystem::exists(cli.dir / "past"));
}

TEST_CASE("video i2v queues a Kling job from a keyframe and --wait brings the clip in",
          "[video][cli]") {
    VideoCli cli;
    KlingFakeServer kling;
    ::setenv("RIPEN_KLING_BASE_URL", kling.baseUrl().c_str(), 1);
    ::setenv("KLING_ACCESS_KEY", KlingFakeServer::kAccessKey, 1);
    ::setenv("KLING_SECRET_KEY", KlingFakeServer::kSecretKey, 1);
    // Kling's clip runs at 24 fps for 1.5 s, whatever was asked for (5 s).
    writeTestClip(cli.dir / "kling.mp4", 64, 48, 24, 36,
                  [](int index) { return makeTestImage(64, 48, index); });
    kling.setVideo(readBytes(cli.dir / "kling.mp4"));
    const std::string still = cli.importStill(640, 360);
    ProcessResult queued =
        cli.run({"video", "i2v", "--provider", "kling", "--asset", still, "--prompt",
                 "the lantern sways", "--duration", "5", "--aspect", "16:9", "--wait"});
    INFO(queued.out << queued.err);
    REQUIRE(queued.exitCode == 0);
    CHECK_THAT(queued.out, Catch::StartsWith("queued "));
    CHECK_THAT(queued.out, Catch::Contains("\ndone "));
    REQUIRE(kling.createBodies().size() == 1);
    CHECK(kling.createBodies()[0]["prompt"] == "the lantern sways");
    bool found = false;
    for (const auto& row : cli.assets()) {
        if (row["kind"] == "video") {
            found = true;
            CHECK(row["stage"] == "clip");
            CHECK(row["parents"] == nlohmann::json::array({std::stoll(still)}));
            // The file's own rate and length, read when the clip came in, not a guess.
            auto library = Library::open(cli.dir / "lib");
            REQUIRE(library);
            auto clip = (*library)->catalog().asset(row["id"].get<AssetId>());
            REQUIRE(clip);
            CHECK(clip->generation.params.value("fps", 0.0) == Approx(24.0));
            CHECK(clip->generation.params.value("duration_seconds", 0.0) ==
                  Approx(1.5).margin(0.05));
            REQUIRE(clip->durationMicros);
            CHECK(*clip->durationMicros == Approx(1'500'000).margin(50'000));
        }
    }
    CHECK(found);
    ProcessResult bad = cli.run({"video", "i2v", "--provider", "sora", "--asset", still, "--prompt",
                                 "x", "--duration", "5"});
    CHECK(bad.exitCode == 2);
    CHECK_THAT(bad.err, Catch::Contains("--provider must be veo or kling"));
}

// ripen-cli upscale, end to end through the real binary and the providers' loopback fakes.
#include "catalog/Library.h"
#include "core/providers/google/GoogleFakeServer.h"
#include "jobs/JobStore.h"
#include "support/Process.h"
#include "support/TempDir.h"
#include "support/TestImages.h"
#include "support/fakes/Automatic1111FakeServer.h"
#include "support/fakes/ComfyUiFakeServer.h"
#include "support/fakes/StabilityFakeServer.h"

#include <algorithm>
#include <catch2/catch.hpp>
#include <cstdlib>
#include <functional>
#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>
#include <regex>

using namespace ripen;
using namespace ripen::test;

namespace {

struct UpscaleCli {
    TempDir dir;
    cv::Mat original = makeTestImage(160, 90, 5);

    UpscaleCli() { writeTestImage(dir / "photo.png", original); }

    ProcessResult cli(std::vector<std::string> args) {
        std::vector<std::string> argv{ripenCli(), "--library", (dir / "lib").string(), "upscale"};
        argv.insert(argv.end(), args.begin(), args.end());
        return runProcess(argv);
    }

    cv::Mat read(const std::string& name) {
        return cv::imread((dir / name).string(), cv::IMREAD_UNCHANGED);
    }

    std::unique_ptr<Library> library() {
        auto opened = Library::open(dir / "lib");
        REQUIRE(opened);
        return std::move(*opened);
    }
};

long long numberAfter(const std::string& out, const std::string& prefix) {
    std::smatch match;
    REQUIRE(std::regex_search(out, match, std::regex("(^|\n)" + prefix + "([0-9]+)")));
    return std::stoll(match[2]);
}

} // namespace

TEST_CASE("ripen-cli upscale to 4K with lanczos makes an exact child asset", "[cli][upscale]") {
    UpscaleCli c;
    const auto run = c.cli({"--image", (c.dir / "photo.png").string(), "--target", "4K", "--engine",
                            "lanczos", "--out", (c.dir / "big.png").string()});
    INFO(run.out << run.err);
    REQUIRE(run.exitCode == 0);
    CHECK_THAT(run.out, Catch::Matches(
                            "upscale image [0-9]+ 160x90 to 3840x2160 \\(4K\\) with lanczos, "
                            "passes x8 x3\nqueued [0-9]+ estimate 0\\.00 USD\ndone [0-9]+ [0-9]+\n"
                            "wrote .*big.png\n"));
    const cv::Mat big = c.read("big.png");
    REQUIRE(big.size() == cv::Size(3840, 2160));
    // An enlargement of the original, not another picture.
    cv::Mat back;
    cv::resize(big, back, c.original.size(), 0, 0, cv::INTER_AREA);
    CHECK(cv::norm(back, c.original, cv::NORM_L1) / back.total() / 3 < 6.0);

    const AssetId imageId = numberAfter(run.out, "upscale image ");
    const AssetId resultId = numberAfter(run.out, "done [0-9]+ ");
    auto library = c.library();
    auto result = library->catalog().asset(resultId);
    REQUIRE(result);
    CHECK(result->stage == Stage::Upscaled);
    CHECK(result->width == 3840);
    CHECK(result->height == 2160);
    CHECK(result->parents == std::vector<AssetId>{imageId});
    CHECK(result->generation.params["upscale_engine"] == "lanczos");
    CHECK(result->generation.params["upscale_target"]["spec"] == "4K");
}

TEST_CASE("ripen-cli upscale chains passes and reaches a print size at its DPI", "[cli][upscale]") {
    UpscaleCli c;
    // 160x90 on 8x4.5 in at 150 DPI: 1200x675, x7.5 = x4 then x2, then an exact shrink.
    const auto run =
        c.cli({"--image", (c.dir / "photo.png").string(), "--print", "8x4.5in@150", "--engine",
               "classic-upscale", "--out", (c.dir / "print.png").string()});
    INFO(run.out << run.err);
    REQUIRE(run.exitCode == 0);
    CHECK_THAT(run.out,
               Catch::Contains("to 1200x675 (8x4.5in@150) with classic-upscale, passes x8"));
    CHECK(c.read("print.png").size() == cv::Size(1200, 675));

    // An existing asset by id, by an exact factor.
    const AssetId imageId = numberAfter(run.out, "upscale image ");
    const auto byId = c.cli({"--asset", std::to_string(imageId), "--scale", "3", "--engine",
                             "lanczos", "--out", (c.dir / "x3.png").string()});
    INFO(byId.err);
    REQUIRE(byId.exitCode == 0);
    CHECK_THAT(byId.out, Catch::Contains("to 480x270 (x3) with lanczos, passes x3"));
    CHECK(c.read("x3.png").size() == cv::Size(480, 270));
}

TEST_CASE("ripen-cli upscale refuses impossible targets and unknown engines before any work",
          "[cli][upscale]") {
    UpscaleCli c;
    const auto tooBig = c.cli({"--image", (c.dir / "photo.png").string(), "--print",
                               "200x120in@300", "--engine", "lanczos"});
    CHECK(tooBig.exitCode == 1);
    CHECK_THAT(tooBig.err, Catch::Contains("200x120in@300 of a 160x90 image is 64000x36000, "
                                           "past Ripen's image limit"));
    CHECK(tooBig.out.empty());
    CHECK(JobStore(*c.library()).jobs().value().empty());

    const auto unknown = c.cli(
        {"--image", (c.dir / "photo.png").string(), "--scale", "2", "--engine", "esrgan-nonesuch"});
    CHECK(unknown.exitCode == 2);
    CHECK_THAT(unknown.err, Catch::Contains("unknown engine 'esrgan-nonesuch'; known: lanczos, "
                                            "classic-upscale, "));
    // The neural models setup fetched are offered by name, then the providers.
    CHECK_THAT(unknown.err, Catch::Contains("esrgan-slim-x4"));
    CHECK_THAT(unknown.err, Catch::Contains("stability[:fast|conservative|creative]"));
    const auto twoSizes = c.cli({"--image", (c.dir / "photo.png").string(), "--scale", "2",
                                 "--target", "4K", "--engine", "lanczos"});
    CHECK(twoSizes.exitCode == 2);
    const auto badMode = c.cli(
        {"--image", (c.dir / "photo.png").string(), "--scale", "2", "--engine", "stability:turbo"});
    CHECK(badMode.exitCode == 2);
    CHECK_THAT(badMode.err, Catch::Contains("fast, conservative or creative"));
}

TEST_CASE("ripen-cli upscale with stability:fast chains x4 requests, then sizes exactly",
          "[cli][upscale]") {
    UpscaleCli c;
    StabilityFakeServer stability;
    stability.setImageSize(640, 360);
    ::setenv("RIPEN_STABILITY_BASE_URL", stability.baseUrl().c_str(), 1);
    ::setenv("STABILITY_API_KEY", StabilityFakeServer::kApiKey, 1);
    const auto run = c.cli({"--image", (c.dir / "photo.png").string(), "--target", "2K", "--engine",
                            "stability:fast", "--wait", "--out", (c.dir / "s.png").string()});
    INFO(run.out << run.err);
    REQUIRE(run.exitCode == 0);
    CHECK(stability.problems().empty());
    int upscales = 0;
    for (const auto& request : stability.server().requests()) {
        upscales += request.path == "/v2beta/stable-image/upscale/fast";
    }
    CHECK(upscales == 2); // x12.8: x4 twice, each a paid pass of its own, then a shrink
    CHECK(c.read("s.png").size() == cv::Size(2048, 1152));
    const AssetId resultId = numberAfter(run.out, "done [0-9]+ ");
    CHECK(c.library()->catalog().asset(resultId)->generation.modelId == "upscale-fast");

    // Without --wait a provider job is only queued.
    const auto queued = c.cli({"--image", (c.dir / "photo.png").string(), "--scale", "4",
                               "--engine", "stability:conservative"});
    REQUIRE(queued.exitCode == 0);
    CHECK_THAT(queued.out, Catch::Matches("upscale image .*\nqueued [0-9]+ estimate .*\n"));
}

TEST_CASE("ripen-cli upscale through AUTOMATIC1111 and ComfyUI asks for the factor",
          "[cli][upscale]") {
    UpscaleCli c;
    Automatic1111FakeServer a1111;
    ComfyUiFakeServer comfy;
    ::setenv("RIPEN_A1111_BASE_URL", a1111.baseUrl().c_str(), 1);
    ::setenv("RIPEN_COMFYUI_BASE_URL", comfy.baseUrl().c_str(), 1);
    const auto viaA1111 =
        c.cli({"--image", (c.dir / "photo.png").string(), "--target", "2K", "--engine",
               "automatic1111:4x-UltraSharp", "--wait", "--out", (c.dir / "a.png").string()});
    INFO(viaA1111.out << viaA1111.err);
    REQUIRE(viaA1111.exitCode == 0);
    // 2048/160 = 12.8: past the x8 one request can ask, so x8 and then x2 on its output.
    REQUIRE(a1111.bodies().size() == 2);
    CHECK(a1111.bodies().front()["upscaler_1"] == "4x-UltraSharp");
    CHECK(a1111.bodies()[0]["upscaling_resize"] == 8);
    CHECK(a1111.bodies()[1]["upscaling_resize"] == 2);
    CHECK(c.read("a.png").size() == cv::Size(2048, 1152));

    const auto viaComfy =
        c.cli({"--image", (c.dir / "photo.png").string(), "--scale", "2", "--engine", "comfyui",
               "--wait", "--out", (c.dir / "c.png").string()});
    INFO(viaComfy.out << viaComfy.err);
    REQUIRE(viaComfy.exitCode == 0);
    REQUIRE(comfy.graphs().size() == 1);
    CHECK_THAT(comfy.graphs().front().dump(), Catch::Contains("ImageUpscaleWithModel"));
    CHECK(c.read("c.png").size() == cv::Size(320, 180));
}

TEST_CASE("ripen-cli upscale with google re-renders from the image at 4K", "[cli][upscale]") {
    UpscaleCli c;
    google::GoogleFakeServer gemini;
    // The model draws the picture again at 16:9 4K.
    const std::string render = encodeTestImage(makeTestImage(1376, 768, 9), ".png");
    gemini.setImageReplies(
        {FakeReply::json(200, google::GoogleFakeServer::contentReply(nlohmann::json::array(
                                  {google::GoogleFakeServer::imagePart(render)})))});
    ::setenv("RIPEN_GEMINI_BASE_URL", gemini.baseUrl().c_str(), 1);
    ::setenv("GEMINI_API_KEY", google::kApiKey, 1);
    const auto run = c.cli({"--image", (c.dir / "photo.png").string(), "--target", "4K", "--engine",
                            "google", "--wait", "--out", (c.dir / "g.png").string()});
    INFO(run.out << run.err);
    REQUIRE(run.exitCode == 0);
    const auto bodies = gemini.bodies(":generateContent");
    REQUIRE(bodies.size() == 1);
    const auto& config = bodies.front()["generationConfig"]["imageConfig"];
    CHECK(config["imageSize"] == "4K");
    CHECK(config["aspectRatio"] == "16:9");
    bool sentImage = false;
    for (const auto& part : bodies.front()["contents"][0]["parts"]) {
        sentImage = sentImage || part.contains("inlineData") || part.contains("inline_data");
    }
    CHECK(sentImage);
    CHECK(c.read("g.png").size() == cv::Size(3840, 2160));
    const auto result = c.library()->catalog().asset(numberAfter(run.out, "done [0-9]+ "));
    REQUIRE(result);
    CHECK(result->stage == Stage::Upscaled);
    CHECK(result->generation.modelId == "gemini-3-pro-image");
}

TEST_CASE("ripen-cli upscale runs a neural model from the models folder as a queue job",
          "[cli][upscale]") {
    UpscaleCli c;
    const auto run = c.cli({"--image", (c.dir / "photo.png").string(), "--scale", "4", "--engine",
                            "esrgan-slim-x4", "--out", (c.dir / "slim.png").string()});
    INFO(run.out << run.err);
    REQUIRE(run.exitCode == 0);
    CHECK_THAT(run.out, Catch::Contains("to 640x360 (x4) with esrgan-slim-x4, passes x4"));
    const cv::Mat slim = c.read("slim.png");
    REQUIRE(slim.size() == cv::Size(640, 360));
    // The model drew it, not the classic engine: the two differ visibly.
    const auto lanczos = c.cli({"--image", (c.dir / "photo.png").string(), "--scale", "4",
                                "--engine", "lanczos", "--out", (c.dir / "classic.png").string()});
    REQUIRE(lanczos.exitCode == 0);
    const cv::Mat classic = c.read("classic.png");
    REQUIRE(classic.size() == slim.size());
    CHECK(cv::norm(slim, classic, cv::NORM_L1) / static_cast<double>(slim.total()) > 1.0);
}

TEST_CASE("ripen-cli upscale back-projects a neural model's result unless told not to",
          "[cli][upscale]") {
    UpscaleCli c;
    const std::string photo = (c.dir / "photo.png").string();
    const auto projected = c.cli({"--image", photo, "--scale", "4", "--engine", "esrgan-slim-x4",
                                  "--out", (c.dir / "projected.png").string()});
    INFO(projected.out << projected.err);
    REQUIRE(projected.exitCode == 0);
    const auto raw = c.cli({"--image", photo, "--scale", "4", "--engine", "esrgan-slim-x4",
                            "--no-back-projection", "--out", (c.dir / "raw.png").string()});
    INFO(raw.out << raw.err);
    REQUIRE(raw.exitCode == 0);
    // Area-downscaled back to the photo's size, the back-projected result is the photo
    // (within a level or two on average); the raw model output drifts further from it.
    const auto lowBandError = [&](const cv::Mat& upscaled) {
        cv::Mat down;
        cv::resize(upscaled, down, c.original.size(), 0, 0, cv::INTER_AREA);
        return cv::norm(down, c.original, cv::NORM_L1) / static_cast<double>(down.total() * 3);
    };
    const cv::Mat withProjection = c.read("projected.png");
    const cv::Mat without = c.read("raw.png");
    REQUIRE(withProjection.size() == cv::Size(640, 360));
    REQUIRE(without.size() == withProjection.size());
    CHECK(lowBandError(withProjection) < 1.0);
    CHECK(lowBandError(withProjection) < lowBandError(without) / 2);
}

TEST_CASE("ripen-cli upscale without --engine uses the default engine and says which",
          "[cli][upscale]") {
    UpscaleCli c;
    writeTestImage(c.dir / "small.png", makeTestImage(24, 16, 3));
    const auto run = c.cli({"--image", (c.dir / "small.png").string(), "--scale", "4", "--out",
                            (c.dir / "default.png").string()});
    INFO(run.out << run.err);
    REQUIRE(run.exitCode == 0);
    // The GAN model where setup fetched it, else lanczos with the reason.
    const bool gan = run.err.find("using esrgan-legacy-gans-x4") != std::string::npos;
    if (gan) {
        CHECK_THAT(run.out, Catch::Contains("with esrgan-legacy-gans-x4, passes x4"));
    } else {
        CHECK_THAT(run.err, Catch::Contains("esrgan-legacy-gans-x4 is not installed"));
        CHECK_THAT(run.out, Catch::Contains("with lanczos"));
    }
    CHECK(c.read("default.png").size() == cv::Size(96, 64));
    // An engine named is still the one used.
    const auto named =
        c.cli({"--image", (c.dir / "small.png").string(), "--scale", "2", "--engine", "lanczos"});
    CHECK(named.exitCode == 0);
    CHECK(named.err.find("no --engine") == std::string::npos);
    CHECK_THAT(named.out, Catch::Contains("with lanczos"));
}

TEST_CASE("ripen-cli queue shows how far a job in the works has come", "[cli][upscale][progress]") {
    UpscaleCli c;
    writeTestImage(c.dir / "in.png", makeTestImage(32, 32, 1));
    JobId id = 0;
    {
        auto library = c.library();
        GenerationRequest r;
        r.kind = JobKind::Upscale;
        r.provider = "local";
        r.model = "classic-upscale";
        r.upscaleFactor = 2;
        r.images = {c.dir / "in.png"};
        JobStore store(*library);
        auto ids = store.enqueue(r, {}, Estimate{});
        REQUIRE(ids);
        id = ids->front();
        // As a runner records it while the engine works (JobRunner's progress sink).
        auto claimed = store.claimNext({"local"}, 1LL << 50);
        REQUIRE(claimed);
        REQUIRE(*claimed);
        REQUIRE(store.recordProgress(id, 0.42, "upscaling tile by tile"));
    }
    const auto list = runProcess({ripenCli(), "--library", (c.dir / "lib").string(), "queue"});
    INFO(list.out << list.err);
    REQUIRE(list.exitCode == 0);
    CHECK_THAT(list.out,
               Catch::Contains("submitting 42%") && Catch::Contains("upscaling tile by tile"));
    const auto json =
        runProcess({ripenCli(), "--library", (c.dir / "lib").string(), "queue", "--json"});
    REQUIRE(json.exitCode == 0);
    const auto row = nlohmann::json::parse(json.out.substr(0, json.out.find('\n')));
    CHECK(row["id"] == id);
    CHECK(row["progress_percent"] == 42);
    CHECK(row["stage"] == "upscaling tile by tile");
}

TEST_CASE("ripen-cli upscale shows its progress on stderr while a local model runs",
          "[cli][upscale][progress]") {
    UpscaleCli c;
    // 384x128 in 64-pixel tiles: a dozen tiles, seconds of work to report on.
    writeTestImage(c.dir / "wide.png", makeTestImage(384, 128, 3));
    const auto run = c.cli({"--image", (c.dir / "wide.png").string(), "--scale", "4", "--engine",
                            "esrgan-slim-x4", "--tile", "64", "--wait"});
    INFO(run.out << run.err);
    REQUIRE(run.exitCode == 0);
    const JobId job = numberAfter(run.out, "queued ");
    // Not a terminal here, so plain lines, one per whole percent reached; the model's tiles,
    // then the back-projection that ends every neural pass, and, when the pass's last report
    // fell inside the throttle's interval, the 100% of saving the result.
    const std::regex line(
        "progress ([0-9]+) ([0-9]+)% esrgan-slim-x4 (?:pass 1/1 x4: "
        "(starting|tile ([0-9]+)/([0-9]+)|back-projection(?:, band [0-9]+/[0-9]+| done))|"
        "saving the result) "
        "\\((?:([0-9.]+) s|([0-9]+):([0-9]+))\\)");
    std::vector<int> percents;
    std::vector<int> tiles;
    std::vector<double> seconds;
    for (auto it = std::sregex_iterator(run.err.begin(), run.err.end(), line);
         it != std::sregex_iterator(); ++it) {
        CHECK(std::stoll((*it)[1]) == job);
        percents.push_back(std::stoi((*it)[2]));
        seconds.push_back((*it)[6].matched
                              ? std::stod((*it)[6])
                              : std::stod((*it)[7]) * 60 + std::stod((*it)[8])); // m:ss
        if ((*it)[4].matched) {
            tiles.push_back(std::stoi((*it)[4]));
            CHECK(std::stoi((*it)[5]) >= 12);
        }
    }
    REQUIRE(percents.size() >= 2);
    CHECK(std::ranges::adjacent_find(percents, std::greater_equal<>()) == percents.end());
    CHECK(std::ranges::is_sorted(tiles));
    CHECK(std::ranges::is_sorted(seconds));
    CHECK(!tiles.empty());
    // Every line on stderr is a progress line, and the result line follows on stdout.
    CHECK(std::ranges::count(run.err, '\n') == static_cast<long>(percents.size()));
    CHECK_THAT(run.out, Catch::Matches("(.|\n)*\ndone [0-9]+ [0-9]+\n"));
}

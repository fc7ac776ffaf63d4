// ripen-cli inpaint, end to end through the real binary.
#include "catalog/Library.h"
#include "core/providers/google/GoogleFakeServer.h"
#include "imaging/inpaint/MaskOps.h"
#include "support/MaskChecks.h"
#include "support/Process.h"
#include "support/TempDir.h"
#include "support/TestImages.h"
#include "support/fakes/OpenAiFakeServer.h"

#include <catch2/catch.hpp>
#include <cstdlib>
#include <opencv2/imgcodecs.hpp>
#include <regex>

using namespace ripen;
using namespace ripen::test;

namespace {

struct InpaintCli {
    TempDir dir;
    OpenAiFakeServer openai;
    cv::Mat original = makeTestImage(160, 120, 31);
    cv::Mat mask = ellipseMask({160, 120}, {100, 40}, 0.05);

    InpaintCli() {
        ::setenv("RIPEN_OPENAI_BASE_URL", openai.baseUrl().c_str(), 1);
        ::setenv("OPENAI_API_KEY", OpenAiFakeServer::kApiKey, 1);
        writeTestImage(dir / "photo.png", original);
        writeTestImage(dir / "mask.png", mask);
    }

    ProcessResult cli(std::vector<std::string> args) {
        std::vector<std::string> argv{ripenCli(), "--library", (dir / "lib").string(), "inpaint"};
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

// The number after `prefix` on the line that starts with it.
long long numberAfter(const std::string& out, const std::string& prefix) {
    std::smatch match;
    REQUIRE(std::regex_search(out, match, std::regex("(^|\n)" + prefix + "([0-9]+)")));
    return std::stoll(match[2]);
}

} // namespace

TEST_CASE("ripen-cli inpaint with a local engine writes a result exact outside the mask",
          "[cli][inpaint]") {
    InpaintCli c;
    const auto run = c.cli({"--image", (c.dir / "photo.png").string(), "--mask",
                            (c.dir / "mask.png").string(), "--engine", "local-telea", "--feather",
                            "4", "--out", (c.dir / "fixed.png").string()});
    INFO(run.err);
    REQUIRE(run.exitCode == 0);
    CHECK_THAT(run.out,
               Catch::Matches("mask [0-9]+ of image [0-9]+\nqueued [0-9]+ estimate 0\\.00 USD\n"
                              "done [0-9]+ [0-9]+\nwrote .*fixed.png\n"));
    const cv::Mat fixed = c.read("fixed.png");
    REQUIRE(fixed.size() == c.original.size());
    CHECK(changedOutside(fixed, c.original, changeableRegion(c.mask, 4)) == 0);
    CHECK(changedInside(fixed, c.original, c.mask) > 0);
    CHECK(readBytes(c.dir / "photo.png") == encodeTestImage(c.original, ".png"));

    // The result is a new asset, child of the image, stage inpainted; the mask is an asset.
    const AssetId imageId = numberAfter(run.out, "mask [0-9]+ of image ");
    const AssetId maskId = numberAfter(run.out, "mask ");
    const AssetId resultId = numberAfter(run.out, "done [0-9]+ ");
    auto library = c.library();
    auto result = library->catalog().asset(resultId);
    REQUIRE(result);
    CHECK(result->stage == Stage::Inpainted);
    CHECK(result->parents == std::vector<AssetId>{imageId});
    CHECK(result->generation.params["engine"] == "local:telea");
    auto maskAsset = library->catalog().asset(maskId);
    REQUIRE(maskAsset);
    CHECK(maskAsset->kind == AssetKind::Mask);
    CHECK(result->generation.params["mask"] == maskAsset->sha256);

    // The same image again by its asset id, with the other local engines.
    const std::string engine = GENERATE("local-ns", "local-fsr");
    const auto again = c.cli({"--asset", std::to_string(imageId), "--mask",
                              (c.dir / "mask.png").string(), "--engine", engine, "--only-masked",
                              "--padding", "8", "--out", (c.dir / "again.png").string()});
    INFO(again.err);
    REQUIRE(again.exitCode == 0);
    CHECK(changedOutside(c.read("again.png"), c.original, c.mask) == 0);
}

TEST_CASE("ripen-cli inpaint with a provider queues with its estimate and composites on --wait",
          "[cli][inpaint]") {
    InpaintCli c;
    c.openai.setImageSize(1024, 1024);
    const std::vector<std::string> common{
        "--image",  (c.dir / "photo.png").string(), "--mask",   (c.dir / "mask.png").string(),
        "--engine", "openai:gpt-image-1",           "--prompt", "a paper kite"};
    std::vector<std::string> queued = common;
    const auto later = c.cli(queued);
    REQUIRE(later.exitCode == 0);
    CHECK_THAT(later.out, Catch::Contains("estimate 0.042 USD"));
    CHECK(c.openai.server().count("/v1/images/edits") == 0); // queued, not sent

    std::vector<std::string> waited = common;
    waited.insert(waited.end(),
                  {"--feather", "3", "--wait", "--out", (c.dir / "kite.png").string()});
    const auto now = c.cli(waited);
    INFO(now.err);
    REQUIRE(now.exitCode == 0);
    CHECK(c.openai.problems().empty());
    const cv::Mat kite = c.read("kite.png");
    REQUIRE(kite.size() == c.original.size());
    CHECK(changedOutside(kite, c.original, changeableRegion(c.mask, 3)) == 0);
}

TEST_CASE("ripen-cli inpaint with a Gemini model edits the region by instruction",
          "[cli][inpaint][google]") {
    InpaintCli c;
    google::GoogleFakeServer gemini;
    ::setenv("RIPEN_GEMINI_BASE_URL", gemini.baseUrl().c_str(), 1);
    ::setenv("GEMINI_API_KEY", google::kApiKey, 1);
    // The reply is another size and another picture.
    gemini.setImageReplies(
        {FakeReply::json(200, google::GoogleFakeServer::contentReply(
                                  nlohmann::json::array({google::GoogleFakeServer::imagePart(
                                      encodeTestImage(makeTestImage(1024, 768, 12), ".png"))})))});
    const std::vector<std::string> common{"--image",  (c.dir / "photo.png").string(),
                                          "--mask",   (c.dir / "mask.png").string(),
                                          "--prompt", "a paper kite"};
    auto args = common;
    args.insert(args.end(), {"--engine", "google:gemini-3.1-flash-image", "--only-masked",
                             "--feather", "2", "--wait", "--out", (c.dir / "kite.png").string()});
    const auto run = c.cli(args);
    INFO(run.out << run.err);
    REQUIRE(run.exitCode == 0);
    CHECK_THAT(run.out, Catch::Contains("estimate 0.067 USD"));
    CHECK(gemini.keyProblems().empty());
    const auto bodies = gemini.bodies(":generateContent");
    REQUIRE(bodies.size() == 1);
    const auto& parts = bodies.front()["contents"][0]["parts"];
    REQUIRE(parts.size() == 2); // the instruction and the context box, no mask
    CHECK_THAT(parts[0]["text"].get<std::string>(),
               Catch::Contains("Change only the region") && Catch::Contains("a paper kite"));
    CHECK(parts[1]["inlineData"]["mimeType"] == "image/png");
    const cv::Mat kite = c.read("kite.png");
    REQUIRE(kite.size() == c.original.size());
    CHECK(changedOutside(kite, c.original, changeableRegion(c.mask, 2)) == 0);
    CHECK(changedInside(kite, c.original, c.mask) > 0);

    // Nano Banana (gemini-2.5-flash-image) was shut down: refused before anything is paid.
    auto retired = common;
    retired.insert(retired.end(), {"--engine", "google:gemini-2.5-flash-image"});
    const auto refused = c.cli(retired);
    CHECK(refused.exitCode != 0);
    CHECK_THAT(refused.err,
               Catch::Contains("retired") && Catch::Contains("gemini-3.1-flash-image instead"));
    CHECK(gemini.bodies(":generateContent").size() == 1);
}

TEST_CASE("ripen-cli inpaint refuses bad masks with both sizes named", "[cli][inpaint]") {
    InpaintCli c;
    SECTION("another size") {
        writeTestImage(c.dir / "mask.png", ellipseMask({64, 64}, {30, 30}, 0.1));
        const auto run = c.cli({"--image", (c.dir / "photo.png").string(), "--mask",
                                (c.dir / "mask.png").string(), "--engine", "local-telea"});
        CHECK(run.exitCode == 1);
        CHECK_THAT(run.err, Catch::Contains("mask.png is 64x64 but the image is 160x120"));
    }
    SECTION("an empty mask") {
        writeTestImage(c.dir / "mask.png", cv::Mat::zeros(120, 160, CV_8UC1));
        const auto run = c.cli({"--image", (c.dir / "photo.png").string(), "--mask",
                                (c.dir / "mask.png").string(), "--engine", "local-ns"});
        CHECK(run.exitCode == 1);
        CHECK_THAT(run.err, Catch::Contains("mask.png is empty"));
    }
    SECTION("a full mask") {
        writeTestImage(c.dir / "mask.png", cv::Mat(120, 160, CV_8UC1, cv::Scalar(255)));
        const auto run = c.cli({"--image", (c.dir / "photo.png").string(), "--mask",
                                (c.dir / "mask.png").string(), "--engine", "local-fsr"});
        CHECK(run.exitCode == 1);
        CHECK_THAT(run.err, Catch::Contains("covers the whole image"));
    }
    CHECK_FALSE(std::filesystem::exists(c.dir / "out.png"));
}

TEST_CASE("ripen-cli inpaint checks its command line", "[cli][inpaint]") {
    InpaintCli c;
    const std::string photo = (c.dir / "photo.png").string();
    const std::string mask = (c.dir / "mask.png").string();
    CHECK(c.cli({"--image", photo, "--asset", "1", "--mask", mask, "--engine", "local-ns"})
              .exitCode == 2);
    CHECK(c.cli({"--image", photo, "--engine", "local-ns"}).exitCode == 2);
    CHECK(c.cli({"--image", photo, "--mask", mask, "--engine", "local-magic"}).exitCode == 2);
    CHECK(c.cli({"--image", photo, "--mask", mask, "--engine", "local-ns", "--feather", "-3"})
              .exitCode == 2);
    CHECK(c.cli({"--image", photo, "--mask", mask, "--engine", "local-ns", "--padding", "9"})
              .exitCode == 2);
    const auto noPrompt = c.cli({"--image", photo, "--mask", mask, "--engine", "openai"});
    CHECK(noPrompt.exitCode == 2);
    CHECK_THAT(noPrompt.err, Catch::Contains("--prompt"));
    const auto outNoWait = c.cli({"--image", photo, "--mask", mask, "--engine", "openai",
                                  "--prompt", "x", "--out", (c.dir / "o.png").string()});
    CHECK(outNoWait.exitCode == 2);
}

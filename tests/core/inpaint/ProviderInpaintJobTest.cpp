// Provider inpaints through the job queue against loopback fakes that speak the real
// protocols: whatever comes back is composited before it becomes an asset.
#include "catalog/AssetIngest.h"
#include "catalog/Library.h"
#include "catalog/MaskAsset.h"
#include "common/ResourceLocator.h"
#include "core/providers/google/GoogleFakeServer.h"
#include "imaging/inpaint/InpaintSettings.h"
#include "imaging/inpaint/MaskOps.h"
#include "jobs/JobRunner.h"
#include "jobs/JobStore.h"
#include "providers/ProviderSupport.h"
#include "providers/automatic1111/Automatic1111Provider.h"
#include "providers/google/GoogleProvider.h"
#include "providers/local/LocalProvider.h"
#include "providers/openai/OpenAiImagesProvider.h"
#include "providers/stability/StabilityProvider.h"
#include "support/MaskChecks.h"
#include "support/TempDir.h"
#include "support/TestCredentials.h"
#include "support/TestImages.h"
#include "support/fakes/Automatic1111FakeServer.h"
#include "support/fakes/OpenAiFakeServer.h"
#include "support/fakes/StabilityFakeServer.h"

#include <catch2/catch.hpp>
#include <cstdlib>
#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>

using namespace ripen;
using namespace ripen::test;

namespace {

cv::Mat decodeBytes(const std::string& bytes) {
    return cv::imdecode(
        cv::Mat(1, static_cast<int>(bytes.size()), CV_8UC1, const_cast<char*>(bytes.data())),
        cv::IMREAD_UNCHANGED);
}

// One library with an image and its mask, and every provider an inpaint can use.
struct InpaintQueue {
    TempDir dir;
    OpenAiFakeServer openai;
    StabilityFakeServer stability;
    Automatic1111FakeServer a1111;
    google::GoogleFakeServer gemini;
    std::unique_ptr<Library> library;
    ProviderRegistry registry;
    TestCredentials credentials;
    http::HttpClient http;
    PriceBook prices;
    cv::Mat original;
    cv::Mat mask;
    Asset image;
    Asset maskAsset;

    InpaintQueue() {
        ::setenv("RIPEN_OPENAI_BASE_URL", openai.baseUrl().c_str(), 1);
        ::setenv("RIPEN_STABILITY_BASE_URL", stability.baseUrl().c_str(), 1);
        ::setenv("RIPEN_A1111_BASE_URL", a1111.baseUrl().c_str(), 1);
        ::setenv("RIPEN_GEMINI_BASE_URL", gemini.baseUrl().c_str(), 1);
        credentials.values = {{"OPENAI_API_KEY", OpenAiFakeServer::kApiKey},
                              {"STABILITY_API_KEY", StabilityFakeServer::kApiKey},
                              {"GEMINI_API_KEY", google::kApiKey}};
        registry.add(std::make_unique<OpenAiImagesProvider>(), {2, 600});
        registry.add(std::make_unique<StabilityProvider>(), {2, 600});
        registry.add(std::make_unique<LocalProvider>(), {1, 1000});
        registry.add(std::make_unique<providers::automatic1111::Automatic1111Provider>(), {1, 600});
        registry.add(std::make_unique<providers::google::GoogleProvider>(), {2, 600});
        auto opened = Library::open(dir / "library");
        REQUIRE(opened);
        library = std::move(*opened);
        auto loaded = PriceBook::load(resourceFile("pricebook.json"));
        REQUIRE(loaded);
        prices = std::move(*loaded);

        original = makeTestImage(160, 120, 21);
        writeTestImage(dir / "photo.png", original);
        NullProgress progress;
        auto prepared = AssetIngest(*library).prepare(dir / "photo.png", {}, progress);
        REQUIRE(prepared);
        auto id = library->catalog().addAsset(*prepared);
        REQUIRE(id);
        image = *prepared;
        image.id = *id;
        mask = ellipseMask(original.size(), {60, 70}, 0.06);
        writeTestImage(dir / "mask.png", mask);
        auto stored = storeMaskFor(*library, image.id, dir / "mask.png");
        REQUIRE(stored);
        maskAsset = *stored;
    }

    GenerationRequest request(std::string provider, std::string model, JobKind kind,
                              InpaintSettings settings) const {
        GenerationRequest r;
        r.kind = kind;
        r.provider = std::move(provider);
        r.model = std::move(model);
        r.prompt = kind == JobKind::Inpaint ? "a brass lantern" : "";
        r.images = {library->blobFile(image)};
        r.mask = library->blobFile(maskAsset);
        settings.writeTo(r.options);
        return r;
    }

    Job run(const GenerationRequest& r) {
        auto estimate = prices.estimate(r);
        REQUIRE(estimate);
        EnqueueOptions options;
        options.stage = Stage::Inpainted;
        auto ids = JobStore(*library).enqueue(r, options, *estimate);
        REQUIRE(ids);
        JobRunner runner(library->root(), registry, credentials, prices, http);
        REQUIRE(runner.runUntilIdle({}));
        auto job = JobStore(*library).job(ids->front());
        REQUIRE(job);
        return *job;
    }

    Asset resultAsset(const Job& job) {
        REQUIRE(job.state == JobState::Succeeded);
        REQUIRE(job.assets.size() == 1);
        auto asset = library->catalog().asset(job.assets[0]);
        REQUIRE(asset);
        return *asset;
    }

    cv::Mat pixels(const Asset& asset) {
        return cv::imread(library->blobFile(asset).string(), cv::IMREAD_UNCHANGED);
    }

    void checkOriginalUntouched() {
        CHECK(readBytes(library->blobFile(image)) == readBytes(dir / "photo.png"));
    }
};

// OpenAI's edit answered with the uploaded image itself, colour-shifted.
FakeReply shiftedEcho(const RecordedRequest& request) {
    const RecordedFile* file = request.file("image");
    if (file == nullptr) {
        file = request.file("image[]");
    }
    if (file == nullptr) {
        return FakeReply::json(400, {{"error", {{"message", "no image"}}}});
    }
    cv::Mat shifted;
    decodeBytes(file->content).convertTo(shifted, -1, 1.0, 50);
    nlohmann::json data = nlohmann::json::array();
    data.push_back({{"b64_json", providers::encodeBase64(encodeTestImage(shifted, ".png"))}});
    return FakeReply::json(200, {{"created", 1}, {"data", data}});
}

} // namespace

TEST_CASE("OpenAI inpaint results of another size change nothing outside mask and feather",
          "[inpaint][jobs][openai]") {
    InpaintQueue q;
    q.openai.setImageSize(1024, 1024); // another size and a different picture
    InpaintSettings settings;
    settings.featherPixels = 6;
    const Job job = q.run(q.request("openai", "gpt-image-1", JobKind::Inpaint, settings));
    const Asset result = q.resultAsset(job);
    REQUIRE(q.openai.problems().empty());
    // OpenAI edits where the mask is transparent: Ripen's white became alpha 0.
    const cv::Mat sent = q.openai.lastMask();
    REQUIRE(sent.channels() == 4);
    CHECK(sent.at<cv::Vec4b>(70, 60)[3] == 0);
    CHECK(sent.at<cv::Vec4b>(5, 150)[3] == 255);

    const cv::Mat out = q.pixels(result);
    REQUIRE(out.size() == q.original.size());
    CHECK(changedOutside(out, q.original, changeableRegion(q.mask, 6)) == 0);
    CHECK(changedInside(out, q.original, q.mask) > 0);
    q.checkOriginalUntouched();

    CHECK(result.stage == Stage::Inpainted);
    CHECK(result.parents == std::vector<AssetId>{q.image.id});
    CHECK(result.generation.prompt == "a brass lantern");
    CHECK(result.generation.params["mask"] == q.maskAsset.sha256);
    CHECK(result.generation.params["engine"] == "openai:gpt-image-1");
    CHECK(result.generation.params["feather_px"] == 6);
    REQUIRE(job.cost);
    CHECK(result.generation.params["cost_micros"] == *job.cost);
    CHECK(result.costMicros == *job.cost);
}

TEST_CASE("A colour-shifted OpenAI reply is held inside the mask", "[inpaint][jobs][openai]") {
    InpaintQueue q;
    q.openai.server().on("POST", "/v1/images/edits", shiftedEcho);
    const bool onlyMasked = GENERATE(false, true);
    CAPTURE(onlyMasked);
    InpaintSettings settings;
    settings.featherPixels = 4;
    settings.onlyMasked = onlyMasked;
    settings.nativeSide = 1024;
    const Job job = q.run(q.request("openai", "gpt-image-1", JobKind::Inpaint, settings));
    const cv::Mat out = q.pixels(q.resultAsset(job));
    REQUIRE(out.size() == q.original.size());
    CHECK(changedOutside(out, q.original, changeableRegion(q.mask, 4)) == 0);
    // Inside, the shift shows: the engine's pixels were used.
    const cv::Vec3b inside = out.at<cv::Vec3b>(70, 60);
    const cv::Vec3b before = q.original.at<cv::Vec3b>(70, 60);
    CHECK(std::abs(inside[1] - before[1]) > 20);
    if (onlyMasked) {
        // The provider saw the context box at its native size, not the whole image.
        const auto sent = q.openai.server().lastRequest();
        REQUIRE(sent);
        const cv::Mat sentImage = decodeBytes(sent->file("image") ? sent->file("image")->content
                                                                  : sent->file("image[]")->content);
        CHECK(std::max(sentImage.cols, sentImage.rows) == 1024);
    }
}

TEST_CASE("Stability inpaint and erase send white-means-change and are composited",
          "[inpaint][jobs][stability]") {
    InpaintQueue q;
    q.stability.setImageSize(96, 96);
    const bool erase = GENERATE(false, true);
    CAPTURE(erase);
    InpaintSettings settings;
    settings.featherPixels = 3;
    const Job job = q.run(erase ? q.request("stability", "erase", JobKind::Erase, settings)
                                : q.request("stability", "inpaint", JobKind::Inpaint, settings));
    const Asset result = q.resultAsset(job);
    REQUIRE(q.stability.problems().empty());
    const cv::Mat sent = q.stability.lastMask();
    REQUIRE(sent.channels() == 1);
    CHECK(sent.at<uchar>(70, 60) == 255);
    CHECK(sent.at<uchar>(5, 150) == 0);
    const cv::Mat out = q.pixels(result);
    CHECK(changedOutside(out, q.original, changeableRegion(q.mask, 3)) == 0);
    CHECK(result.generation.params["engine"] == (erase ? "stability:erase" : "stability:inpaint"));
    CHECK(result.costCurrency == "credits");
    q.checkOriginalUntouched();
}

TEST_CASE("A self-hosted AUTOMATIC1111 inpaint is composited the same way",
          "[inpaint][jobs][automatic1111]") {
    InpaintQueue q;
    // The server answers a brighter picture of another size.
    cv::Mat answer;
    makeTestImage(512, 384, 4).convertTo(answer, -1, 1.0, 60);
    q.a1111.setImage(encodeTestImage(answer, ".png"));
    InpaintSettings settings;
    settings.featherPixels = 2;
    const Job job = q.run(q.request("automatic1111", Automatic1111FakeServer::kModelName,
                                    JobKind::Inpaint, settings));
    const cv::Mat out = q.pixels(q.resultAsset(job));
    REQUIRE(out.size() == q.original.size());
    CHECK(changedOutside(out, q.original, changeableRegion(q.mask, 2)) == 0);
    CHECK(changedInside(out, q.original, q.mask) > 0);
    REQUIRE(q.a1111.bodies().size() == 1);
    CHECK(q.a1111.bodies()[0].contains("mask"));
    q.checkOriginalUntouched();
}

TEST_CASE("A garbage reply fails the job and leaves the original alone",
          "[inpaint][jobs][openai]") {
    InpaintQueue q;
    nlohmann::json data = nlohmann::json::array();
    data.push_back({{"b64_json", providers::encodeBase64("GIF89a definitely not a picture")}});
    q.openai.server().reply("POST", "/v1/images/edits",
                            FakeReply::json(200, {{"created", 1}, {"data", data}}));
    const Job job = q.run(q.request("openai", "gpt-image-1", JobKind::Inpaint, {}));
    CHECK(job.state == JobState::Failed);
    CHECK(job.assets.empty());
    q.checkOriginalUntouched();
}

TEST_CASE("A bad mask fails an inpaint job before anything is sent", "[inpaint][jobs]") {
    InpaintQueue q;
    writeTestImage(q.dir / "small.png", cv::Mat(32, 32, CV_8UC1, cv::Scalar(255)));
    GenerationRequest r = q.request("openai", "gpt-image-1", JobKind::Inpaint, {});
    r.mask = q.dir / "small.png";
    const Job job = q.run(r);
    CHECK(job.state == JobState::Failed);
    CHECK_THAT(job.error, Catch::Contains("32x32") && Catch::Contains("160x120"));
    CHECK(q.openai.server().count("/v1/images/edits") == 0);
}

TEST_CASE("Local engines through the queue are composited with the feather too",
          "[inpaint][jobs][local]") {
    InpaintQueue q;
    const std::string model = GENERATE("telea", "navier-stokes", "fsr-fast");
    CAPTURE(model);
    InpaintSettings settings;
    settings.featherPixels = 5;
    settings.onlyMasked = true;
    const Job job = q.run(q.request("local", model, JobKind::Erase, settings));
    const Asset result = q.resultAsset(job);
    CHECK(job.cost == 0);
    const cv::Mat out = q.pixels(result);
    CHECK(changedOutside(out, q.original, changeableRegion(q.mask, 5)) == 0);
    CHECK(changedInside(out, q.original, q.mask) > 0);
    CHECK(result.stage == Stage::Inpainted);
    CHECK(result.generation.params["engine"] == "local:" + model);
    q.checkOriginalUntouched();
}

TEST_CASE("The mask is a mask asset linked to its image", "[inpaint][catalog]") {
    InpaintQueue q;
    CHECK(q.maskAsset.kind == AssetKind::Mask);
    auto children = q.library->catalog().children(q.image.id);
    REQUIRE(children);
    CHECK(std::ranges::find(*children, q.maskAsset.id) != children->end());
    // Storing the same mask again links the same asset.
    auto again = storeMaskFor(*q.library, q.image.id, q.dir / "mask.png");
    REQUIRE(again);
    CHECK(again->id == q.maskAsset.id);
}

namespace {

// What a Gemini request carried: its text and its inline images, decoded.
struct GeminiSent {
    std::string text;
    std::vector<cv::Mat> images;
};

GeminiSent geminiSent(const nlohmann::json& body) {
    GeminiSent sent;
    for (const auto& part : body["contents"][0]["parts"]) {
        if (part.contains("text")) {
            sent.text += part["text"].get<std::string>();
        } else if (part.contains("inlineData")) {
            auto bytes =
                providers::decodeBase64(part["inlineData"]["data"].get<std::string>(), 1 << 26);
            REQUIRE(bytes);
            sent.images.push_back(decodeBytes(*bytes));
        }
    }
    return sent;
}

FakeReply geminiImageReply(const cv::Mat& picture) {
    return FakeReply::json(
        200, google::GoogleFakeServer::contentReply(nlohmann::json::array(
                 {{{"text", "Here is the edited picture."}},
                  google::GoogleFakeServer::imagePart(encodeTestImage(picture, ".png"))})));
}

} // namespace

TEST_CASE("A Gemini inpaint sends the picture and an instruction and keeps the outside exact",
          "[inpaint][jobs][google]") {
    InpaintQueue q;
    // Nano Banana redraws the whole picture, square and brighter: nothing of that may leak
    // outside the mask and its feather.
    cv::Mat redrawn;
    makeTestImage(1024, 1024, 8).convertTo(redrawn, -1, 1.0, 70);
    q.gemini.setImageReplies({geminiImageReply(redrawn)});
    const bool onlyMasked = GENERATE(false, true);
    CAPTURE(onlyMasked);
    InpaintSettings settings;
    settings.featherPixels = 5;
    settings.onlyMasked = onlyMasked;
    settings.fitToEngine(false);
    const Job job =
        q.run(q.request("google", "gemini-3.1-flash-image", JobKind::Inpaint, settings));
    const Asset result = q.resultAsset(job);
    REQUIRE(q.gemini.keyProblems().empty());

    const cv::Mat out = q.pixels(result);
    REQUIRE(out.size() == q.original.size());
    CHECK(changedOutside(out, q.original, changeableRegion(q.mask, 5)) == 0);
    CHECK(changedInside(out, q.original, q.mask) > 0);
    q.checkOriginalUntouched();

    const auto bodies = q.gemini.bodies(":generateContent");
    REQUIRE(bodies.size() == 1);
    const GeminiSent sent = geminiSent(bodies.front());
    // The instruction names the region (the mask sits left of centre, a little low) and
    // what to paint there; the mask itself is not sent, only the picture.
    CHECK_THAT(sent.text, Catch::Contains("Change only the region from") &&
                              Catch::Contains(": a brass lantern") &&
                              Catch::Contains("Keep everything outside that region"));
    REQUIRE(sent.images.size() == 1);
    if (onlyMasked) {
        // The context box around the mask at the provider's working size.
        CHECK(std::max(sent.images[0].cols, sent.images[0].rows) ==
              InpaintSettings::kProviderNativeSide);
        CHECK_THAT(sent.text, Catch::Contains("(centre)"));
    } else {
        CHECK(sent.images[0].size() == q.original.size());
        CHECK(cv::norm(sent.images[0], q.original, cv::NORM_INF) == 0);
    }

    CHECK(result.stage == Stage::Inpainted);
    CHECK(result.parents == std::vector<AssetId>{q.image.id});
    CHECK(result.generation.prompt == "a brass lantern");
    CHECK(result.generation.params["engine"] == "google:gemini-3.1-flash-image");
    REQUIRE(job.cost);
    CHECK(*job.cost > 0); // settled from the reply's token counts
    CHECK(result.costMicros == *job.cost);
}

TEST_CASE("A Gemini erase asks for the region to be removed", "[inpaint][jobs][google]") {
    InpaintQueue q;
    q.gemini.setImageReplies({geminiImageReply(makeTestImage(200, 150, 3))});
    const Job job = q.run(q.request("google", "gemini-3-pro-image", JobKind::Erase, {}));
    const cv::Mat out = q.pixels(q.resultAsset(job));
    CHECK(changedOutside(out, q.original, q.mask) == 0);
    const auto bodies = q.gemini.bodies(":generateContent");
    REQUIRE(bodies.size() == 1);
    CHECK_THAT(geminiSent(bodies.front()).text,
               Catch::Contains("Remove what is in the region from"));
}

TEST_CASE("A Gemini error reply fails the inpaint with Google's words", "[inpaint][jobs][google]") {
    InpaintQueue q;
    q.gemini.setImageReplies({google::googleError(
        400, "INVALID_ARGUMENT", "Unable to process input image. Please retry or report it.")});
    const Job job = q.run(q.request("google", "gemini-3.1-flash-image", JobKind::Inpaint, {}));
    CHECK(job.state == JobState::Failed);
    CHECK_THAT(job.error, Catch::Contains("Unable to process input image") &&
                              Catch::Contains("INVALID_ARGUMENT"));
    CHECK(job.error.find(google::kApiKey) == std::string::npos);
    CHECK(job.assets.empty());
    CHECK(q.gemini.bodies(":generateContent").size() == 1); // never resent on its own
    q.checkOriginalUntouched();
}

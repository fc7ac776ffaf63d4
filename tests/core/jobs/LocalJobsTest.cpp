// Local engines run as queue jobs: no key, no charge, same lineage and guarantees.
#include "catalog/Library.h"
#include "common/ResourceLocator.h"
#include "imaging/upscale/BackProjection.h"
#include "imaging/upscale/ModelRegistry.h"
#include "imaging/upscale/SrEngine.h"
#include "jobs/JobRunner.h"
#include "jobs/JobStore.h"
#include "providers/local/LocalProvider.h"
#include "support/TempDir.h"
#include "support/TestCredentials.h"
#include "support/TestImages.h"

#include <algorithm>
#include <catch2/catch.hpp>
#include <condition_variable>
#include <mutex>
#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>
#include <thread>

using namespace ripen;
using namespace ripen::test;

namespace {

struct LocalFixture {
    TempDir dir;
    ProviderRegistry registry;
    TestCredentials keys;
    http::HttpClient http;
    PriceBook prices;
    std::unique_ptr<Library> library;

    LocalFixture() {
        registry.add(std::make_unique<LocalProvider>(
                         std::vector<std::filesystem::path>{RIPEN_TEST_MODELS_DIR}),
                     {1, 1000});
        auto loaded = PriceBook::load(resourceFile("pricebook.json"));
        REQUIRE(loaded);
        prices = std::move(*loaded);
        auto opened = Library::open(dir / "library");
        REQUIRE(opened);
        library = std::move(*opened);
    }

    JobId enqueue(const GenerationRequest& request) {
        auto estimate = prices.estimate(request);
        REQUIRE(estimate);
        CHECK(estimate->amount == 0);
        auto ids = JobStore(*library).enqueue(request, {}, *estimate);
        REQUIRE(ids);
        return ids->front();
    }

    Job runOne(const GenerationRequest& request) {
        const JobId id = enqueue(request);
        JobRunner runner(library->root(), registry, keys, prices, http);
        REQUIRE(runner.runUntilIdle({}));
        auto job = JobStore(*library).job(id);
        REQUIRE(job);
        return *job;
    }

    cv::Mat assetPixels(const Job& job) {
        REQUIRE(job.assets.size() == 1);
        auto asset = library->catalog().asset(job.assets[0]);
        REQUIRE(asset);
        return cv::imread(library->blobFile(*asset).string(), cv::IMREAD_UNCHANGED);
    }
};

// The classic (non-neural) local upscale of `image` by 4.
GenerationRequest classicUpscaleX4(const std::filesystem::path& image) {
    GenerationRequest r;
    r.kind = JobKind::Upscale;
    r.provider = "local";
    r.model = "classic-upscale";
    r.upscaleFactor = 4;
    r.images = {image};
    return r;
}

} // namespace

TEST_CASE("A local upscale is a free job whose asset has the new size", "[jobs][local]") {
    LocalFixture f;
    writeTestImage(f.dir / "in.png", makeTestImage(64, 48, 2));
    const Job job = f.runOne(classicUpscaleX4(f.dir / "in.png"));
    CHECK(job.state == JobState::Succeeded);
    CHECK(job.cost == 0);
    const cv::Mat out = f.assetPixels(job);
    CHECK(out.cols == 256);
    CHECK(out.rows == 192);
}

TEST_CASE("A local upscale with a neural model name runs that model as a free job",
          "[jobs][local][upscale]") {
    LocalFixture f;
    const cv::Mat image = makeTestImage(64, 48, 2);
    writeTestImage(f.dir / "in.png", image);
    GenerationRequest r;
    r.kind = JobKind::Upscale;
    r.provider = "local";
    r.model = "esrgan-slim-x4";
    r.images = {f.dir / "in.png"};
    const Job job = f.runOne(r);
    REQUIRE(job.state == JobState::Succeeded);
    CHECK(job.cost == 0);
    const cv::Mat out = f.assetPixels(job);
    REQUIRE(out.size() == cv::Size(256, 192));
    // The pixels are the model's: the same model run directly on the whole image, then
    // back-projected onto the input as every neural pass is.
    const auto model = ModelRegistry({RIPEN_TEST_MODELS_DIR}).find("esrgan-slim-x4");
    REQUIRE(model);
    auto network = ModelRegistry::load(*model);
    REQUIRE(network);
    auto engine = SrEngine::create(std::move(*network));
    REQUIRE(engine);
    cv::Mat bgr = image;
    if (image.channels() == 4) {
        cv::cvtColor(image, bgr, cv::COLOR_BGRA2BGR);
    }
    auto direct = engine->run(bgr);
    REQUIRE(direct);
    cv::Mat expected;
    direct->convertTo(expected, CV_8U);
    NullProgress none;
    REQUIRE(BackProjection::apply(bgr, expected, {}, none));
    cv::Mat colour = out;
    if (out.channels() == 4) {
        cv::cvtColor(out, colour, cv::COLOR_BGRA2BGR);
    }
    CHECK(cv::PSNR(colour, expected) > 50.0);

    SECTION("a model that does not exist fails the job naming it") {
        r.model = "no-such-model-x4";
        const Job failed = f.runOne(r);
        CHECK(failed.state == JobState::Failed);
        CHECK(failed.error.find("no-such-model-x4") != std::string::npos);
    }
    SECTION("a factor the model does not have fails the job naming both") {
        r.upscaleFactor = 2;
        const Job failed = f.runOne(r);
        CHECK(failed.state == JobState::Failed);
        CHECK(failed.error.find("upscales by 4") != std::string::npos);
    }
}

TEST_CASE("Local inpainting changes nothing outside the mask", "[jobs][local]") {
    LocalFixture f;
    const cv::Mat image = makeTestImage(120, 80, 5);
    writeTestImage(f.dir / "in.png", image);
    cv::Mat mask = cv::Mat::zeros(80, 120, CV_8UC1);
    cv::circle(mask, {60, 40}, 15, cv::Scalar(255), cv::FILLED);
    REQUIRE(cv::imwrite((f.dir / "mask.png").string(), mask));
    GenerationRequest r;
    r.kind = JobKind::Erase;
    r.provider = "local";
    r.model = "telea";
    r.images = {f.dir / "in.png"};
    r.mask = f.dir / "mask.png";
    const Job job = f.runOne(r);
    REQUIRE(job.state == JobState::Succeeded);
    const cv::Mat out = f.assetPixels(job);
    REQUIRE(out.size() == image.size());
    cv::Mat outside;
    cv::bitwise_not(mask, outside);
    cv::Mat difference;
    cv::absdiff(out, image, difference);
    cv::Mat perPixel;
    cv::cvtColor(difference, perPixel, cv::COLOR_BGR2GRAY);
    CHECK(cv::countNonZero(perPixel & outside) == 0);
    CHECK(cv::countNonZero(perPixel & mask) > 0); // the region itself was filled
}

TEST_CASE("A mask of the wrong size fails the job with both sizes named", "[jobs][local]") {
    LocalFixture f;
    writeTestImage(f.dir / "in.png", makeTestImage(120, 80, 5));
    REQUIRE(cv::imwrite((f.dir / "mask.png").string(), cv::Mat::zeros(10, 10, CV_8UC1)));
    GenerationRequest r;
    r.kind = JobKind::Inpaint;
    r.provider = "local";
    r.model = "telea";
    r.images = {f.dir / "in.png"};
    r.mask = f.dir / "mask.png";
    const Job job = f.runOne(r);
    CHECK(job.state == JobState::Failed);
    CHECK_THAT(job.error, Catch::Contains("10x10") && Catch::Contains("120x80"));
}

namespace {

// A runner that passes on every report, so tests can count them.
JobRunner::Settings everyReport() {
    JobRunner::Settings settings;
    settings.progressInterval = std::chrono::milliseconds(0);
    return settings;
}

// A local x4 neural upscale big enough to run many tiles.
GenerationRequest tiledNeuralUpscale(const std::filesystem::path& image) {
    GenerationRequest r;
    r.kind = JobKind::Upscale;
    r.provider = "local";
    r.model = "esrgan-slim-x4";
    r.images = {image};
    r.options["tile"] = 32;
    return r;
}

} // namespace

TEST_CASE("A local upscale in the queue reports rising progress tile by tile",
          "[jobs][local][progress]") {
    LocalFixture f;
    writeTestImage(f.dir / "in.png", makeTestImage(192, 128, 4)); // 6x4 tiles
    const JobId id = f.enqueue(tiledNeuralUpscale(f.dir / "in.png"));
    JobRunner runner(f.library->root(), f.registry, f.keys, f.prices, f.http, everyReport());
    std::mutex mutex;
    std::vector<double> fractions;
    std::vector<std::string> stages;
    runner.subscribe([&](const JobEvent& event) {
        if (event.progress && event.state == JobState::Submitting) {
            std::lock_guard lock(mutex);
            fractions.push_back(*event.progress);
            stages.push_back(event.message);
        }
    });
    REQUIRE(runner.runUntilIdle({}));
    const auto job = JobStore(*f.library).job(id);
    REQUIRE(job);
    CHECK(job->state == JobState::Succeeded);
    REQUIRE(fractions.size() >= 24); // at least one report per tile
    CHECK(std::ranges::is_sorted(fractions));
    CHECK(fractions.front() < 0.1);
    CHECK(fractions.back() == Approx(1.0));
    // Each names its pass and tile: "pass 1/1 x4: tile 7/24".
    CHECK(std::ranges::count_if(stages, [](const std::string& stage) {
              return stage.starts_with("pass 1/1 x4: tile ") && stage.ends_with("/24");
          }) >= 24);
}

namespace {

// Runs `request` in a runner on its own thread, cancels the job once it has reported
// progress, and checks what the user would see: the job canceled, stopped part-way, in
// reasonable time, with no asset, no charge and no file left behind (no output in the
// job's work folder, no temp file anywhere in the library).
void checkCanceledMidRun(LocalFixture& f, const GenerationRequest& request) {
    const JobId id = f.enqueue(request);
    JobRunner::Settings settings = everyReport();
    settings.idleTick = std::chrono::milliseconds(10);
    JobRunner runner(f.library->root(), f.registry, f.keys, f.prices, f.http, settings);
    std::mutex mutex;
    std::condition_variable started;
    std::vector<double> fractions;
    std::optional<JobState> finalState;
    runner.subscribe([&](const JobEvent& event) {
        std::lock_guard lock(mutex);
        if (event.progress && event.state == JobState::Submitting) {
            fractions.push_back(*event.progress);
            started.notify_all();
        }
        if (isFinal(event.state)) {
            finalState = event.state;
        }
    });
    std::jthread worker([&] { REQUIRE(runner.runUntilIdle({})); });
    {
        std::unique_lock lock(mutex);
        // Past the pass's first report, so the cancel lands inside the engine's work.
        REQUIRE(started.wait_for(lock, std::chrono::seconds(60),
                                 [&] { return fractions.size() >= 2; }));
    }
    const auto cancelAt = std::chrono::steady_clock::now();
    REQUIRE(JobStore(*f.library).cancel(id));
    worker.join();
    const auto cancelTook = std::chrono::steady_clock::now() - cancelAt;

    const auto job = JobStore(*f.library).job(id);
    REQUIRE(job);
    CHECK(job->state == JobState::Canceled);
    CHECK(job->error == "canceled"); // a free local engine never "may still charge"
    CHECK(finalState == JobState::Canceled);
    CHECK(job->assets.empty());
    CHECK(job->cost.value_or(0) == 0);
    // It stopped part-way: the end was never reached.
    CHECK(fractions.back() < 1.0);
    // Stopped within a few tiles or bands, not at the end of a long run (a generous bound
    // for a busy machine; the whole run takes many times longer).
    CHECK(cancelTook < std::chrono::seconds(20));
    const auto work = f.library->root() / "jobs" / job->key;
    CHECK((!std::filesystem::exists(work) || std::filesystem::is_empty(work)));
    for (const auto& entry : std::filesystem::recursive_directory_iterator(f.library->root())) {
        INFO(entry.path());
        CHECK(entry.path().extension() != ".tmp");
    }
    auto assets = f.library->catalog().count(AssetQuery{});
    REQUIRE(assets);
    CHECK(*assets == 0);
}

} // namespace

TEST_CASE("Canceling a local upscale mid-run ends it canceled with no output",
          "[jobs][local][progress]") {
    LocalFixture f;
    writeTestImage(f.dir / "in.png", makeTestImage(384, 384, 4)); // 144 tiles
    checkCanceledMidRun(f, tiledNeuralUpscale(f.dir / "in.png"));
}

TEST_CASE("Canceling a classic upscale to 8K stops inside its steps with no output",
          "[jobs][local][progress]") {
    LocalFixture f;
    // 1920x1080 x4 = 7680x4320: each whole-image step would take seconds here; the
    // engine works in bands and checks the token between them.
    writeTestImage(f.dir / "in.png", makeTestImage(1920, 1080, 4));
    checkCanceledMidRun(f, classicUpscaleX4(f.dir / "in.png"));
}

// A provider's upscale that needs more than one pass of the engine's scale runs the passes
// in turn through the queue, against the loopback fake of the real protocol: each paid
// pass is booked as it finishes and never sent again, whatever fails after it.
#include "catalog/AssetIngest.h"
#include "catalog/Library.h"
#include "common/ResourceLocator.h"
#include "credits/Ledger.h"
#include "jobs/JobRunner.h"
#include "jobs/JobStore.h"
#include "jobs/UpscaleJob.h"
#include "providers/stability/StabilityProvider.h"
#include "support/TempDir.h"
#include "support/TestCredentials.h"
#include "support/TestImages.h"
#include "support/fakes/StabilityFakeServer.h"

#include <catch2/catch.hpp>
#include <cstdlib>
#include <mutex>
#include <opencv2/imgcodecs.hpp>
#include <set>

using namespace ripen;
using namespace ripen::test;

namespace {

constexpr const char* kFastPath = "/v2beta/stable-image/upscale/fast";
constexpr Micros kCreditsPerFastCall = 2'000'000; // resources/pricebook.json

cv::Mat decodeBytes(const std::string& bytes) {
    return cv::imdecode(
        cv::Mat(1, static_cast<int>(bytes.size()), CV_8UC1, const_cast<char*>(bytes.data())),
        cv::IMREAD_UNCHANGED);
}

// Stability's fast upscale as the fake answers it: four times the uploaded image's size.
FakeReply fourTimesTheUpload(const RecordedRequest& request) {
    const RecordedFile* file = request.file("image");
    const cv::Mat upload = file != nullptr ? decodeBytes(file->content) : cv::Mat();
    if (upload.empty()) {
        return StabilityFakeServer::error(400, "bad_request", "image: not an image");
    }
    auto reply = FakeReply::bytes(
        encodeTestImage(makeTestImage(upload.cols * 4, upload.rows * 4, 7), ".png"), "image/png");
    reply.withHeader("finish-reason", "SUCCESS");
    reply.withHeader("seed", "1");
    return reply;
}

struct ChainQueue {
    TempDir dir;
    // Before the fake, whose thread uses them until it is destroyed.
    std::mutex mutex;
    std::vector<cv::Size> uploads; // what each fast upscale request carried, in order
    std::set<int> refusedCalls;    // which fast upscale requests (1-based) are refused
    StabilityFakeServer stability;
    std::unique_ptr<Library> library;
    ProviderRegistry registry;
    TestCredentials credentials;
    http::HttpClient http;
    PriceBook prices;
    Asset source;

    ChainQueue() {
        ::setenv("RIPEN_STABILITY_BASE_URL", stability.baseUrl().c_str(), 1);
        credentials.values = {{"STABILITY_API_KEY", StabilityFakeServer::kApiKey}};
        registry.add(std::make_unique<StabilityProvider>(), {2, 600});
        auto opened = Library::open(dir / "library");
        REQUIRE(opened);
        library = std::move(*opened);
        auto loaded = PriceBook::load(resourceFile("pricebook.json"));
        REQUIRE(loaded);
        prices = std::move(*loaded);
        writeTestImage(dir / "photo.png", makeTestImage(40, 30, 3));
        NullProgress progress;
        auto prepared = AssetIngest(*library).prepare(dir / "photo.png", {}, progress);
        REQUIRE(prepared);
        auto id = library->catalog().addAsset(*prepared);
        REQUIRE(id);
        source = *prepared;
        source.id = *id;
        stability.server().on("POST", kFastPath, [this](const RecordedRequest& request) {
            std::lock_guard lock(mutex);
            const RecordedFile* file = request.file("image");
            const cv::Mat upload = file != nullptr ? decodeBytes(file->content) : cv::Mat();
            uploads.push_back(upload.size());
            if (refusedCalls.contains(static_cast<int>(uploads.size()))) {
                return StabilityFakeServer::error(400, "bad_request",
                                                  "image: too large for this service");
            }
            return fourTimesTheUpload(request);
        });
    }

    JobId enqueue(const std::string& engineName, const std::string& target) {
        auto models = ModelCatalog::load(resourceFile("models.json"));
        REQUIRE(models);
        auto engine = resolveUpscaleEngine(engineName, *models, registry);
        REQUIRE(engine);
        auto parsed = UpscaleTarget::parse(target);
        REQUIRE(parsed);
        auto request = upscaleRequest(*engine, library->blobFile(source),
                                      cv::Size(source.width, source.height), *parsed);
        REQUIRE(request);
        auto estimate = prices.estimate(*request);
        REQUIRE(estimate);
        EnqueueOptions options;
        options.stage = Stage::Upscaled;
        auto ids = JobStore(*library).enqueue(*request, options, *estimate);
        REQUIRE(ids);
        return ids->front();
    }

    Job run(JobId id) {
        JobRunner runner(library->root(), registry, credentials, prices, http);
        REQUIRE(runner.runUntilIdle({}));
        auto job = JobStore(*library).job(id);
        REQUIRE(job);
        return *job;
    }

    std::vector<cv::Size> sent() {
        std::lock_guard lock(mutex);
        return uploads;
    }

    Micros reservedUsd(JobId id) {
        auto open = Ledger(library->catalog().database()).openReservationUsd(id);
        REQUIRE(open);
        return *open;
    }
};

} // namespace

TEST_CASE("x8 with Stability's x4 fast upscale runs two passes, the second on the first's output",
          "[jobs][upscale][chain]") {
    ChainQueue q;
    const JobId id = q.enqueue("stability:fast", "x8");
    auto queued = JobStore(*q.library).job(id);
    REQUIRE(queued);
    CHECK(queued->estimate == 2 * kCreditsPerFastCall); // both paid passes are reserved
    CHECK(q.reservedUsd(id) == queued->estimateUsd);

    const Job job = q.run(id);
    REQUIRE(job.state == JobState::Succeeded);
    CHECK(q.sent() == std::vector<cv::Size>{{40, 30}, {160, 120}});
    CHECK(job.cost == 2 * kCreditsPerFastCall);
    CHECK(q.reservedUsd(id) == 0);

    // One asset only: the exact x8 child of the source; the intermediate stays out.
    REQUIRE(job.assets.size() == 1);
    auto result = q.library->catalog().asset(job.assets[0]);
    REQUIRE(result);
    CHECK(result->width == 320);
    CHECK(result->height == 240);
    CHECK(result->parents == std::vector<AssetId>{q.source.id});
    const auto& passes = result->generation.params["upscale_chain"];
    REQUIRE(passes.size() == 2);
    CHECK(passes[0]["factor"] == 4);
    CHECK(passes[1]["factor"] == 4);
    CHECK(passes[0]["cost_micros"] == kCreditsPerFastCall);
    auto count = q.library->catalog().count(AssetQuery{});
    REQUIRE(count);
    CHECK(*count == 2); // the source and the result
    CHECK_FALSE(std::filesystem::exists(q.library->root() / "jobs" / job.key));
}

TEST_CASE("A failure in the second pass never sends the first again", "[jobs][upscale][chain]") {
    ChainQueue q;
    const JobId id = q.enqueue("stability:fast", "x8");
    {
        std::lock_guard lock(q.mutex);
        q.refusedCalls = {2}; // the first pass succeeds; the second is refused once
    }
    const Job failed = q.run(id);
    REQUIRE(failed.state == JobState::Failed);
    CHECK_THAT(failed.error, Catch::Contains("too large"));
    CHECK(q.sent() == std::vector<cv::Size>{{40, 30}, {160, 120}});
    // The first pass was paid and is charged; nothing else stays reserved.
    CHECK(failed.cost == kCreditsPerFastCall);
    CHECK(q.reservedUsd(id) == 0);
    CHECK(failed.assets.empty());

    // Retried, it sends the second pass alone, from the first pass's kept output, and
    // reserves only that pass.
    REQUIRE(JobStore(*q.library).retry(id));
    const auto retried = JobStore(*q.library).job(id);
    REQUIRE(retried);
    CHECK(q.reservedUsd(id) == retried->estimateUsd / 2);
    const Job done = q.run(id);
    REQUIRE(done.state == JobState::Succeeded);
    CHECK(q.sent() == std::vector<cv::Size>{{40, 30}, {160, 120}, {160, 120}});
    CHECK(done.cost == 2 * kCreditsPerFastCall);
    REQUIRE(done.assets.size() == 1);
    auto result = q.library->catalog().asset(done.assets[0]);
    REQUIRE(result);
    CHECK(result->width == 320);
    CHECK(result->parents == std::vector<AssetId>{q.source.id});
}

TEST_CASE("A target one pass reaches is one request", "[jobs][upscale][chain]") {
    ChainQueue q;
    const JobId id = q.enqueue("stability:fast", "x3");
    const Job job = q.run(id);
    REQUIRE(job.state == JobState::Succeeded);
    CHECK(q.sent() == std::vector<cv::Size>{{40, 30}});
    CHECK(job.cost == kCreditsPerFastCall);
    auto result = q.library->catalog().asset(job.assets.at(0));
    REQUIRE(result);
    CHECK(result->width == 120);
    CHECK_FALSE(result->generation.params.contains("upscale_chain"));
}

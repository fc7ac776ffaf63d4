// RELIABILITY.md P6: a long-running remote job survives the runner stopping; the next
// runner resumes polling its operation and never creates it again.
#include "catalog/Library.h"
#include "common/ResourceLocator.h"
#include "credits/Ledger.h"
#include "jobs/JobRunner.h"
#include "jobs/JobStore.h"
#include "providers/kling/KlingProvider.h"
#include "support/TestCredentials.h"
#include "support/TempDir.h"
#include "support/TestImages.h"
#include "support/fakes/KlingFakeServer.h"

#include <catch2/catch.hpp>

#include <cstdlib>

using namespace ripen;
using namespace ripen::test;

TEST_CASE("A video job resumes polling after the runner stops and is created only once",
          "[jobs][recovery]") {
    TempDir dir;
    KlingFakeServer kling;
    kling.setProcessingPolls(0);
    ::setenv("RIPEN_KLING_BASE_URL", kling.baseUrl().c_str(), 1);
    ProviderRegistry registry;
    registry.add(std::make_unique<providers::kling::KlingProvider>(), {2, 600});
    TestCredentials keys{"KLING_ACCESS_KEY", KlingFakeServer::kAccessKey};
    keys.values.emplace("KLING_SECRET_KEY", KlingFakeServer::kSecretKey);
    http::HttpClient http;
    auto prices = PriceBook::load(resourceFile("pricebook.json"));
    REQUIRE(prices);
    auto library = Library::open(dir / "library");
    REQUIRE(library);

    writeTestImage(dir / "keyframe.png", makeTestImage(640, 360, 3));
    GenerationRequest request;
    request.kind = JobKind::ImageToVideo;
    request.provider = "kling";
    request.model = "kling-v2-1";
    request.prompt = "slow push-in on the lighthouse";
    request.durationSeconds = 5;
    request.images = {dir / "keyframe.png"};
    auto estimate = prices->estimate(request);
    REQUIRE(estimate);
    CHECK(estimate->unit == "credits");
    CHECK(estimate->amount == 2'000'000);  // 0.4 credits a second for 5 s
    CHECK(estimate->usdMicros == 280'000); // at $0.14 a credit
    auto ids = JobStore(**library).enqueue(request, {}, *estimate);
    REQUIRE(ids);

    {
        // The first runner stops as soon as the operation id is persisted, as if killed.
        JobRunner runner((*library)->root(), registry, keys, *prices, http);
        std::stop_source stop;
        runner.subscribe([&](const JobEvent& event) {
            if (event.state == JobState::Running) {
                stop.request_stop();
            }
        });
        REQUIRE(runner.runUntilIdle(stop.get_token()));
    }
    auto waiting = JobStore(**library).job(ids->front());
    REQUIRE(waiting);
    CHECK(waiting->state == JobState::Running);
    CHECK_FALSE(waiting->operationId.empty());
    CHECK(kling.api().count("/v1/videos/image2video") == 1);

    JobRunner second((*library)->root(), registry, keys, *prices, http);
    auto summary = second.runUntilIdle({});
    REQUIRE(summary);
    CHECK(summary->succeeded == 1);
    CHECK(kling.api().count("/v1/videos/image2video") == 1); // never created twice
    auto done = JobStore(**library).job(ids->front());
    REQUIRE(done);
    CHECK(done->state == JobState::Succeeded);
    REQUIRE(done->assets.size() == 1);
    auto asset = (*library)->catalog().asset(done->assets[0]);
    REQUIRE(asset);
    CHECK(asset->kind == AssetKind::Video);
    CHECK(asset->generation.provider == "kling");
    // Settled from what Kling reported it deducted (1.5 units), not the estimate.
    CHECK(done->cost == 1'500'000);
    CHECK(done->unit == "credits");
    CHECK(*Ledger((*library)->catalog().database()).totalChargedUsd() == 210'000);
}

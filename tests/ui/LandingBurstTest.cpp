#include "MainWindow.h"
#include "ProductionTestSupport.h"
#include "UiTestSupport.h"
#include "gallery/GalleryModel.h"
#include "gallery/GalleryView.h"
#include "queue/JobLane.h"
#include "queue/JobTableModel.h"
#include "queue/QueueView.h"

#include <QAbstractItemModelTester>
#include <QSignalSpy>
#include <catch2/catch.hpp>
#include <map>
#include <set>

using ripen::test::ProductionRig;
using ripen::test::waitUntil;
using ripen::ui::JobTableModel;

TEST_CASE("A burst of landing jobs keeps every job and every result in the queue and the grid",
          "[ui][queue][load]") {
    constexpr int kJobs = 120;
    ProductionRig rig;
    // Eight at a time and no rate limit, so that events from many jobs arrive together.
    ripen::ui::JobLane::ProviderOverrides overrides;
    overrides["openai"].baseUrls = {rig.openai.baseUrl()};
    overrides["openai"].concurrency = 8;
    overrides["openai"].requestsPerMinute = 60'000;
    rig.lane().setProviderOverrides(overrides);
    ripen::ui::MainWindow window(*rig.bridge);
    window.resize(1280, 800);
    window.show();
    JobTableModel& queue = window.queueView().model();
    ripen::ui::GalleryModel& grid = window.gallery().model();
    // Any broken model contract while rows are inserted and changed in bursts aborts the run.
    QAbstractItemModelTester queueTester(&queue,
                                         QAbstractItemModelTester::FailureReportingMode::Fatal);
    QAbstractItemModelTester gridTester(&grid,
                                        QAbstractItemModelTester::FailureReportingMode::Fatal);
    rig.open();
    window.gallery().setLibraryReady(true);
    REQUIRE(waitUntil([&] { return !window.isBusy(); }));

    std::map<ripen::JobId, std::vector<ripen::JobState>> seen;
    std::set<ripen::AssetId> landed;
    QObject::connect(&rig.lane(), &ripen::ui::JobLane::jobEvent, [&](const ripen::JobEvent& event) {
        seen[event.id].push_back(event.state);
        landed.insert(event.assets.begin(), event.assets.end());
    });
    QSignalSpy batches(&rig.lane(), &ripen::ui::JobLane::jobsUpdated);

    ripen::GenerationRequest request;
    request.provider = "openai";
    request.model = "gpt-image-1";
    request.prompt = "a lighthouse at dusk, long exposure";
    request.aspectRatio = "1:1";
    ripen::EnqueueOptions options;
    options.count = kJobs;
    rig.lane().enqueue(request, options);

    REQUIRE(waitUntil(
        [&] {
            return static_cast<int>(landed.size()) == kJobs && !rig.lane().isBusy() &&
                   grid.rowCount() == kJobs && !window.isBusy();
        },
        120000));
    CHECK(rig.openai.server().count("/v1/images/generations") == kJobs);

    // Every job reported its way to the end, in order, and nothing after it.
    REQUIRE(seen.size() == static_cast<std::size_t>(kJobs));
    for (const auto& [id, states] : seen) {
        INFO("job " << id);
        CHECK(std::ranges::is_sorted(states));
        CHECK(states.back() == ripen::JobState::Succeeded);
    }
    CHECK(batches.count() > 0);

    // The queue dock: one row per job, each done at 100 % with its settled cost.
    REQUIRE(queue.rowCount() == kJobs);
    for (int row = 0; row < queue.rowCount(); ++row) {
        INFO("row " << row);
        CHECK(queue.index(row, 0).data(JobTableModel::StateRole).toInt() ==
              static_cast<int>(ripen::JobState::Succeeded));
        CHECK(queue.index(row, JobTableModel::ProgressColumn).data().toString() ==
              QStringLiteral("100%"));
        CHECK_FALSE(queue.index(row, JobTableModel::CostColumn)
                        .data()
                        .toString()
                        .startsWith(QStringLiteral("≈")));
    }

    // The grid: a row for every landed asset.
    for (const ripen::AssetId asset : landed) {
        INFO("asset " << asset);
        CHECK(grid.rowOf(asset) >= 0);
    }
    ripen::test::renderWidget(window, QSize(1280, 800), QStringLiteral("main-after-burst.png"));
}

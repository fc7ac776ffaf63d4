// RELIABILITY.md D5 as a GUI user meets it: the disk fills up while results land. Runs only
// as ctest "ui.diskfull", which loads reliability/shim/EnospcShim.c with LD_PRELOAD and sets
// RIPEN_ENOSPC_PATH so that every write under a library's blobs/ fails with ENOSPC.
#include "MainWindow.h"
#include "ProductionTestSupport.h"
#include "UiTestSupport.h"
#include "queue/JobLane.h"
#include "queue/JobStatusWidget.h"
#include "queue/QueueView.h"

#include <QAction>
#include <QLabel>
#include <QSignalSpy>
#include <QTest>
#include <catch2/catch.hpp>
#include <cstdlib>
#include <string_view>

using ripen::test::ProductionRig;
using ripen::test::waitUntil;

namespace {

bool diskFillsUnderBlobs() {
    const char* preload = std::getenv("LD_PRELOAD");
    const char* path = std::getenv("RIPEN_ENOSPC_PATH");
    return preload && std::string_view(preload).find("enospc") != std::string_view::npos &&
           path && std::string_view(path) == "/library/blobs/";
}

int jobsIn(const ripen::ui::JobLane& lane, ripen::JobState state) {
    return static_cast<int>(std::ranges::count(lane.jobs(), state, &ripen::Job::state));
}

} // namespace

TEST_CASE("A disk that fills up while results land pauses the queue and tells the user why",
          "[.diskfull]") {
    INFO("run through ctest ui.diskfull: it preloads the ENOSPC shim");
    REQUIRE(diskFillsUnderBlobs());
    ProductionRig rig;
    // One at a time, so the first result meets the full disk before anything else is sent.
    ripen::ui::JobLane::ProviderOverrides overrides;
    overrides["openai"].baseUrls = {rig.openai.baseUrl()};
    overrides["openai"].concurrency = 1;
    rig.lane().setProviderOverrides(overrides);
    ripen::ui::MainWindow window(*rig.bridge);
    window.resize(1280, 800);
    window.show();
    rig.open();
    REQUIRE(waitUntil([&] { return !window.isBusy(); }));

    ripen::GenerationRequest request;
    request.provider = "openai";
    request.model = "gpt-image-1";
    request.prompt = "a paper lantern on a dark lake";
    request.aspectRatio = "1:1";
    ripen::EnqueueOptions options;
    options.count = 3;
    rig.lane().enqueue(request, options);

    // The first result is paid for and cannot be saved: the queue pauses itself.
    REQUIRE(waitUntil([&] { return rig.lane().isPaused(); }, 60000));
    CHECK(rig.lane().diskFullMessage().startsWith(QStringLiteral("disk full")));
    ripen::ui::QueueView& queue = window.queueView();
    auto* note = queue.findChild<QLabel*>(QStringLiteral("queuePauseNote"));
    REQUIRE(note);
    CHECK_FALSE(note->isHidden());
    CHECK(note->text().contains(QStringLiteral("disk is full")));
    CHECK(note->toolTip().contains(QStringLiteral("No space left on device")));
    CHECK(window.jobStatus().runningText().endsWith(QStringLiteral("(paused: disk full)")));
    CHECK(queue.pauseAction()->text() == QStringLiteral("Resume All"));

    // Nothing more is sent while the disk is full (a request already on its way when the
    // save failed is answered); every answered job keeps its paid result, waiting to be saved.
    QTest::qWait(2000);
    const auto sent = [&] {
        return static_cast<int>(rig.openai.server().count("/v1/images/generations"));
    };
    const int sentWhilePaused = sent();
    CHECK(sentWhilePaused <= 2);
    rig.lane().refresh();
    REQUIRE(waitUntil([&] {
        return jobsIn(rig.lane(), ripen::JobState::Storing) == sentWhilePaused &&
               jobsIn(rig.lane(), ripen::JobState::Queued) == 3 - sentWhilePaused;
    }));
    QTest::qWait(1000);
    CHECK(sent() == sentWhilePaused);
    ripen::test::renderWidget(window, QSize(1280, 800), QStringLiteral("queue-disk-full.png"));

    // Resume with the disk still full: the waiting job is sent, its result is kept too, and
    // the queue pauses again; nothing is generated twice.
    queue.pauseAction()->trigger();
    CHECK(note->isHidden());
    REQUIRE(waitUntil([&] { return rig.lane().isPaused() && sent() > sentWhilePaused; },
                      60000));
    QTest::qWait(1000);
    const int sentInAll = sent();
    rig.lane().refresh();
    REQUIRE(waitUntil([&] {
        return jobsIn(rig.lane(), ripen::JobState::Storing) == sentInAll &&
               jobsIn(rig.lane(), ripen::JobState::Queued) == 3 - sentInAll;
    }));
    CHECK_FALSE(note->isHidden());
}

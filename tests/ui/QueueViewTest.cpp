#include "queue/QueueView.h"

#include "ProductionTestSupport.h"
#include "UiTestSupport.h"
#include "catalog/Library.h"
#include "jobs/JobStore.h"
#include "providers/local/LocalProvider.h"
#include "queue/JobLane.h"
#include "queue/JobTableModel.h"
#include "support/TempDir.h"
#include "support/TestImages.h"

#include <QAbstractItemModelTester>
#include <QAction>
#include <QItemSelectionModel>
#include <QLabel>
#include <QSignalSpy>
#include <QTableView>
#include <catch2/catch.hpp>

using ripen::test::ProductionRig;
using ripen::test::waitUntil;
using ripen::ui::JobLane;
using ripen::ui::JobTableModel;
using ripen::ui::QueueView;

namespace {

ripen::GenerationRequest foxRequest(const std::string& prompt) {
    ripen::GenerationRequest request;
    request.provider = "openai";
    request.model = "gpt-image-1";
    request.prompt = prompt;
    request.aspectRatio = "1:1";
    return request;
}

ripen::Job storedJob(const std::filesystem::path& root, ripen::JobId id) {
    auto library = ripen::Library::open(root);
    REQUIRE(library);
    auto job = ripen::JobStore(**library).job(id);
    REQUIRE(job);
    return *job;
}

ripen::JobId enqueue(JobLane& lane, const std::string& prompt) {
    QSignalSpy queued(&lane, &JobLane::enqueued);
    QSignalSpy refused(&lane, &JobLane::enqueueFailed);
    lane.enqueue(foxRequest(prompt), {});
    REQUIRE(waitUntil([&] { return queued.count() + refused.count() > 0; }));
    REQUIRE(queued.count() == 1);
    return queued.at(0).at(1).value<QList<qint64>>().front();
}

void waitForState(JobLane& lane, ripen::JobId id, ripen::JobState state) {
    REQUIRE(waitUntil(
        [&] {
            const auto& jobs = lane.jobs();
            const auto it = std::ranges::find(jobs, id, &ripen::Job::id);
            return it != jobs.end() && it->state == state && !lane.isBusy();
        },
        30000));
}

void selectJob(QueueView& view, ripen::JobId id) {
    const int row = view.model().rowOf(id);
    REQUIRE(row >= 0);
    view.table().selectionModel()->select(view.model().index(row, 0),
                                          QItemSelectionModel::ClearAndSelect |
                                              QItemSelectionModel::Rows);
}

} // namespace

TEST_CASE("The queue dock shows every job and its actions change the job store", "[ui][queue]") {
    ProductionRig rig;
    // A paid request that was on its way when Ripen stopped: "submitting" in the store.
    ripen::JobId crashed = 0;
    {
        auto library = ripen::Library::open(rig.root());
        REQUIRE(library);
        ripen::JobStore store(**library);
        ripen::Estimate estimate;
        estimate.amount = 42'000;
        estimate.usdMicros = 42'000;
        auto ids = store.enqueue(foxRequest("lost in the crash"), {}, estimate);
        REQUIRE(ids);
        crashed = ids->front();
        auto claimed = store.claimNext({"openai"}, 0);
        REQUIRE(claimed);
        REQUIRE(*claimed);
        CHECK((*claimed)->job.state == ripen::JobState::Submitting);
        REQUIRE(store.markSent(crashed)); // its request was leaving
    }
    QueueView view(rig.lane());
    QAbstractItemModelTester tester(&view.model(),
                                    QAbstractItemModelTester::FailureReportingMode::Warning);
    rig.open();

    // Shown as interrupted with its charge unknown, and never sent again on its own.
    waitForState(rig.lane(), crashed, ripen::JobState::Interrupted);
    const int crashedRow = view.model().rowOf(crashed);
    REQUIRE(crashedRow >= 0);
    CHECK(view.model().index(crashedRow, JobTableModel::StateColumn).data().toString() ==
          QStringLiteral("Interrupted (charge unknown)"));

    const ripen::JobId done = enqueue(rig.lane(), "a fox that makes it");
    waitForState(rig.lane(), done, ripen::JobState::Succeeded);
    rig.openai.server().reply("POST", "/v1/images/generations",
                              ripen::test::OpenAiFakeServer::moderationBlocked());
    const ripen::JobId blocked = enqueue(rig.lane(), "a fox the moderator stops");
    waitForState(rig.lane(), blocked, ripen::JobState::Failed);
    CHECK(rig.openai.server().count("/v1/images/generations") == 2);
    CHECK(storedJob(rig.root(), crashed).state == ripen::JobState::Interrupted);

    // Paused, new jobs wait in the queue.
    view.pauseAction()->trigger();
    CHECK(rig.lane().isPaused());
    const ripen::JobId first = enqueue(rig.lane(), "queued one");
    const ripen::JobId second = enqueue(rig.lane(), "queued two");
    const ripen::JobId third = enqueue(rig.lane(), "queued three");
    waitForState(rig.lane(), third, ripen::JobState::Queued);
    CHECK(view.model().rowCount() == 6);
    CHECK(view.model().rowOf(third) == 0); // newest first

    // The failed job shows the provider's own words and its settled cost.
    const int blockedRow = view.model().rowOf(blocked);
    CHECK_FALSE(
        view.model().index(blockedRow, JobTableModel::MessageColumn).data().toString().isEmpty());
    CHECK(view.model().index(blockedRow, JobTableModel::MessageColumn).data().toString() ==
          QString::fromStdString(storedJob(rig.root(), blocked).error));

    SECTION("priority up and down") {
        selectJob(view, first);
        REQUIRE(view.raiseAction()->isEnabled());
        view.raiseAction()->trigger();
        REQUIRE(waitUntil([&] { return !rig.lane().isBusy(); }));
        CHECK(storedJob(rig.root(), first).priority == 1);
        selectJob(view, second);
        view.lowerAction()->trigger();
        REQUIRE(waitUntil([&] { return !rig.lane().isBusy(); }));
        CHECK(storedJob(rig.root(), second).priority == -1);
        CHECK(view.model()
                  .index(view.model().rowOf(first), JobTableModel::StateColumn)
                  .data()
                  .toString() == QStringLiteral("Queued (priority 1)"));
    }

    SECTION("cancel and retry") {
        selectJob(view, third);
        REQUIRE(view.cancelAction()->isEnabled());
        CHECK_FALSE(view.retryAction()->isEnabled());
        view.cancelAction()->trigger();
        waitForState(rig.lane(), third, ripen::JobState::Canceled);
        CHECK(storedJob(rig.root(), third).state == ripen::JobState::Canceled);
        selectJob(view, blocked);
        REQUIRE(view.retryAction()->isEnabled());
        view.retryAction()->trigger();
        waitForState(rig.lane(), blocked, ripen::JobState::Queued);
        CHECK(storedJob(rig.root(), blocked).state == ripen::JobState::Queued);
        // Still paused: nothing more was sent.
        CHECK(rig.openai.server().count("/v1/images/generations") == 2);
        view.table().clearSelection();
        ripen::test::renderWidget(view, QSize(980, 260), QStringLiteral("queue-dock.png"));
    }

    SECTION("resume sends what waits, by priority, and the interrupted job stays put") {
        ripen::test::FakeReply images;
        images.body = ripen::test::OpenAiFakeServer::imagesReply(1, 32, 32).dump();
        rig.openai.server().reply("POST", "/v1/images/generations", images);
        view.pauseAction()->trigger();
        CHECK_FALSE(rig.lane().isPaused());
        waitForState(rig.lane(), first, ripen::JobState::Succeeded);
        waitForState(rig.lane(), third, ripen::JobState::Succeeded);
        CHECK(storedJob(rig.root(), crashed).state == ripen::JobState::Interrupted);
        CHECK(rig.openai.server().count("/v1/images/generations") == 5);
    }
}

TEST_CASE("The queue dock shows a local upscale's progress from the runner", "[ui][queue]") {
    ProductionRig rig;
    rig.lane().setRegistryFactory([](ripen::ProviderRegistry& registry) {
        registry.add(std::make_unique<ripen::LocalProvider>(), {1, 1000});
    });
    QueueView view(rig.lane());
    rig.open();
    ripen::test::TempDir dir;
    ripen::test::writeTestImage(dir / "in.png", ripen::test::makeTestImage(1600, 1200, 3));
    ripen::GenerationRequest request;
    request.kind = ripen::JobKind::Upscale;
    request.provider = "local";
    request.model = "classic-upscale";
    request.upscaleFactor = 4;
    request.images = {dir / "in.png"};

    // What the dock showed for the job while the engine worked on it (a x4 of this size
    // takes its classic steps over more than the runner's 250 ms between reports).
    std::vector<QString> shown;
    ripen::JobId id = 0;
    QObject::connect(&rig.lane(), &JobLane::jobUpdated, &view, [&](qint64 updated) {
        const int row = view.model().rowOf(updated);
        const auto& jobs = rig.lane().jobs();
        const auto job = std::ranges::find(jobs, updated, &ripen::Job::id);
        // Only while the engine works: a finished job shows 100% anyway.
        if (updated != id || row < 0 || job == jobs.end() ||
            job->state != ripen::JobState::Submitting) {
            return;
        }
        const QModelIndex cell = view.model().index(row, JobTableModel::ProgressColumn);
        if (cell.data(JobTableModel::ProgressRole).isValid()) {
            shown.push_back(cell.data().toString());
        }
    });
    // Held until the dock lists the job: on a fast machine the whole upscale could otherwise
    // finish before the first listing reaches the dock, with nothing left to show.
    rig.lane().pauseAll();
    QSignalSpy queued(&rig.lane(), &JobLane::enqueued);
    rig.lane().enqueue(request, {});
    REQUIRE(waitUntil([&] { return queued.count() > 0; }));
    id = queued.at(0).at(1).value<QList<qint64>>().front();
    REQUIRE(waitUntil([&] { return view.model().rowOf(id) >= 0; }));
    rig.lane().resumeAll();
    waitForState(rig.lane(), id, ripen::JobState::Succeeded);
    // The runner's progress reached the dock through the lane as a percentage.
    REQUIRE_FALSE(shown.empty());
    CHECK(shown.front().endsWith(QLatin1Char('%')));
}

TEST_CASE("The queue dock says which provider a 429 holds and until when", "[ui][queue][hold]") {
    ProductionRig rig;
    rig.openai.server().reply("POST", "/v1/images/generations",
                              ripen::test::FakeReply::rateLimited(
                                  "600", {{"error", {{"message", "Rate limit reached"}}}}));
    QueueView view(rig.lane());
    rig.open();
    auto* held = view.findChild<QLabel*>(QStringLiteral("queueHeld"));
    REQUIRE(held != nullptr);
    CHECK(held->isHidden());

    const ripen::JobId first = enqueue(rig.lane(), "a fox in a storm");
    REQUIRE(waitUntil([&] { return !held->isHidden(); }, 30000));
    // The hold keeps a job queued after it from being sent at all.
    const ripen::JobId second = enqueue(rig.lane(), "a fox after the storm");
    waitUntil([] { return false; }, 500);
    CHECK_THAT(held->text().toStdString(),
               Catch::StartsWith("OpenAI Images is rate limited: nothing is sent to it until ") &&
                   Catch::Contains("(Retry-After). HTTP 429: Rate limit reached"));
    ripen::test::renderWidget(view, QSize(960, 320), QStringLiteral("queue-rate-limited.png"));
    CHECK(rig.openai.server().count("/v1/images/generations") == 1);
    CHECK(storedJob(rig.root(), first).state == ripen::JobState::Queued);
    CHECK(storedJob(rig.root(), second).state == ripen::JobState::Queued);
    // The refused job is waiting again: its row shows no progress from the attempt.
    const QModelIndex progress =
        view.model().index(view.model().rowOf(first), JobTableModel::ProgressColumn);
    CHECK_FALSE(progress.data(JobTableModel::ProgressRole).isValid());
    CHECK(progress.data().toString().isEmpty());
}

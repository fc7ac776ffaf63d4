#include "generate/GenerationPanel.h"

#include "DemoLibrary.h"
#include "MainWindow.h"
#include "ProductionTestSupport.h"
#include "UiTestSupport.h"
#include "catalog/Library.h"
#include "credits/Ledger.h"
#include "gallery/GalleryModel.h"
#include "gallery/GalleryView.h"
#include "generate/AssetDragData.h"
#include "generate/ReferenceList.h"
#include "jobs/JobStore.h"
#include "providers/google/GoogleProvider.h"
#include "providers/openai/OpenAiImagesProvider.h"
#include "queue/JobStatusWidget.h"
#include "support/TestImages.h"

#include <QApplication>
#include <QDragEnterEvent>
#include <QDropEvent>
#include <QListView>
#include <QMimeData>
#include <QPushButton>
#include <QSignalSpy>
#include <catch2/catch.hpp>
#include <memory>

using ripen::test::ProductionRig;
using ripen::test::waitUntil;
using ripen::ui::GenerationPanel;
using ripen::ui::JobLane;

namespace {

std::vector<ripen::Job> storedJobs(const std::filesystem::path& root) {
    auto library = ripen::Library::open(root);
    REQUIRE(library);
    auto jobs = ripen::JobStore(**library).jobs();
    REQUIRE(jobs);
    return *jobs;
}

} // namespace

TEST_CASE("The generation panel queues the right jobs and the results land in the gallery",
          "[ui][generate]") {
    ProductionRig rig;
    ripen::ui::MainWindow window(*rig.bridge);
    window.resize(1280, 800);
    window.show();
    rig.open();
    window.gallery().setLibraryReady(true);
    REQUIRE(waitUntil([&] { return !window.isBusy(); }));
    CHECK(window.gallery().model().rowCount() == 0);

    GenerationPanel& panel = window.generationPanel();
    REQUIRE(panel.selectModel("openai", "gpt-image-1"));
    panel.setPrompt(QStringLiteral("a red fox in fresh snow, morning light"));
    panel.setAspectRatio(QStringLiteral("3:2"));
    panel.setCount(2);
    // gpt-image-1 at medium quality: 0.042 USD per image, from the price book.
    CHECK(panel.estimateText() == QStringLiteral("Estimate 2 × $0.042 = $0.084"));
    REQUIRE(panel.generateButton().isEnabled());

    QSignalSpy queued(&panel, &GenerationPanel::queued);
    panel.generateButton().click();
    REQUIRE(queued.wait(10000));
    const auto ids = queued.at(0).at(0).value<QList<qint64>>();
    REQUIRE(ids.size() == 2);

    // What the store holds is what the form said.
    const auto jobs = storedJobs(rig.root());
    REQUIRE(jobs.size() == 2);
    for (const auto& job : jobs) {
        CHECK(job.request.kind == ripen::JobKind::TextToImage);
        CHECK(job.request.provider == "openai");
        CHECK(job.request.model == "gpt-image-1");
        CHECK(job.request.prompt == "a red fox in fresh snow, morning light");
        CHECK(job.request.aspectRatio == "3:2");
        CHECK(job.request.imageSize.empty()); // OpenAI sizes follow the aspect ratio
        CHECK(job.estimate == 42'000);
        CHECK(job.unit == "USD");
        CHECK(job.stage == ripen::Stage::Concept);
    }

    // The runner sends them to the fake and the gallery shows the results as they land.
    REQUIRE(waitUntil([&] { return window.gallery().model().rowCount() == 2; }, 30000));
    const auto sent = rig.openai.server().requestsTo("/v1/images/generations");
    REQUIRE(sent.size() == 2);
    for (const auto& request : sent) {
        CHECK(request.header("Authorization") ==
              std::string("Bearer ") + ripen::test::OpenAiFakeServer::kApiKey);
        const auto body = nlohmann::json::parse(request.body);
        CHECK(body.value("prompt", "") == "a red fox in fresh snow, morning light");
        CHECK(body.value("size", "") == "1536x1024");
        CHECK(body.value("model", "") == "gpt-image-1");
    }
    REQUIRE(waitUntil(
        [&] {
            return std::ranges::all_of(rig.lane().jobs(),
                                       [](const ripen::Job& job) {
                                           return job.state == ripen::JobState::Succeeded &&
                                                  job.cost.has_value();
                                       }) &&
                   rig.lane().jobs().size() == 2;
        },
        20000));
    // The status bar shows what the ledger charged today.
    REQUIRE(waitUntil([&] { return rig.lane().spentTodayUsd() > 0; }, 5000));
    CHECK(window.jobStatus().spendText().startsWith(QStringLiteral("Today $")));
    CHECK(window.jobStatus().runningText() == QStringLiteral("0 jobs running"));
    const auto* record = window.gallery().model().recordAt(0);
    REQUIRE(record != nullptr);
    CHECK(record->asset.generation.provider == "openai");
    CHECK(record->asset.generation.prompt == "a red fox in fresh snow, morning light");

    SECTION("a gallery asset dropped on the references becomes an edit with that input") {
        auto* mime = window.gallery().model().mimeData({window.gallery().model().index(0, 0)});
        REQUIRE(mime != nullptr);
        const std::unique_ptr<QMimeData> owned(mime);
        ripen::ui::ReferenceList& references = panel.references();
        QDragEnterEvent enter(QPoint(10, 10), Qt::CopyAction, mime, Qt::LeftButton, Qt::NoModifier);
        QApplication::sendEvent(references.viewport(), &enter);
        CHECK(enter.isAccepted());
        QDropEvent drop(QPointF(10, 10), Qt::CopyAction, mime, Qt::LeftButton, Qt::NoModifier);
        QApplication::sendEvent(references.viewport(), &drop);
        REQUIRE(references.count() == 1);
        const ripen::GenerationRequest request = panel.request();
        CHECK(request.kind == ripen::JobKind::EditImage);
        REQUIRE(request.images.size() == 1);
        CHECK(request.images[0].string() == record->blobFile.toStdString());
        // Plain file drops are not references (the window imports them instead).
        QMimeData files;
        files.setUrls({QUrl::fromLocalFile(record->blobFile)});
        CHECK(ripen::ui::AssetDragData::decode(&files).empty());
    }
}

TEST_CASE("A budget refusal is shown in plain words and nothing is queued", "[ui][generate]") {
    ProductionRig rig;
    {
        auto library = ripen::Library::open(rig.root());
        REQUIRE(library);
        auto project = (*library)->catalog().ensureProject("Poster", "");
        REQUIRE(project);
        ripen::Ledger ledger((*library)->catalog().database());
        REQUIRE(ledger.setBudget("project", *project, 50'000)); // $0.05
    }
    rig.open();
    GenerationPanel panel(rig.lane());
    REQUIRE(panel.selectModel("openai", "gpt-image-1"));
    panel.setPrompt(QStringLiteral("poster art"));
    panel.setCount(2);
    panel.setProject(QStringLiteral("Poster"));
    REQUIRE(waitUntil([&] { return !panel.isBusy(); }));
    CHECK(panel.budgetText().startsWith(QStringLiteral("$0.05 left of $0.05 in Poster")));
    CHECK(panel.budgetText().contains(QStringLiteral("would pass the cap")));
    panel.generate();
    REQUIRE(waitUntil([&] { return !panel.isBusy(); }));
    CHECK(panel.statusText().startsWith(QStringLiteral("Not queued: ")));
    CHECK(panel.statusText().contains(QStringLiteral("budget")));
    CHECK(storedJobs(rig.root()).empty());
    CHECK(rig.openai.server().totalCount() == 0);
    ripen::test::renderWidget(panel, QSize(360, 760), QStringLiteral("generation-panel.png"));
}

TEST_CASE("Without a key the panel says what to set and queues nothing", "[ui][generate]") {
    ProductionRig rig;
    rig.lane().setKeys({});
    if (qEnvironmentVariableIsSet("OPENAI_API_KEY")) {
        WARN("OPENAI_API_KEY is set in this environment: nothing to check");
        return;
    }
    rig.open();
    GenerationPanel panel(rig.lane());
    REQUIRE(panel.selectModel("openai", "gpt-image-1"));
    panel.setPrompt(QStringLiteral("anything"));
    panel.generate();
    REQUIRE(waitUntil([&] { return !panel.isBusy(); }));
    CHECK(panel.statusText().contains(QStringLiteral("OPENAI_API_KEY")));
    CHECK_FALSE(
        panel.statusText().contains(QString::fromLatin1(ripen::test::OpenAiFakeServer::kApiKey)));
    CHECK(storedJobs(rig.root()).empty());
}

TEST_CASE("Promote re-runs a Nano Banana draft's prompt and references on Nano Banana Pro",
          "[ui][generate]") {
    ProductionRig rig;
    rig.lane().setRegistryFactory([](ripen::ProviderRegistry& registry) {
        registry.add(std::make_unique<ripen::providers::google::GoogleProvider>(), {4, 60});
        registry.add(std::make_unique<ripen::OpenAiImagesProvider>(), {2, 600});
    });
    ripen::AssetId reference = 0;
    ripen::AssetId draft = 0;
    {
        auto library = ripen::Library::open(rig.root());
        REQUIRE(library);
        reference = ripen::test::addGeneratedAssets(**library, 1, false).front();
        auto stored = (*library)->blobs().storeBytes(
            ripen::test::encodeTestImage(ripen::test::makeTestImage(64, 36, 3), ".png"), "png");
        REQUIRE(stored);
        ripen::Asset asset;
        asset.sha256 = stored->sha256;
        asset.blobPath = stored->relativePath;
        asset.format = "png";
        asset.byteSize = stored->byteSize;
        asset.width = 64;
        asset.height = 36;
        asset.project = "Label series";
        asset.stage = ripen::Stage::Concept;
        asset.generation.provider = "google";
        asset.generation.modelId = "gemini-2.5-flash-image";
        asset.generation.prompt = "jam jar label, pressed flowers, letterpress";
        asset.generation.negativePrompt = "text artefacts";
        asset.generation.params = {{"aspect_ratio", "16:9"}, {"image_size", "2K"}};
        asset.parents = {reference};
        auto id = (*library)->catalog().addAsset(asset);
        REQUIRE(id);
        draft = *id;
    }
    rig.open();
    GenerationPanel panel(rig.lane());
    panel.promote(draft);
    REQUIRE(waitUntil([&] { return !panel.isBusy(); }));
    const ripen::GenerationRequest request = panel.request();
    CHECK(request.provider == "google");
    CHECK(request.model == "gemini-3-pro-image");
    CHECK(request.prompt == "jam jar label, pressed flowers, letterpress");
    CHECK(request.negativePrompt == "text artefacts");
    CHECK(request.aspectRatio == "16:9");
    CHECK(request.imageSize == "2K");
    CHECK(request.kind == ripen::JobKind::EditImage);
    REQUIRE(request.images.size() == 1);
    CHECK(QString::fromStdString(request.images[0].string()) ==
          panel.references().references().front().blobFile);
    CHECK(panel.references().references().front().id == reference);
    CHECK(panel.enqueueOptions().stage == ripen::Stage::Master);
    CHECK(panel.enqueueOptions().project == "Label series");
    // The pro model's price at 2K is what the estimate shows.
    CHECK(panel.estimateText() == QStringLiteral("Estimate $0.134"));
    CHECK(panel.statusText().contains(QStringLiteral("Nano Banana Pro")));
}

// The Recipes view against a real library whose queue talks to the loopback OpenAI fake:
// a recipe typed into the editor is checked as the user types, planned with the price
// book's prices and the project's budget, run through core's RecipeRunner and executed by
// the bridge's job lane; a run's manifest opens and expands; the view is rendered.
#include "recipes/RecipesView.h"

#include "MoneyText.h"
#include "ProductionTestSupport.h"
#include "UiTestSupport.h"
#include "catalog/Library.h"
#include "jobs/JobStore.h"

#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QSignalSpy>
#include <QTableWidget>
#include <QTest>
#include <QTextBlock>
#include <catch2/catch.hpp>

using namespace ripen;
using namespace ripen::ui;
using ripen::test::waitUntil;

namespace {

std::vector<Job> recipeJobs(const std::filesystem::path& root) {
    auto library = Library::open(root);
    REQUIRE(library);
    auto jobs = JobStore(**library).jobs();
    REQUIRE(jobs);
    std::vector<Job> fromRecipes;
    for (auto& job : *jobs) {
        if (!job.recipeRun.empty()) {
            fromRecipes.push_back(std::move(job));
        }
    }
    return fromRecipes;
}

// Types `lines` as a user would, Return after each.
void typeLines(QPlainTextEdit& editor, const QStringList& lines) {
    editor.setFocus();
    for (const QString& line : lines) {
        QTest::keyClicks(&editor, line);
        QTest::keyClick(&editor, Qt::Key_Return);
    }
}

// What the price book charges for one of the example's jobs (gpt-image-1, low quality).
Micros examplePrice(const JobLane& lane) {
    GenerationRequest request;
    request.provider = "openai";
    request.model = "gpt-image-1";
    request.options = {{"quality", "low"}};
    auto estimate = lane.priceBook()->estimate(request);
    REQUIRE(estimate);
    return estimate->usdMicros;
}

struct RecipesRig : test::ProductionRig {
    std::unique_ptr<RecipesView> view;
    RecipesRig() {
        open();
        view = std::make_unique<RecipesView>(*bridge);
        view->resize(1280, 800);
        view->show();
        REQUIRE(waitUntil([&] { return !view->isBusy(); }));
    }
    bool settled() { return !view->isBusy() && !lane().isBusy(); }
};

} // namespace

TEST_CASE("Recipes view: a typed recipe with an unknown field shows the problem at its line",
          "[ui][recipes]") {
    RecipesRig rig;
    RecipesView& view = *rig.view;
    typeLines(view.editor(),
              {QStringLiteral(R"({"format": "ripen.recipe",)"), QStringLiteral(R"("version": 1,)"),
               QStringLiteral(R"("prompt": "a fox",)"), QStringLiteral(R"("colours": ["red"],)"),
               QStringLiteral(R"("stages": {"concept": {"provider": "openai", )"
                              R"("model": "gpt-image-1"}}})")});
    REQUIRE(waitUntil([&] { return rig.settled() && view.issueList().count() > 0; }));
    QListWidgetItem* issue = nullptr;
    for (int i = 0; i < view.issueList().count(); ++i) {
        if (view.issueList().item(i)->text().contains(QStringLiteral("colours"))) {
            issue = view.issueList().item(i);
        }
    }
    REQUIRE(issue != nullptr);
    CHECK(issue->text().startsWith(QStringLiteral("untitled.json:4:")));
    CHECK(view.planTable().rowCount() == 0);
    CHECK_FALSE(view.runButton().isEnabled());
    CHECK(view.editor().extraSelections().size() >= 1);

    // A click on the problem puts the cursor on its line.
    view.editor().moveCursor(QTextCursor::End);
    const QRect rect = view.issueList().visualItemRect(issue);
    QTest::mouseClick(view.issueList().viewport(), Qt::LeftButton, {}, rect.center());
    CHECK(view.editor().textCursor().blockNumber() == 3);
}

TEST_CASE("Recipes view: the example plans four jobs at the price book's price and runs them",
          "[ui][recipes]") {
    RecipesRig rig;
    RecipesView& view = *rig.view;
    view.newFromExample();
    REQUIRE(waitUntil([&] { return rig.settled() && view.planTable().rowCount() > 0; }));
    REQUIRE(view.planTable().rowCount() == 4);
    CHECK(view.planTable().item(0, 1)->text() ==
          QStringLiteral("a fox icon in rust, flat vector, thick outlines, warm palette"));
    CHECK(view.planTable().item(0, 2)->text() == QStringLiteral("openai/gpt-image-1"));
    CHECK(view.planTable().item(0, 4)->text() == QStringLiteral("1000"));
    const QString total = MoneyText::usd(4 * examplePrice(rig.lane()));
    CHECK(view.summary().text().contains(total));
    CHECK(view.summary().text().contains(QStringLiteral("no budget applies")));
    REQUIRE(view.runButton().isEnabled());
    CHECK(recipeJobs(rig.root()).empty());

    QTest::mouseClick(&view.runButton(), Qt::LeftButton);
    REQUIRE(waitUntil([&] { return view.status().text().startsWith(QStringLiteral("Queued run")); },
                      20000));
    CHECK(recipeJobs(rig.root()).size() == 4);
    // The bridge's lane runs them as any other jobs, against the fake.
    REQUIRE(waitUntil(
        [&] {
            const auto jobs = recipeJobs(rig.root());
            return std::ranges::all_of(jobs, [](const Job& j) { return isFinal(j.state); });
        },
        30000));
    for (const auto& job : recipeJobs(rig.root())) {
        CHECK(job.state == JobState::Succeeded);
        CHECK(job.assets.size() == 1);
    }
    // Each of the four prompts reached the server exactly once.
    const auto executions = rig.replies.executionsByPrompt();
    CHECK(executions.size() == 4);
    CHECK(std::ranges::all_of(executions, [](const auto& entry) { return entry.second == 1; }));
    CHECK(rig.openai.problems().empty());

    // The run is listed; a double-click lists the four assets it made.
    view.refreshRuns();
    REQUIRE(waitUntil([&] { return rig.settled() && view.runList().count() == 1; }));
    CHECK(view.runList().item(0)->text().contains(QStringLiteral("4/4 done")));
    const QRect row = view.runList().visualItemRect(view.runList().item(0));
    // An item view acts on a double-click only after the press that starts it.
    QTest::mouseClick(view.runList().viewport(), Qt::LeftButton, {}, row.center());
    QTest::mouseDClick(view.runList().viewport(), Qt::LeftButton, {}, row.center());
    CHECK(view.runAssets().count() == 4);

    // Its manifest opens with the run's jobs, and an expansion is planned before it runs:
    // the combinations already made keep their prompts and seeds.
    const std::string runId = recipeJobs(rig.root()).front().recipeRun;
    view.openManifest(rig.root() / "recipes" / (runId + ".json"));
    REQUIRE(waitUntil([&] {
        return rig.settled() && view.planTable().item(0, 6) != nullptr &&
               view.planTable().item(0, 6)->text() != "planned";
    }));
    CHECK(view.planTable().rowCount() == 4);
    view.planExpansion(QStringLiteral("colour=rust,green"));
    REQUIRE(waitUntil([&] {
        return rig.settled() && view.planTable().item(0, 6) != nullptr &&
               view.planTable().item(0, 6)->text() == "planned";
    }));
    REQUIRE(view.planTable().rowCount() == 4);
    CHECK(view.planTable().item(2, 1)->text().startsWith(QStringLiteral("a fox icon in green")));
    CHECK(view.planTable().item(0, 4)->text() == QStringLiteral("1000"));
    CHECK(view.runButton().isEnabled());

    const QImage shot = test::renderWidget(view, {1280, 800}, QStringLiteral("recipes-view.png"));
    CHECK(shot.size() == QSize(1280, 800));
}

TEST_CASE("Recipes view: a plan past the project's budget shows the verdict and queues nothing",
          "[ui][recipes]") {
    RecipesRig rig;
    RecipesView& view = *rig.view;
    QSignalSpy set(rig.bridge.get(), &CoreBridge::budgetSet);
    rig.bridge->setBudget(QStringLiteral("project"), QStringLiteral("tight"), Micros{10'000});
    REQUIRE(set.wait(10000));
    view.projectField().setText(QStringLiteral("tight"));
    view.newFromExample();
    REQUIRE(waitUntil([&] { return rig.settled() && view.planTable().rowCount() == 4; }));
    CHECK(view.summary().text().contains(QStringLiteral("Budget refuses")));
    CHECK_FALSE(view.runButton().isEnabled());
    QTest::mouseClick(&view.runButton(), Qt::LeftButton);
    view.run();
    REQUIRE(waitUntil([&] { return rig.settled(); }));
    CHECK(recipeJobs(rig.root()).empty());
    CHECK(rig.replies.executionsByPrompt().empty());
    test::renderWidget(view, {1280, 800}, QStringLiteral("recipes-view-budget.png"));
}

// bench_recipe: a 500-job recipe (25 subjects x 10 colours x 2 sizes, count 1) parsed,
// planned against the shipped price book and a library with a project budget, and queued
// as one recipe run (one transaction, reservations included), beside the anchor of the
// same 500 requests queued one JobStore::enqueue transaction each (what 500 calls of
// ripen-cli generate would do, without their process start). Medians over fresh libraries;
// peak resident memory of the plan and of the queueing.

#include "BenchCommon.h"
#include "CommandLine.h"
#include "ResultTable.h"
#include "catalog/Library.h"
#include "common/ResourceLocator.h"
#include "credits/Ledger.h"
#include "jobs/JobStore.h"
#include "recipes/RecipePlan.h"
#include "recipes/RecipeRunner.h"

#include <iostream>

namespace rb = ripen::bench;
using ripen::bench::orThrow;

namespace {

std::string recipeText(int subjects, int colours) {
    auto list = [](const char* stem, int n) {
        std::string out = "[";
        for (int i = 0; i < n; ++i) {
            out += std::string(i ? ", " : "") + "\"" + stem + " " + std::to_string(i) + "\"";
        }
        return out + "]";
    };
    return R"({"format": "ripen.recipe", "version": 1, "name": "bench kit",
      "prompt": "an icon of a {subject} in {colour}, centred on a plain background",
      "variables": {"subject": )" +
           list("subject", subjects) + R"(, "colour": )" + list("colour", colours) + R"(},
      "style": "flat vector, thick outlines, warm palette, consistent stroke width",
      "negative": "text, watermark",
      "stages": {"concept": {"provider": "openai", "model": "gpt-image-1"}},
      "sizes": [{"size": "1024x1024"}, {"size": "1536x1024"}], "count": 1, "seed": 1000,
      "post": [{"step": "upscale", "factor": 2}]})";
}

struct Phase {
    std::vector<double> parse, plan, queue, anchor;
    std::int64_t planPeakKiB = 0;
    std::int64_t queuePeakKiB = 0;
};

void runOnce(const std::string& text, const ripen::PriceBook& prices, Phase& phase) {
    const auto scratch = rb::makeScratchDir("ripen-bench-recipe");
    {
        auto library = orThrow(ripen::Library::open(scratch / "lib"), "open");
        const auto project = orThrow(library->catalog().ensureProject("Bench", ""), "project");
        orThrow(ripen::Ledger(library->catalog().database())
                    .setBudget("project", project, 1'000'000'000),
                "budget");

        auto start = rb::Clock::now();
        const auto recipe = orThrow(ripen::parseRecipe(text, "bench.json", "."), "parse");
        phase.parse.push_back(rb::secondsSince(start));

        rb::resetPeakRss();
        start = rb::Clock::now();
        ripen::PlanSettings settings{ripen::RecipeStage::Concept, "Bench", "", nullptr, ""};
        const auto plan =
            orThrow(ripen::planRecipe(recipe, prices, library.get(), settings), "plan");
        phase.plan.push_back(rb::secondsSince(start));
        phase.planPeakKiB = std::max(phase.planPeakKiB, rb::peakRssKiB());
        if (plan.jobs.size() != 500 || !plan.budget.allowed) {
            throw std::runtime_error("the bench recipe should plan 500 jobs within budget");
        }

        rb::resetPeakRss();
        start = rb::Clock::now();
        ripen::RunSettings run{"Bench", "", "bench.json", "", 0};
        const auto queued =
            orThrow(ripen::RecipeRunner(*library, prices).queue(recipe, plan, run), "queue");
        phase.queue.push_back(rb::secondsSince(start));
        phase.queuePeakKiB = std::max(phase.queuePeakKiB, rb::peakRssKiB());

        // Anchor: the same requests, one enqueue transaction each, in a second project.
        ripen::JobStore store(*library);
        ripen::EnqueueOptions options;
        options.project = "Anchor";
        start = rb::Clock::now();
        for (const auto& job : plan.jobs) {
            orThrow(store.enqueue(job.request, options, job.estimate), "enqueue");
        }
        phase.anchor.push_back(rb::secondsSince(start));
        if (queued.jobs.size() != 500) {
            throw std::runtime_error("the run should have queued 500 jobs");
        }
    }
    std::filesystem::remove_all(scratch);
}

} // namespace

int main(int argc, char** argv) {
    try {
        const rb::CommandLine args(argc, argv, {"--runs"}, {"--quick"});
        const int runs = static_cast<int>(args.number("--runs", args.has("--quick") ? 3 : 9));
        const auto prices =
            orThrow(ripen::PriceBook::load(ripen::resourceFile("pricebook.json")), "price book");
        const std::string text = recipeText(25, 10);
        Phase phase;
        for (int i = 0; i < runs; ++i) {
            runOnce(text, prices, phase);
        }
        std::cout << "## Recipe: plan and queue 500 jobs\n\n"
                  << "machine: " << rb::machineDescription() << "; " << runs
                  << " runs on fresh libraries, medians\n\n";
        rb::ResultTable table(
            {"phase (500 jobs)", "Ripen", "anchor: 500 single enqueues", "ratio"});
        const double queue = rb::median(phase.queue);
        const double anchor = rb::median(phase.anchor);
        table.addRow({"parse + validate", rb::formatDuration(rb::median(phase.parse)), "", ""});
        table.addRow(
            {"plan (price book, budget)", rb::formatDuration(rb::median(phase.plan)), "", ""});
        table.addRow({"queue (one transaction, manifest)", rb::formatDuration(queue),
                      rb::formatDuration(anchor), rb::ratioText(queue, anchor)});
        std::cout << table.toMarkdown() << "\npeak RSS: plan " << phase.planPeakKiB / 1024
                  << " MiB, queue " << phase.queuePeakKiB / 1024 << " MiB (VmHWM)\n";
        return 0;
    } catch (const std::exception& e) {
        std::cerr << "bench_recipe: " << e.what() << "\n";
        return 1;
    }
}

// ripen-cli run and expand as a user drives them, against a loopback OpenAI.
#include "support/FakeHttpServer.h"
#include "support/Process.h"
#include "support/TempDir.h"
#include "support/fakes/OpenAiFakeServer.h"
#include "support/fakes/UniqueImageReplies.h"

#include <catch2/catch.hpp>
#include <cstdlib>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

using namespace ripen::test;

namespace {

const char* const kRecipe = R"json({
  "format": "ripen.recipe",
  "version": 1,
  "prompt": "a {animal} mascot",
  "variables": {"animal": ["fox", "owl"]},
  "style": "bold flat colours",
  "stages": {"concept": {"provider": "openai", "model": "gpt-image-1"}},
  "count": 2,
  "seed": 7
})json";

struct RecipeCli {
    TempDir dir;
    FakeHttpServer server;
    UniqueImageReplies replies{server};

    RecipeCli() {
        ::setenv("RIPEN_OPENAI_BASE_URL", server.baseUrl().c_str(), 1);
        ::setenv("OPENAI_API_KEY", OpenAiFakeServer::kApiKey, 1);
        write("recipe.json", kRecipe);
    }

    std::string write(const std::string& name, const std::string& text) {
        std::ofstream(dir / name) << text;
        return (dir / name).string();
    }

    ProcessResult cli(std::vector<std::string> args) {
        std::vector<std::string> argv{ripenCli(), "--library", (dir / "lib").string()};
        argv.insert(argv.end(), args.begin(), args.end());
        return runProcess(argv);
    }

    std::size_t queued() {
        std::istringstream in(cli({"queue", "--json"}).out);
        std::size_t n = 0;
        for (std::string line; std::getline(in, line);) {
            ++n;
        }
        return n;
    }
};

std::string lineStarting(const std::string& text, const std::string& prefix) {
    std::istringstream in(text);
    for (std::string line; std::getline(in, line);) {
        if (line.rfind(prefix, 0) == 0) {
            return line.substr(prefix.size());
        }
    }
    return {};
}

} // namespace

TEST_CASE("run --dry-run prints the plan and queues nothing", "[cli][recipes]") {
    RecipeCli f;
    const auto plan = f.cli({"run", (f.dir / "recipe.json").string(), "--dry-run"});
    REQUIRE(plan.exitCode == 0);
    CHECK_THAT(plan.out,
               Catch::Contains("job 1 openai/gpt-image-1 seed 7 estimate 0.042 USD: a fox "
                               "mascot, bold flat colours"));
    CHECK_THAT(plan.out,
               Catch::Contains("job 4 openai/gpt-image-1 seed 8 estimate 0.042 USD: a owl"));
    CHECK_THAT(plan.out, Catch::Contains("total: 4 job(s), estimate 0.168 USD"));
    CHECK_THAT(plan.out, Catch::Contains("budget: no budget applies"));
    CHECK(f.queued() == 0);

    const auto json = f.cli({"run", (f.dir / "recipe.json").string(), "--dry-run", "--json"});
    REQUIRE(json.exitCode == 0);
    const auto parsed = nlohmann::json::parse(json.out);
    CHECK(parsed["jobs"].size() == 4);
    CHECK(parsed["estimate_usd"] == "0.168");
    CHECK(f.server.totalCount() == 0);

    CHECK(f.cli({"run", "--help"}).exitCode == 0);
    CHECK(f.cli({"run"}).exitCode == 2);
    CHECK(f.cli({"run", (f.dir / "recipe.json").string(), "--stage", "final"}).exitCode == 2);
}

TEST_CASE("run refuses an invalid recipe with file, line and field", "[cli][recipes]") {
    RecipeCli f;
    std::string text = kRecipe;
    text.replace(text.find("\"seed\""), 6, "\"sead\"");
    const auto result = f.cli({"run", f.write("typo.json", text)});
    CHECK(result.exitCode == 2);
    CHECK_THAT(result.err, Catch::Contains("typo.json:9: sead: unknown field"));
    CHECK(f.queued() == 0);
}

TEST_CASE("run past a budget is refused before any request", "[cli][recipes][budget]") {
    RecipeCli f;
    REQUIRE(f.cli({"budget", "set", "--project", "Pilot", "--limit", "0.10"}).exitCode == 0);
    const auto dry =
        f.cli({"run", (f.dir / "recipe.json").string(), "--dry-run", "--project", "Pilot"});
    CHECK(dry.exitCode == 0);
    CHECK_THAT(dry.out, Catch::Contains("budget: over budget: project \"Pilot\" has $0.10"));
    const auto refused =
        f.cli({"run", (f.dir / "recipe.json").string(), "--project", "Pilot", "--wait"});
    CHECK(refused.exitCode == 1);
    CHECK_THAT(refused.err, Catch::Contains("Nothing was queued"));
    CHECK(f.queued() == 0);
    CHECK(f.server.totalCount() == 0);
}

TEST_CASE("run --wait makes the kit and expand repeats it with new values", "[cli][recipes]") {
    RecipeCli f;
    const auto run =
        f.cli({"run", (f.dir / "recipe.json").string(), "--project", "Mascots", "--wait"});
    REQUIRE(run.exitCode == 0);
    CHECK(f.replies.total() == 4);
    const std::string manifestPath = lineStarting(run.out, "manifest ");
    REQUIRE_FALSE(manifestPath.empty());
    CHECK_THAT(run.out,
               Catch::Contains("finished run-") && Catch::Contains("4 succeeded, 0 failed"));
    std::ifstream in(manifestPath);
    const auto manifest = nlohmann::json::parse(in);
    CHECK(manifest["state"] == "finished");
    CHECK(manifest["project"] == "Mascots");
    for (const auto& job : manifest["jobs"]) {
        CHECK(job["assets"].size() == 1);
    }

    const auto expand = f.cli({"expand", manifestPath, "--set", "animal=owl,heron", "--wait"});
    REQUIRE(expand.exitCode == 0);
    CHECK(f.replies.executions("a owl mascot, bold flat colours") == 4);
    CHECK(f.replies.executions("a heron mascot, bold flat colours") == 2);
    CHECK(f.replies.executions("a fox mascot, bold flat colours") == 2);
    for (const auto& request : f.server.requestsTo("/v1/images/generations")) {
        const auto body = nlohmann::json::parse(request.body);
        CHECK_FALSE(body.contains("seed")); // OpenAI takes none; the manifest keeps it
    }
    std::ifstream in2(lineStarting(expand.out, "manifest "));
    const auto second = nlohmann::json::parse(in2);
    CHECK(second["project"] == "Mascots");
    CHECK(second["expanded_from"] == manifest["run"]);
    CHECK(second["jobs"][0]["prompt"] == manifest["jobs"][2]["prompt"]);
    CHECK(second["jobs"][0]["seed"] == manifest["jobs"][2]["seed"]);

    CHECK(f.cli({"expand", manifestPath}).exitCode == 2);
    CHECK(f.cli({"expand", manifestPath, "--set", "colour=red"}).exitCode == 2);
    CHECK(f.cli({"expand", (f.dir / "recipe.json").string(), "--set", "animal=cat"}).exitCode == 1);
}

TEST_CASE("a run queued without --wait gets its manifest completed later", "[cli][recipes]") {
    RecipeCli f;
    const auto run = f.cli({"run", (f.dir / "recipe.json").string()});
    REQUIRE(run.exitCode == 0);
    const std::string runId = lineStarting(run.out, "run ");
    REQUIRE_FALSE(runId.empty());
    CHECK(f.replies.total() == 0);

    const auto early = f.cli({"manifest", runId});
    CHECK(early.exitCode == 0);
    CHECK_THAT(early.out, Catch::EndsWith(" queued\n"));
    REQUIRE(f.cli({"queue", "run"}).exitCode == 0);
    const auto later = f.cli({"manifest", runId});
    CHECK_THAT(later.out, Catch::EndsWith(" generated\n"));
    const auto finished = f.cli({"manifest", lineStarting(run.out, "manifest "), "--finish"});
    CHECK(finished.exitCode == 0);
    CHECK_THAT(finished.out, Catch::EndsWith(" finished\n"));
    std::ifstream in(lineStarting(run.out, "manifest "));
    const auto manifest = nlohmann::json::parse(in);
    CHECK(manifest["state"] == "finished");
    for (const auto& job : manifest["jobs"]) {
        CHECK(job["state"] == "succeeded");
        CHECK(job["assets"].size() == 1);
    }
    CHECK(f.cli({"manifest", "run-unknown"}).exitCode == 1);
}

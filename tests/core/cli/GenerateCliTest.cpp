// The queue's ripen-cli forms against a loopback server speaking OpenAI's Images protocol.
#include "support/FakeHttpServer.h"
#include "support/Process.h"
#include "support/TempDir.h"
#include "support/fakes/OpenAiFakeServer.h"
#include "support/fakes/UniqueImageReplies.h"

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include <cstdlib>
#include <sstream>

using namespace ripen::test;

namespace {

struct CliFixture {
    TempDir dir;
    FakeHttpServer server;
    UniqueImageReplies replies{server};

    CliFixture() {
        ::setenv("RIPEN_OPENAI_BASE_URL", server.baseUrl().c_str(), 1);
        ::setenv("OPENAI_API_KEY", OpenAiFakeServer::kApiKey, 1);
    }

    ProcessResult cli(std::vector<std::string> args) {
        std::vector<std::string> argv{ripenCli(), "--library", (dir / "lib").string()};
        argv.insert(argv.end(), args.begin(), args.end());
        return runProcess(argv);
    }

    ProcessResult generate(std::vector<std::string> extra) {
        std::vector<std::string> args{"generate", "--provider", "openai", "--model",
                                      "gpt-image-1", "--prompt", "a paper lantern at dusk"};
        args.insert(args.end(), extra.begin(), extra.end());
        return cli(args);
    }
};

std::vector<nlohmann::json> jsonLines(const std::string& text) {
    std::vector<nlohmann::json> rows;
    for (const auto& line : outputLines(text)) {
        rows.push_back(nlohmann::json::parse(line));
    }
    return rows;
}

} // namespace

TEST_CASE("generate queues jobs with their estimate and queue run turns them into assets",
          "[cli][jobs]") {
    CliFixture f;
    const auto queued = f.generate({"--count", "2", "--project", "Lanterns"});
    REQUIRE(queued.exitCode == 0);
    const auto out = outputLines(queued.out);
    REQUIRE(out.size() == 2);
    for (const auto& line : out) {
        CHECK_THAT(line, Catch::Matches("queued [0-9]+ estimate 0\\.042 USD"));
    }
    CHECK(f.replies.total() == 0); // queued, not sent

    auto jobs = jsonLines(f.cli({"queue", "--json"}).out);
    REQUIRE(jobs.size() == 2);
    CHECK(jobs[0]["state"] == "queued");
    CHECK(jobs[0]["project"] == "Lanterns");

    const auto run = f.cli({"queue", "run"});
    CHECK(run.exitCode == 0);
    const auto done = outputLines(run.out);
    REQUIRE(done.size() == 2);
    CHECK_THAT(done[0], Catch::Matches("done [0-9]+ [0-9]+"));
    CHECK(f.replies.total() == 2);

    const auto assets = jsonLines(f.cli({"list", "--json", "--project", "Lanterns"}).out);
    REQUIRE(assets.size() == 2);
    CHECK(assets[0]["provider"] == "openai");
    CHECK(assets[0]["model_id"] == "gpt-image-1");
    CHECK(assets[0]["prompt"] == "a paper lantern at dusk");
    CHECK(assets[0]["params"].contains("job_id"));

    const auto credits = nlohmann::json::parse(f.cli({"credits", "--json"}).out);
    CHECK(credits["charged_usd_micros"] == 2 * 42'240);
    CHECK(credits["reserved_usd_micros"] == 0);
    CHECK(credits["by_provider"][0]["key"] == "openai");
    CHECK(credits["by_project"][0]["key"] == "Lanterns");
}

TEST_CASE("generate --wait reports each job and exits 0 only when all succeeded",
          "[cli][jobs]") {
    CliFixture f;
    const auto ok = f.generate({"--wait"});
    CHECK(ok.exitCode == 0);
    const auto out = outputLines(ok.out);
    REQUIRE(out.size() == 2);
    CHECK_THAT(out[0], Catch::StartsWith("queued "));
    CHECK_THAT(out[1], Catch::Matches("done [0-9]+ [0-9]+"));

    f.server.reply("POST", "/v1/images/generations", OpenAiFakeServer::moderationBlocked());
    const auto blocked = f.generate({"--wait"});
    CHECK(blocked.exitCode == 1);
    CHECK_THAT(outputLines(blocked.out).back(), Catch::Matches("failed [0-9]+: blocked by .*"));
}

TEST_CASE("a budget refuses what would pass it, with the numbers", "[cli][budget]") {
    CliFixture f;
    REQUIRE(f.cli({"budget", "set", "--project", "Pilot", "--limit", "0.10"}).exitCode == 0);
    const auto tooMany = f.generate({"--project", "Pilot", "--count", "3"});
    CHECK(tooMany.exitCode == 1);
    CHECK_THAT(tooMany.err, Catch::Contains("Pilot") && Catch::Contains("$0.10") &&
                                Catch::Contains("Nothing was queued"));
    CHECK(jsonLines(f.cli({"queue", "--json"}).out).empty());
    CHECK(f.generate({"--project", "Pilot", "--count", "2"}).exitCode == 0);
    const auto credits = nlohmann::json::parse(f.cli({"credits", "--json"}).out);
    REQUIRE(credits["budgets"].size() == 1);
    CHECK(credits["budgets"][0]["reserved_usd"] == "0.084");
    CHECK(credits["budgets"][0]["soft_alert"] == true);
}

TEST_CASE("generate explains what is missing or wrong before anything is queued", "[cli]") {
    CliFixture f;
    ::unsetenv("OPENAI_API_KEY");
    const auto noKey = f.generate({});
    CHECK(noKey.exitCode == 1);
    CHECK_THAT(noKey.err, Catch::Contains("OPENAI_API_KEY"));
    ::setenv("OPENAI_API_KEY", OpenAiFakeServer::kApiKey, 1);

    const auto badModel = f.cli({"generate", "--provider", "openai", "--model", "dall-e-9",
                                 "--prompt", "x"});
    CHECK(badModel.exitCode == 2);
    CHECK_THAT(badModel.err, Catch::Contains("gpt-image-1"));

    ::setenv("GEMINI_API_KEY", "AIzaCANARY-not-a-real-key", 1);
    const auto retired = f.cli({"generate", "--provider", "google", "--model",
                                "gemini-2.5-flash-image", "--prompt", "x"});
    CHECK(retired.exitCode == 2);
    CHECK_THAT(retired.err, Catch::Contains("retired") && Catch::Contains("gemini-3.1-flash-image"));
    CHECK(jsonLines(f.cli({"queue", "--json"}).out).empty());
}

TEST_CASE("an interrupted job waits for queue retry, which warns about a double charge",
          "[cli][jobs]") {
    CliFixture f;
    f.server.reply("POST", "/v1/images/generations", FakeReply::cutBody("{\"data\": [", 50000));
    const auto run = f.generate({"--wait"});
    CHECK(run.exitCode == 1);
    const auto out = outputLines(run.out);
    REQUIRE(out.size() == 2);
    CHECK_THAT(out[1], Catch::Matches("interrupted [0-9]+: .*"));
    const std::string id = out[0].substr(7, out[0].find(' ', 7) - 7);

    CHECK(f.cli({"queue", "run"}).exitCode == 0); // nothing resent on its own
    CHECK(f.server.count("/v1/images/generations") == 1);

    f.server.on("POST", "/v1/images/generations", [](const RecordedRequest&) {
        return FakeReply::json(200, OpenAiFakeServer::imagesReply(1, 16, 16));
    });
    const auto retry = f.cli({"queue", "retry", id});
    CHECK(retry.exitCode == 0);
    CHECK_THAT(retry.out, Catch::Contains("may already have been charged") &&
                              Catch::Contains("twice"));
    const auto again = f.cli({"queue", "run"});
    CHECK(again.exitCode == 0);
    CHECK_THAT(again.out, Catch::StartsWith("done " + id + " "));
}

TEST_CASE("queue priority sets a job's priority and checks its arguments", "[cli][jobs]") {
    CliFixture f;
    REQUIRE(f.generate({"--count", "3"}).exitCode == 0);
    const auto set = f.cli({"queue", "priority", "3", "5"});
    CHECK(set.exitCode == 0);
    CHECK(set.out == "priority 3 5\n");
    CHECK(f.cli({"queue", "priority", "3"}).exitCode == 2);
    CHECK(f.cli({"queue", "priority", "99", "1"}).exitCode == 1);
    const auto jobs = jsonLines(f.cli({"queue", "--json"}).out);
    REQUIRE(jobs.size() == 3);
    CHECK(jobs[2]["priority"] == 5);
}

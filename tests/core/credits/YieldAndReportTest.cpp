// Cost per accepted asset through a multi-stage lineage, and the client report built on it,
// in core and through ripen-cli's csv and json.
#include "SyntheticLedger.h"
#include "credits/CreditReport.h"
#include "credits/CreditReportFormat.h"
#include "credits/YieldQuery.h"
#include "support/Process.h"
#include "support/TestImages.h"

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

using namespace ripen;
using namespace ripen::test;

namespace {

// Project Poster, 2026-11-16..18:
//   batch cb  4 concept jobs on flux-schnell made before the project existed (no project):
//             c1..c3 charged $0.003 each, c4 failed uncharged; assets 1..3, 2 rejected
//   batch mb  2 master jobs on gpt-image-1 from asset 1, $0.042 each: assets 4 and 5 (5 rejected)
//   job u1    an upscale of asset 4, $0.02: asset 6, picked
//   job m3    a master job without parents, $0.042: asset 7, picked
//   job p1    a concept job in the project, $0.003: asset 8, rejected
//   job o1    another project's concept job, $0.005: asset 9, nothing to do with Poster
// Behind Poster's 2 picks: $0.009 (lineage) + 0.084 + 0.02 + 0.042 + 0.003 = $0.158.
struct PosterLedger : SyntheticLedger {
    std::int64_t poster = project("Poster", "Lumen");
    std::int64_t other = project("Other");

    PosterLedger() {
        const auto t = noon("2026-11-16");
        for (int id = 1; id <= 4; ++id) {
            job({.id = id,
                 .batch = "cb",
                 .model = "flux-schnell",
                 .state = id == 4 ? "failed" : "succeeded",
                 .createdAt = t});
            settled(t, id, 3000, id == 4 ? std::nullopt : std::optional<std::int64_t>(3000));
            if (id < 4) {
                asset(
                    {.id = id, .flag = id == 2 ? "reject" : "none", .madeBy = id, .importedAt = t});
            }
        }
        const auto t1 = noon("2026-11-17");
        const auto lumen = *library->catalog().ensureClient("Lumen");
        for (int id : {11, 12}) {
            job({.id = id,
                 .batch = "mb",
                 .projectId = poster,
                 .clientId = lumen,
                 .stage = "master",
                 .createdAt = t1});
            settled(t1, id, 40'000, 42'000);
        }
        asset({.id = 4,
               .projectId = poster,
               .stage = "master",
               .madeBy = 11,
               .parent = 1,
               .importedAt = t1});
        asset({.id = 5,
               .projectId = poster,
               .flag = "reject",
               .stage = "master",
               .madeBy = 12,
               .parent = 1,
               .importedAt = t1});
        const auto t2 = noon("2026-11-18");
        job({.id = 13,
             .batch = "ub",
             .projectId = poster,
             .clientId = lumen,
             .stage = "upscaled",
             .createdAt = t2});
        settled(t2, 13, 20'000, 20'000);
        asset({.id = 6,
               .projectId = poster,
               .flag = "pick",
               .stage = "upscaled",
               .madeBy = 13,
               .parent = 4,
               .importedAt = t2});
        job({.id = 14,
             .batch = "m3",
             .projectId = poster,
             .clientId = lumen,
             .stage = "master",
             .attempts = 2,
             .createdAt = t2});
        settled(t2, 14, 42'000, 42'000);
        asset({.id = 7,
               .projectId = poster,
               .flag = "pick",
               .stage = "master",
               .madeBy = 14,
               .importedAt = t2});
        job({.id = 15,
             .batch = "p1",
             .provider = "fal",
             .model = "flux-schnell",
             .projectId = poster,
             .clientId = lumen,
             .createdAt = t2});
        settled(t2, 15, 3000, 3000);
        asset({.id = 8, .projectId = poster, .flag = "reject", .madeBy = 15, .importedAt = t2});
        job({.id = 16, .batch = "o1", .projectId = other, .createdAt = t2});
        settled(t2, 16, 5000, 5000);
        asset({.id = 9, .projectId = other, .madeBy = 16, .importedAt = t2});
        REQUIRE(db().exec("UPDATE assets SET client_id = " + std::to_string(lumen) +
                          " WHERE project_id = " + std::to_string(poster)));
    }
};

} // namespace

TEST_CASE("Yield counts every attempt and reject behind the picks, through their lineage",
          "[credits][yield]") {
    PosterLedger f;
    const auto rollup = DailyRollup::read(f.db());
    REQUIRE(rollup);
    YieldQuery yield(f.db(), *rollup);
    auto y = yield.forScope({.projectId = f.poster});
    REQUIRE(y);
    CHECK(y->name == "Poster");
    CHECK(y->picks == 2);
    CHECK(y->rejects == 2);           // assets 5 and 8; asset 2 is not the project's
    CHECK(y->charges == 8);           // 5 of the project's jobs + c1..c3 of the concept batch
    CHECK(y->lineageUsd == 9000);     // the concept batch behind asset 1
    CHECK(y->discoveryUsd == 12'000); // 0.009 + 0.003
    CHECK(y->productionUsd == 146'000);
    CHECK(y->totalUsd() == 158'000);
    CHECK(y->costPerPickUsd() == 79'000);

    // Per project: Other has spend but no picks, so no cost per pick.
    auto all = yield.perProject({});
    REQUIRE(all);
    REQUIRE(all->size() == 2);
    CHECK(all->at(0).name == "Poster");
    CHECK(all->at(1).name == "Other");
    CHECK(all->at(1).totalUsd() == 5000);
    CHECK_FALSE(all->at(1).costPerPickUsd());

    // A period that ends before the upscale: no picks yet, only what was spent by then.
    auto early = yield.forScope({.projectId = f.poster, .to = SyntheticLedger::day("2026-11-17")});
    REQUIRE(early);
    CHECK(early->picks == 0);
    CHECK(early->totalUsd() == 84'000);
    CHECK_FALSE(early->costPerPickUsd());
}

TEST_CASE("The client report sums deliverables, attempts, stages and a fee at a margin",
          "[credits][report]") {
    PosterLedger f;
    REQUIRE(f.db().exec(
        "INSERT INTO accounts(provider, currency, created_at) VALUES ('openai', 'USD', 1)"));
    REQUIRE(f.db().exec("INSERT INTO subscriptions(account_id, monthly_price_usd_micros, "
                        "monthly_credit_micros, renewal_day, starts_on, created_at) VALUES "
                        "(1, 20000000, 20000000, 1, '2026-11-01', 1)"));
    CreditReportRequest request;
    request.project = "Poster";
    request.from = SyntheticLedger::day("2026-11-01");
    request.to = SyntheticLedger::day("2026-11-30");
    request.asOf = SyntheticLedger::day("2026-11-30");
    request.marginPercent = 40;
    auto report = buildClientReport(f.db(), request);
    REQUIRE(report);
    CHECK(report->deliverables.size() == 2);
    CHECK(report->deliverables[0].assetId == 6);
    CHECK(report->attempts.jobs == 5);
    CHECK(report->attempts.submissions == 6); // job 14 was sent twice
    CHECK(report->overview.spentUsd == 149'000);
    CHECK(report->costBehindDeliverablesUsd == 158'000);
    CHECK(report->costPerDeliverableUsd == 79'000);
    // 0.158 / (1 - 0.40) = 0.263333... rounded up.
    CHECK(report->suggestedFeeUsd == 263'334);
    CHECK(report->suggestedFeePerDeliverableUsd == 131'667);
    CHECK(report->subscriptionUsd == 146'000); // openai is subscribed, fal is not
    REQUIRE(report->byModel.size() == 2);
    CHECK(report->byModel[0].group == "openai gpt-image-1");
    CHECK(report->byModel[0].usd == 146'000);
    CHECK(report->byModel[1].group == "fal flux-schnell");

    const std::string csv = clientReportCsv(*report);
    CHECK_THAT(csv, Catch::StartsWith("section,key,detail,usd,count\r\n"));
    CHECK_THAT(csv, Catch::Contains("fee,suggested,40% margin,0.263334,\r\n"));
    CHECK_THAT(csv, Catch::Contains("summary,deliverables,,,2\r\n"));
    CHECK_THAT(csv, Catch::Contains("spend_by_stage,production,,0.146,"));
    CHECK_THAT(clientReportTable(*report), Catch::Contains("Cost per deliverable:      $0.079"));

    request.project = "Nobody";
    auto missing = buildClientReport(f.db(), request);
    REQUIRE_FALSE(missing);
    CHECK_THAT(missing.error().message, Catch::Contains("Nobody"));
}

TEST_CASE("ripen-cli credits report writes the same figures as csv and json",
          "[credits][report][cli]") {
    PosterLedger f;
    const std::string root = (f.dir / "library").string();
    auto json = runProcess(
        {ripenCli(), "--library",  root,    "credits",    "report",   "--client", "Lumen",
         "--from",   "2026-11-01", "--to",  "2026-11-30", "--format", "json",     "--margin",
         "50",       "--group",    "stage", "--bucket",   "day",      "--as-of",  "2026-11-30"});
    REQUIRE(json.exitCode == 0);
    const auto parsed = nlohmann::json::parse(json.out);
    CHECK(parsed["deliverables"].size() == 2);
    CHECK(parsed["cost_behind_deliverables_usd_micros"] == 158'000);
    CHECK(parsed["suggested_fee_usd"] == "0.316");
    CHECK(parsed["overview"]["spent_usd_micros"] == 149'000);
    const auto& series = parsed["overview"]["series"];
    REQUIRE(series.size() == 3);
    CHECK(series[0]["bucket"] == "2026-11-17");
    CHECK(series[0]["key"] == "production");
    CHECK(series[0]["usd_micros"] == 84'000);

    const auto out = f.dir / "report.csv";
    auto csv = runProcess({ripenCli(), "--library", root, "credits", "report", "--project",
                           "Poster", "--format", "csv", "--out", out.string()});
    REQUIRE(csv.exitCode == 0);
    CHECK_THAT(readBytes(out), Catch::Contains("summary,cost_per_deliverable,,0.079,"));

    auto badDate =
        runProcess({ripenCli(), "--library", root, "credits", "report", "--from", "2026-13-01"});
    CHECK(badDate.exitCode == 2);
    CHECK_THAT(badDate.err, Catch::Contains("--from") && Catch::Contains("2026-13-01"));
    auto unknown =
        runProcess({ripenCli(), "--library", root, "credits", "report", "--project", "Nobody"});
    CHECK(unknown.exitCode == 2);
    CHECK_THAT(unknown.err, Catch::Contains("no project named \"Nobody\""));

    // The plain `credits` output scripts read is unchanged.
    auto plain = runProcess({ripenCli(), "--library", root, "credits", "--json"});
    REQUIRE(plain.exitCode == 0);
    CHECK(nlohmann::json::parse(plain.out)["charged_usd"] == "0.163");
}

TEST_CASE("ripen-cli credits account adds accounts, grants and subscriptions",
          "[credits][accounts][cli]") {
    SyntheticLedger f;
    const std::string root = (f.dir / "library").string();
    const auto cli = [&](std::vector<std::string> args) {
        args.insert(args.begin(), {ripenCli(), "--library", root, "credits", "account"});
        return runProcess(args);
    };
    CHECK(cli({"add", "kling", "--currency", "credits", "--usd-per-credit", "0.014"}).exitCode ==
          0);
    CHECK(cli({"subscribe", "kling", "--price", "10", "--credits", "1000", "--renewal-day", "2",
               "--start", "2026-11-02"})
              .exitCode == 0);
    CHECK(cli({"grant", "kling", "--amount", "100", "--date", "2026-11-02", "--note", "check-in"})
              .exitCode == 0);
    auto list = cli({"list", "--as-of", "2026-11-10"});
    REQUIRE(list.exitCode == 0);
    CHECK_THAT(list.out, Catch::Contains("kling  1100.00 credits"));
    CHECK_THAT(list.out, Catch::Contains("$0.009091 per credit") &&
                             Catch::Contains("renews 2026-12-02 with 1000.00 credits for $10.00"));

    auto wrong = cli({"grant", "nobody", "--amount", "1"});
    CHECK(wrong.exitCode == 2);
    CHECK_THAT(wrong.err, Catch::Contains("no account for provider 'nobody'"));
    CHECK(cli({"subscribe", "kling", "--price", "10", "--credits", "1", "--renewal-day", "31"})
              .exitCode == 2);
    CHECK(cli({"add", "x", "--currency", "EUR"}).exitCode == 2);
    CHECK(cli({"frobnicate"}).exitCode == 2);
}

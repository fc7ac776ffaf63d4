// Balances, spend over time, forecasts and budgets on a small ledger whose every figure
// is worked out by hand in the comments.
#include "SyntheticLedger.h"
#include "credits/CreditAccounts.h"
#include "credits/Ledger.h"
#include "credits/SpendQuery.h"
#include "jobs/JobStore.h"

#include <catch2/catch.hpp>

using namespace ripen;
using namespace ripen::test;

namespace {

// Acme's project Spring and the client-less project Fall, from Monday 2026-11-02:
//   job 1  openai  Spring concept   settled, charged $0.042
//   job 2  openai  Spring concept   failed after a retry: reserved and released, no charge
//   job 3  kling   Spring master    charged 12 credits valued at $0.168 (retried 3 times)
//   job 4  openai  Fall   concept   charged $0.04 on 11-10, refunded (-$0.04) on 11-11
//   job 5  openai  Spring upscaled  queued: $0.08 reserved on 11-11
// kling is a credits account: $10 a month for 1000 credits from 11-02 renewing on day 2,
// plus check-in bonuses of 100 and 10 credits.
struct SpringLedger : SyntheticLedger {
    std::int64_t acme = client("Acme");
    std::int64_t spring = project("Spring", "Acme");
    std::int64_t fall = project("Fall");

    SpringLedger() {
        const auto d0 = noon("2026-11-02");
        job({.id = 1, .batch = "b1", .projectId = spring, .clientId = acme});
        job({.id = 2,
             .batch = "b1",
             .state = "failed",
             .projectId = spring,
             .clientId = acme,
             .attempts = 2});
        job({.id = 3,
             .provider = "kling",
             .model = "kling-v2",
             .projectId = spring,
             .clientId = acme,
             .stage = "master",
             .attempts = 3});
        job({.id = 4, .projectId = fall});
        job({.id = 5,
             .state = "queued",
             .projectId = spring,
             .clientId = acme,
             .stage = "upscaled"});
        settled(d0, 1, 40'000, 42'000);
        settled(d0 + 5000, 2, 40'000, std::nullopt);
        money(d0 + kMillisPerDay, 3, "reserve", 10'000'000, 140'000, "credits");
        money(d0 + kMillisPerDay + 1, 3, "release", 10'000'000, 140'000, "credits");
        money(d0 + kMillisPerDay + 1, 3, "charge", 12'000'000, 168'000, "credits");
        settled(noon("2026-11-10"), 4, 40'000, 40'000);
        money(noon("2026-11-11"), 4, "adjust", -40'000, -40'000);
        money(noon("2026-11-11"), 5, "reserve", 80'000, 80'000);

        CreditAccounts accounts(db());
        REQUIRE(accounts.upsert("openai", "USD", 0));
        REQUIRE(accounts.upsert("kling", "credits", 14'000));
        REQUIRE(accounts.subscribe("kling", {10'000'000, 1000'000'000, 2, day("2026-11-02")}));
        REQUIRE(accounts.grant("kling", 100'000'000, day("2026-11-02"), "check-in"));
        REQUIRE(accounts.grant("kling", 10'000'000, day("2026-11-03"), "check-in"));
    }
};

const CreditAccounts::Balance& balanceOf(const std::vector<CreditAccounts::Balance>& list,
                                         const std::string& provider) {
    for (const auto& b : list) {
        if (b.account.provider == provider) {
            return b;
        }
    }
    FAIL("no balance for " << provider);
    return list.front();
}

} // namespace

TEST_CASE("Balances add subscription credits and grants and take away charges",
          "[credits][accounts]") {
    SpringLedger f;
    CreditAccounts accounts(f.db());
    auto now = accounts.balances(SyntheticLedger::day("2026-11-11"));
    REQUIRE(now);
    const auto& kling = balanceOf(*now, "kling");
    CHECK(kling.subscriptionCredits == 1000'000'000);
    CHECK(kling.subscriptionPaidUsd == 10'000'000);
    CHECK(kling.granted == 110'000'000);
    CHECK(kling.charged == 12'000'000);
    CHECK(kling.chargedUsd == 168'000);
    CHECK(kling.balance == 1098'000'000); // 1000 + 110 - 12 credits
    // $10 / 1110 credits = $0.009009009... per credit, rounded up to the micro-unit.
    CHECK(kling.effectiveUsdPerCredit == 9010);
    REQUIRE(kling.nextRenewal);
    CHECK(formatCalendarDay(*kling.nextRenewal) == "2026-12-02");
    CHECK(kling.reserved == 0);

    const auto& openai = balanceOf(*now, "openai");
    CHECK(openai.charged == 82'000);
    CHECK(openai.adjusted == -40'000); // the refund
    CHECK(openai.balance == -42'000);  // a pay-as-you-go USD account: net spend
    CHECK(openai.reserved == 80'000);  // the queued job
    CHECK_FALSE(openai.effectiveUsdPerCredit);

    // On the renewal day a second month is paid for and credited; a day before, not yet.
    auto renewed = accounts.balances(SyntheticLedger::day("2026-12-02"));
    REQUIRE(renewed);
    CHECK(balanceOf(*renewed, "kling").subscriptionCredits == 2000'000'000);
    CHECK(balanceOf(*renewed, "kling").effectiveUsdPerCredit == 9479); // $20 / 2110 credits
    CHECK(formatCalendarDay(*balanceOf(*renewed, "kling").nextRenewal) == "2027-01-02");
    auto before = accounts.balances(SyntheticLedger::day("2026-12-01"));
    CHECK(balanceOf(*before, "kling").subscriptionCredits == 1000'000'000);
    // Before the account's first day nothing was received; the charges came later too.
    auto early = accounts.balances(SyntheticLedger::day("2026-11-01"));
    CHECK(balanceOf(*early, "kling").balance == 0);
    CHECK(formatCalendarDay(*balanceOf(*early, "kling").nextRenewal) == "2026-11-02");
}

TEST_CASE("A new subscription replaces the old one from its start", "[credits][accounts]") {
    SpringLedger f;
    CreditAccounts accounts(f.db());
    // Upgraded on 11-20 to $30 for 5000 credits renewing on the 20th.
    REQUIRE(accounts.subscribe("kling",
                               {30'000'000, 5000'000'000, 20, SyntheticLedger::day("2026-11-20")}));
    auto balances = accounts.balances(SyntheticLedger::day("2026-12-25"));
    REQUIRE(balances);
    const auto& kling = balanceOf(*balances, "kling");
    // 11-02 (old plan), 11-20 and 12-20 (new plan); the old plan's 12-02 never came.
    CHECK(kling.subscriptionCredits == 11000'000'000);
    CHECK(kling.subscriptionPaidUsd == 70'000'000);
    CHECK(formatCalendarDay(*kling.nextRenewal) == "2027-01-20");
    CHECK(kling.subscription->monthlyCredits == 5000'000'000);
    // Grants and subscriptions are money: they cannot be edited, only added to.
    CHECK_FALSE(f.db().exec("UPDATE subscriptions SET monthly_price_usd_micros = 0"));
    CHECK_FALSE(accounts.grant("nobody", 1, 0, ""));
    CHECK_FALSE(accounts.upsert("kling", "EUR", 0));
}

TEST_CASE("Spend is charges and refunds by group and period; failed jobs cost nothing",
          "[credits][spend]") {
    SpringLedger f;
    const auto rollup = DailyRollup::read(f.db());
    REQUIRE(rollup);
    const SpendQuery spend(*rollup);
    const auto byProvider = spend.totals({}, SpendGrouping::Provider);
    REQUIRE(byProvider.size() == 2);
    CHECK(byProvider.at(0).group == "kling");
    CHECK(byProvider.at(0).usd == 168'000);
    CHECK(byProvider.at(0).amount == 12'000'000); // in credits
    CHECK(byProvider.at(0).unit == "credits");
    CHECK(byProvider.at(1).group == "openai");
    CHECK(byProvider.at(1).usd == 42'000); // 0.042 + 0.04 - 0.04 refunded

    const auto byProject = spend.totals({}, SpendGrouping::Project);
    CHECK(byProject.at(0).group == "Spring");
    CHECK(byProject.at(0).usd == 210'000);
    CHECK(byProject.at(1).group == "Fall");
    CHECK(byProject.at(1).usd == 0);

    const auto byStage = spend.totals({.clientId = f.acme}, SpendGrouping::Stage);
    REQUIRE(byStage.size() == 2);
    CHECK(byStage.at(0).group == "production");
    CHECK(byStage.at(0).usd == 168'000);
    CHECK(byStage.at(1).group == "concept");
    CHECK(byStage.at(1).usd == 42'000);

    // Weeks start on Monday: 11-02..11-08 and 11-09..11-15.
    const auto weekly = spend.series({}, SpendBucket::Week, SpendGrouping::Provider);
    REQUIRE(weekly.size() == 3);
    CHECK(formatCalendarDay(weekly.at(0).bucket) == "2026-11-02");
    CHECK(weekly.at(0).group == "kling");
    CHECK(weekly.at(1).group == "openai");
    CHECK(weekly.at(1).usd == 42'000);
    CHECK(formatCalendarDay(weekly.at(2).bucket) == "2026-11-09");
    CHECK(weekly.at(2).usd == 0);
    CHECK(weekly.at(2).charges == 2);
    const auto daily = spend.series(
        {.from = SyntheticLedger::day("2026-11-03"), .to = SyntheticLedger::day("2026-11-10")},
        SpendBucket::Day, SpendGrouping::Model);
    REQUIRE(daily.size() == 2);
    CHECK(daily.at(0).group == "kling kling-v2");
    CHECK(formatCalendarDay(daily.at(1).bucket) == "2026-11-10");
    CHECK(daily.at(1).usd == 40'000);
    const auto monthly = spend.series({}, SpendBucket::Month, SpendGrouping::Client);
    REQUIRE(monthly.size() == 2);
    CHECK(formatCalendarDay(monthly.at(0).bucket) == "2026-11-01");
    CHECK(monthly.at(0).group == "(none)");
    CHECK(monthly.at(1).group == "Acme");
    CHECK(monthly.at(1).usd == 210'000);

    // The forecast is what queued jobs still hold.
    const auto forecast = spend.openReservations({}, SpendGrouping::Stage);
    REQUIRE(forecast.size() == 1);
    CHECK(forecast.at(0).group == "production");
    CHECK(forecast.at(0).usd == 80'000);
    CHECK(forecast.at(0).charges == 1);
    CHECK(*Ledger(f.db()).totalReservedUsd() == 80'000);
}

TEST_CASE("A budget refuses the job that would cross its cap and counts the refund",
          "[credits][budget]") {
    SpringLedger f;
    Ledger ledger(f.db());
    REQUIRE(ledger.setBudget("project", f.spring, 300'000));
    REQUIRE(ledger.setBudget("project", f.fall, 40'000));
    auto budgets = ledger.budgets();
    REQUIRE(budgets);
    REQUIRE(budgets->size() == 2);
    // Fall: $0.04 charged then refunded leaves the whole cap.
    CHECK(budgets->at(0).name == "Fall");
    CHECK(budgets->at(0).spentUsd == 0);
    CHECK(budgets->at(1).name == "Spring");
    CHECK(budgets->at(1).spentUsd == 210'000);
    CHECK(budgets->at(1).reservedUsd == 80'000);

    GenerationRequest request;
    request.provider = "openai";
    request.model = "gpt-image-1";
    request.prompt = "a kite";
    EnqueueOptions options;
    options.project = "Spring";
    JobStore store(*f.library);
    // 0.21 spent + 0.08 reserved + 0.02 = 0.31 > 0.30: refused, nothing reserved.
    auto refused = store.enqueue(request, options, Estimate{20'000, "USD", 20'000});
    REQUIRE_FALSE(refused);
    CHECK(refused.error().code == ErrorCode::LimitExceeded);
    CHECK_THAT(refused.error().message, Catch::Contains("Spring") && Catch::Contains("$0.30"));
    CHECK(*ledger.totalReservedUsd() == 80'000);
    // Exactly up to the cap is allowed, and the next cent is not.
    REQUIRE(store.enqueue(request, options, Estimate{10'000, "USD", 10'000}));
    CHECK((*ledger.budget("project", f.spring))->reservedUsd == 90'000);
    CHECK_FALSE(store.enqueue(request, options, Estimate{1, "USD", 1}));
    // Raising the cap takes effect for the next job.
    REQUIRE(ledger.setBudget("project", f.spring, 400'000));
    CHECK(store.enqueue(request, options, Estimate{1, "USD", 1}));
}

// The user's own prices and the accounts' cost per credit, as loadLibraryPriceBook lays them
// over the shipped price book: what the next estimate, reservation and budget verdict see.
#include "credits/PriceOverrides.h"

#include "SyntheticLedger.h"
#include "credits/CreditAccounts.h"
#include "credits/CreditReport.h"
#include "credits/CreditReportFormat.h"
#include "credits/Ledger.h"
#include "credits/LibraryPriceBook.h"
#include "jobs/JobStore.h"
#include "support/Process.h"

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

using namespace ripen;
using namespace ripen::test;

namespace {

GenerationRequest openAiImage() {
    GenerationRequest request;
    request.provider = "openai";
    request.model = "gpt-image-1";
    request.prompt = "a paper lantern";
    return request;
}

GenerationRequest klingClip(int seconds) {
    GenerationRequest request;
    request.provider = "kling";
    request.model = "kling-v2-1";
    request.prompt = "a kite over dunes";
    request.durationSeconds = seconds;
    request.options = {{"mode", "std"}};
    return request;
}

PriceBook pricesOf(SyntheticLedger& f, CalendarDay asOf) {
    auto book = loadLibraryPriceBook(*f.library, asOf);
    REQUIRE(book);
    return std::move(*book);
}

Estimate estimateOf(SyntheticLedger& f, const GenerationRequest& request, CalendarDay asOf) {
    auto estimate = pricesOf(f, asOf).estimate(request);
    REQUIRE(estimate);
    estimate->price = nullptr; // the book it pointed into is gone
    return *estimate;
}

const Price& priceFor(const PriceBook& book, const std::string& model, const std::string& quality) {
    for (const auto& p : book.prices()) {
        if (p.provider == "openai" && p.model == model && p.quality == quality) {
            return p;
        }
    }
    FAIL("no price for " << model);
    return book.prices().front();
}

} // namespace

TEST_CASE("A user's price is used by the next estimate and budget verdict, and reverts",
          "[credits][prices]") {
    SyntheticLedger f;
    const CalendarDay today = SyntheticLedger::day("2026-11-25");
    REQUIRE(Ledger(f.db()).setBudget("project", f.project("Spring"), 100'000)); // $0.10
    EnqueueOptions spring;
    spring.project = "Spring";
    JobStore store(*f.library);

    // The shipped medium-quality price: $0.042 an image.
    const Estimate shipped = estimateOf(f, openAiImage(), today);
    CHECK(shipped.amount == 42'000);
    REQUIRE(store.enqueue(openAiImage(), spring, shipped));

    PriceOverrides overrides(f.db());
    Price mine =
        PriceOverrides::draft(pricesOf(f, today), priceFor(pricesOf(f, today), "gpt-image-1", ""));
    mine.amount = 80'000;
    auto stored = overrides.set(mine, today);
    REQUIRE(stored);
    CHECK(stored->source == "user");
    CHECK(stored->asOf == "2026-11-25");

    const PriceBook book = pricesOf(f, today);
    const Price& shown = priceFor(book, "gpt-image-1", "");
    CHECK(shown.amount == 80'000);
    CHECK(shown.source == "user");
    CHECK(shown.asOf == "2026-11-25");
    CHECK(shown.userOverride);
    CHECK(shown.shippedAmount == std::optional<Micros>(42'000));
    CHECK_FALSE(isStalePrice(shown, today));
    // Only that key changed: the high-quality price is still the shipped one.
    CHECK(priceFor(book, "gpt-image-1", "high").amount == 167'000);
    CHECK_FALSE(priceFor(book, "gpt-image-1", "high").userOverride);

    // $0.042 reserved + $0.08 = $0.122 > $0.10: the new price is refused where the shipped
    // one ($0.084) would have passed.
    const Estimate edited = estimateOf(f, openAiImage(), today);
    CHECK(edited.amount == 80'000);
    CHECK(edited.usdMicros == 80'000);
    auto refused = store.enqueue(openAiImage(), spring, edited);
    REQUIRE_FALSE(refused);
    CHECK(refused.error().code == ErrorCode::LimitExceeded);
    CHECK(*Ledger(f.db()).totalReservedUsd() == 42'000);

    // Setting it again replaces the override; resetting reverts to the shipped price.
    mine.amount = 50'000;
    REQUIRE(overrides.set(mine, today + 1));
    REQUIRE(overrides.list()->size() == 1);
    CHECK(overrides.list()->front().asOf == "2026-11-26");
    CHECK(*overrides.reset(mine));
    CHECK_FALSE(*overrides.reset(mine));
    const Price& reverted = priceFor(pricesOf(f, today), "gpt-image-1", "");
    CHECK(reverted.amount == 42'000);
    CHECK_FALSE(reverted.userOverride);
    CHECK(reverted.source != "user");
    CHECK(store.enqueue(openAiImage(), spring, estimateOf(f, openAiImage(), today)));

    // A key the book lacks joins it.
    Price extra;
    extra.provider = "openai";
    extra.model = "gpt-image-2";
    REQUIRE(overrides.set(PriceOverrides::draft(pricesOf(f, today), extra), today));
    const Price& added = priceFor(pricesOf(f, today), "gpt-image-2", "");
    CHECK(added.userOverride);
    CHECK_FALSE(added.shippedAmount);
}

TEST_CASE("A price older than 90 days is stale", "[credits][prices]") {
    Price p;
    p.asOf = "2026-03-01";
    CHECK(priceAgeDays(p, SyntheticLedger::day("2026-05-30")) == 90);
    CHECK_FALSE(isStalePrice(p, SyntheticLedger::day("2026-05-30")));
    CHECK(isStalePrice(p, SyntheticLedger::day("2026-05-31")));
    p.asOf = "March";
    CHECK_FALSE(priceAgeDays(p, SyntheticLedger::day("2026-05-30")));
    CHECK(isStalePrice(p, SyntheticLedger::day("2026-05-30")));
}

TEST_CASE("Credits are estimated, reserved and shown at the account's cost per credit",
          "[credits][prices][accounts]") {
    SyntheticLedger f;
    const CalendarDay today = SyntheticLedger::day("2026-11-25");
    const std::int64_t spring = f.project("Spring");
    REQUIRE(Ledger(f.db()).setBudget("project", spring, 200'000)); // $0.20
    EnqueueOptions options;
    options.project = "Spring";
    JobStore store(*f.library);

    // Without an account, the book's list rate: 5 s x 0.4 credits x $0.14 = $0.28, refused.
    const Estimate list = estimateOf(f, klingClip(5), today);
    CHECK(list.amount == 2'000'000);
    CHECK(list.unit == "credits");
    CHECK(list.usdMicros == 280'000);
    CHECK_FALSE(store.enqueue(klingClip(5), options, list));

    // $10 a month for 100 credits plus a 25-credit check-in bonus: $0.08 a credit.
    CreditAccounts accounts(f.db());
    REQUIRE(accounts.upsert("kling", "credits", 140'000));
    REQUIRE(accounts.subscribe("kling",
                               {10'000'000, 100'000'000, 1, SyntheticLedger::day("2026-11-01")}));
    REQUIRE(accounts.grant("kling", 25'000'000, SyntheticLedger::day("2026-11-02"), "check-in"));
    const Estimate effective = estimateOf(f, klingClip(5), today);
    CHECK(effective.amount == 2'000'000);
    CHECK(effective.usdMicros == 160'000); // 2 credits x $0.08
    REQUIRE(store.enqueue(klingClip(5), options, effective));
    CHECK(*Ledger(f.db()).totalReservedUsd() == 160'000);
    // Before the bonus the credits cost $0.10 each.
    CHECK(estimateOf(f, klingClip(5), SyntheticLedger::day("2026-11-01")).usdMicros == 200'000);

    // A settled charge of 2 credits valued at $0.16, as the runner books it.
    f.job({.id = 900,
           .provider = "kling",
           .model = "kling-v2-1",
           .projectId = spring,
           .createdAt = SyntheticLedger::noon("2026-11-20")});
    f.money(SyntheticLedger::noon("2026-11-20"), 900, "charge", 2'000'000, 160'000, "credits");

    CreditReportRequest request;
    request.asOf = today;
    request.grouping = SpendGrouping::Provider;
    auto overview = buildCreditOverview(f.db(), request);
    REQUIRE(overview);
    REQUIRE(overview->balances.size() == 1);
    const auto& kling = overview->balances[0];
    CHECK(kling.balance == 123'000'000); // 100 + 25 - 2 credits
    CHECK(kling.effectiveUsdPerCredit == std::optional<Micros>(80'000));
    CHECK(kling.valueUsd == std::optional<Micros>(9'840'000)); // 123 x $0.08
    REQUIRE(overview->series.size() == 1);
    CHECK(overview->series[0].usd == 160'000);
    CHECK(overview->series[0].amount == 2'000'000);
    CHECK(overview->series[0].unit == "credits");
    // The report's JSON carries the same credits and money.
    const auto json = creditOverviewJson(*overview);
    CHECK(json["balances"][0]["value_usd"] == "9.84");
    CHECK(json["series"][0]["amount"] == "2.00");
    CHECK(json["series"][0]["unit"] == "credits");
    CHECK(json["series"][0]["usd"] == "0.16");
}

TEST_CASE("ripen-cli credits price sets, lists and resets a user's price",
          "[credits][prices][cli]") {
    SyntheticLedger f;
    const std::string root = (f.dir / "library").string();
    const auto cli = [&](std::vector<std::string> args) {
        args.insert(args.begin(), {ripenCli(), "--library", root, "credits", "price"});
        return runProcess(args);
    };
    const auto find = [](const nlohmann::json& prices, const std::string& model,
                         const std::string& quality) {
        for (const auto& p : prices) {
            if (p["provider"] == "openai" && p["model"] == model && p["quality"] == quality) {
                return p;
            }
        }
        return nlohmann::json();
    };
    auto set = cli({"set", "openai", "gpt-image-1", "--quality", "high", "--amount", "0.19"});
    REQUIRE(set.exitCode == 0);
    CHECK_THAT(set.out, Catch::Contains("0.19 USD per image") && Catch::Contains("source user"));

    auto listed = cli({"list", "--json", "--as-of", "2026-11-25"});
    REQUIRE(listed.exitCode == 0);
    const auto prices = nlohmann::json::parse(listed.out);
    const auto high = find(prices, "gpt-image-1", "high");
    CHECK(high["amount"] == "0.19");
    CHECK(high["source"] == "user");
    CHECK(high["as_of"] == formatCalendarDay(today()));
    CHECK(high["user_override"] == true);
    CHECK(high["shipped_amount"] == "0.167");
    // The shipped prices from March are more than 90 days old on 2026-11-25.
    const auto medium = find(prices, "gpt-image-1", "");
    CHECK(medium["stale"] == true);
    CHECK(medium["age_days"] == 269);
    auto text = cli({"list", "--as-of", "2026-11-25"});
    CHECK_THAT(text.out, Catch::Contains("WARNING: 269 days old"));

    CHECK(cli({"set", "openai", "gpt-image-1", "--amount", "-1"}).exitCode == 2);
    CHECK(cli({"set", "openai", "gpt-image-1", "--amount", "0.05", "--per", "frame"}).exitCode ==
          2);
    CHECK(cli({"set", "openai", "gpt-image-1"}).exitCode == 2);

    REQUIRE(cli({"reset", "openai", "gpt-image-1", "--quality", "high"}).exitCode == 0);
    const auto after = nlohmann::json::parse(cli({"list", "--json"}).out);
    CHECK(find(after, "gpt-image-1", "high")["amount"] == "0.167");
    CHECK(find(after, "gpt-image-1", "high")["user_override"] == false);
    auto again = cli({"reset", "openai", "gpt-image-1", "--quality", "high"});
    CHECK(again.exitCode == 2);
    CHECK_THAT(again.err, Catch::Contains("no price of yours"));
}

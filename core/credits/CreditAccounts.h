#pragma once

#include "catalog/internal/SqliteDatabase.h"
#include "common/Error.h"
#include "credits/CalendarDay.h"
#include "credits/DailyRollup.h"
#include "credits/Money.h"

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace ripen {

// Provider accounts with what goes into them (bonus grants, subscription allotments) and
// what comes out (the ledger's charges). An account holds USD or credits; all amounts are
// micro-units of the account's unit unless named *Usd.
//
// Subscriptions: each row runs from its start day until the next row of the same account
// starts. It pays `monthlyPriceUsd` and adds `monthlyCredits` on its start day and then on
// `renewalDay` of every later month. Credits roll over: the balance is everything received
// up to the day asked for, less every charge and adjustment (a refund is a negative one) in the
// account's unit.
//
// Effective cost per credit (USD micro-units per whole credit) up to a day:
//     subscription USD paid / (subscription credits received + bonus grants received)
// over every allotment and grant up to that day, rounded up to the next micro-unit. For
// one month with no bonus this is price / monthly credits; a 10% check-in bonus makes
// every credit 1/1.1 as dear. An account without a subscription (or whose credits add up
// to nothing) costs its list price per credit instead.
class CreditAccounts {
public:
    struct Account {
        std::int64_t id = 0;
        std::string provider;
        std::string currency = "USD"; // "USD" or "credits"
        Micros usdPerCredit = 0;      // list price of one credit; 0 for USD accounts
    };
    struct Subscription {
        Micros monthlyPriceUsd = 0;
        Micros monthlyCredits = 0;
        int renewalDay = 1;
        CalendarDay startsOn = 0;
    };
    struct Balance {
        Account account;
        Micros granted = 0;             // bonus grants received
        Micros subscriptionCredits = 0; // allotments received
        Micros subscriptionPaidUsd = 0;
        Micros charged = 0;    // settled charges in the account's unit
        Micros chargedUsd = 0; // the same charges as the ledger valued them
        Micros adjusted = 0;   // adjustments, signed as charges (refund < 0)
        Micros reserved = 0;   // held by queued and running jobs
        Micros balance = 0;    // granted + subscriptionCredits - charged - adjusted
        std::optional<Micros> effectiveUsdPerCredit{};
        // What the balance is worth: USD accounts their balance, credits accounts the
        // balance times the effective cost per credit (rounded up); nullopt without a cost.
        std::optional<Micros> valueUsd{};
        std::optional<Subscription> subscription{}; // the one running on the day asked for
        std::optional<CalendarDay> nextRenewal{};
    };

    explicit CreditAccounts(sqlite::Database& db);

    // Adds an account for `provider` or changes its currency and list price.
    Result<std::int64_t> upsert(const std::string& provider, const std::string& currency,
                                Micros usdPerCredit);
    Status grant(const std::string& provider, Micros amount, CalendarDay on,
                 const std::string& note);
    Status subscribe(const std::string& provider, const Subscription& subscription);

    Result<std::vector<Account>> accounts();
    Result<std::vector<Balance>> balances(CalendarDay asOf);
    // The same, with the ledger's money summed from `rollup` (read from this catalog).
    Result<std::vector<Balance>> balances(CalendarDay asOf, const DailyRollup& rollup);

private:
    Result<Account> account(const std::string& provider);
    Result<std::vector<std::pair<std::int64_t, Subscription>>> subscriptions();
    static void addSubscription(Balance& b, const Subscription& s, CalendarDay until,
                                CalendarDay asOf);

    sqlite::Database& m_db;
};

} // namespace ripen

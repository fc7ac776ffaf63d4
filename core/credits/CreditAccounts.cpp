#include "credits/CreditAccounts.h"

#include "common/Clock.h"

#include <map>

namespace ripen {
namespace {

// A roll-up row's money in the balance of the account it was kept in.
void addMoney(CreditAccounts::Balance& b, const DailyRollup::Row& row) {
    using Kind = DailyRollup::Kind;
    switch (row.kind) {
    case Kind::Charge:
        b.charged += row.amount;
        b.chargedUsd += row.usd;
        break;
    case Kind::Reserve:
        b.reserved += row.amount;
        break;
    case Kind::Release:
        b.reserved -= row.amount;
        break;
    case Kind::Grant:
        b.granted += row.amount;
        break;
    case Kind::Adjust:
        b.adjusted += row.amount;
        break;
    case Kind::Other:
        break;
    }
}

} // namespace

CreditAccounts::CreditAccounts(sqlite::Database& db) : m_db(db) {}

Result<std::int64_t> CreditAccounts::upsert(const std::string& provider,
                                            const std::string& currency, Micros usdPerCredit) {
    if (currency != "USD" && currency != "credits") {
        return fail(ErrorCode::InvalidArgument,
                    "an account holds USD or credits, not '" + currency + "'");
    }
    if (currency == "credits" ? usdPerCredit < 0 : usdPerCredit != 0) {
        return fail(ErrorCode::InvalidArgument,
                    "a price per credit belongs to a credits account and cannot be negative");
    }
    auto stmt = m_db.prepare(R"sql(
        INSERT INTO accounts(provider, currency, usd_micros_per_credit, created_at)
        VALUES (?, ?, ?, ?) ON CONFLICT(provider) DO UPDATE
        SET currency = excluded.currency, usd_micros_per_credit = excluded.usd_micros_per_credit
        RETURNING id)sql");
    if (!stmt) {
        return std::unexpected(stmt.error());
    }
    stmt->bind(1, provider).bind(2, currency).bind(3, usdPerCredit).bind(4, unixMillis());
    auto row = stmt->step();
    if (!row) {
        return std::unexpected(row.error());
    }
    return stmt->int64(0);
}

Result<CreditAccounts::Account> CreditAccounts::account(const std::string& provider) {
    auto list = accounts();
    if (!list) {
        return std::unexpected(list.error());
    }
    for (auto& a : *list) {
        if (a.provider == provider) {
            return a;
        }
    }
    return fail(ErrorCode::NotFound, "there is no account for provider '" + provider +
                                         "'; add it with ripen-cli credits account add " +
                                         provider);
}

Status CreditAccounts::grant(const std::string& provider, Micros amount, CalendarDay on,
                             const std::string& note) {
    auto target = account(provider);
    if (!target) {
        return std::unexpected(target.error());
    }
    if (amount == 0) {
        return fail(ErrorCode::InvalidArgument, "a grant of zero changes nothing");
    }
    auto stmt = m_db.prepare("INSERT INTO grants(account_id, granted_on, amount_micros, note, "
                             "created_at) VALUES (?, ?, ?, ?, ?)");
    if (!stmt) {
        return std::unexpected(stmt.error());
    }
    stmt->bind(1, target->id).bind(2, formatCalendarDay(on)).bind(3, amount).bind(4, note);
    return stmt->bind(5, unixMillis()).run();
}

Status CreditAccounts::subscribe(const std::string& provider, const Subscription& s) {
    auto target = account(provider);
    if (!target) {
        return std::unexpected(target.error());
    }
    if (s.monthlyPriceUsd < 0 || s.monthlyCredits < 0 || s.renewalDay < 1 || s.renewalDay > 28) {
        return fail(ErrorCode::InvalidArgument, "a subscription needs a price and credits of zero "
                                                "or more and a renewal day from 1 to 28");
    }
    auto stmt = m_db.prepare(R"sql(
        INSERT INTO subscriptions(account_id, monthly_price_usd_micros, monthly_credit_micros,
                                  renewal_day, starts_on, created_at)
        VALUES (?, ?, ?, ?, ?, ?))sql");
    if (!stmt) {
        return std::unexpected(stmt.error());
    }
    stmt->bind(1, target->id).bind(2, s.monthlyPriceUsd).bind(3, s.monthlyCredits);
    stmt->bind(4, s.renewalDay).bind(5, formatCalendarDay(s.startsOn)).bind(6, unixMillis());
    return stmt->run();
}

Result<std::vector<CreditAccounts::Account>> CreditAccounts::accounts() {
    auto stmt = m_db.prepare(
        "SELECT id, provider, currency, usd_micros_per_credit FROM accounts ORDER BY provider");
    if (!stmt) {
        return std::unexpected(stmt.error());
    }
    return stmt->collect<Account>([](const sqlite::Statement& s) {
        return Account{s.int64(0), s.text(1), s.text(2), s.int64(3)};
    });
}

Result<std::vector<std::pair<std::int64_t, CreditAccounts::Subscription>>>
CreditAccounts::subscriptions() {
    auto stmt = m_db.prepare("SELECT account_id, monthly_price_usd_micros, monthly_credit_micros, "
                             "renewal_day, starts_on FROM subscriptions "
                             "ORDER BY account_id, starts_on, id");
    if (!stmt) {
        return std::unexpected(stmt.error());
    }
    return stmt->collect<std::pair<std::int64_t, Subscription>>([](const sqlite::Statement& s) {
        return std::pair{s.int64(0),
                         Subscription{s.int64(1), s.int64(2), static_cast<int>(s.int64(3)),
                                      parseCalendarDay(s.text(4)).value_or(0)}};
    });
}

// Allotments of `s` on its start day and on each renewal day after it, before `until`
// (the next subscription's start) and no later than `asOf`.
void CreditAccounts::addSubscription(Balance& b, const Subscription& s, CalendarDay until,
                                     CalendarDay asOf) {
    const bool free = s.monthlyPriceUsd == 0 && s.monthlyCredits == 0;
    CalendarDay due = s.startsOn;
    for (int month = 0; due < until; ++month) {
        if (due > asOf) {
            if (!free && !b.nextRenewal) { // plans come in start order: the first is next
                b.nextRenewal = due;
            }
            return;
        }
        b.subscriptionPaidUsd += s.monthlyPriceUsd;
        b.subscriptionCredits += s.monthlyCredits;
        b.subscription = s;
        due = dayInMonth(s.startsOn, month, s.renewalDay);
        if (due <= s.startsOn) {
            due = dayInMonth(s.startsOn, ++month, s.renewalDay);
        }
    }
}

Result<std::vector<CreditAccounts::Balance>> CreditAccounts::balances(CalendarDay asOf) {
    auto rollup = DailyRollup::read(m_db);
    if (!rollup) {
        return std::unexpected(rollup.error());
    }
    return balances(asOf, *rollup);
}

Result<std::vector<CreditAccounts::Balance>> CreditAccounts::balances(CalendarDay asOf,
                                                                      const DailyRollup& rollup) {
    auto list = accounts();
    auto subs = subscriptions();
    if (!list || !subs) {
        return std::unexpected(!list ? list.error() : subs.error());
    }
    std::vector<Balance> result;
    std::map<std::int64_t, std::size_t> byId;
    std::map<std::pair<std::string, bool>, std::size_t> byProviderUnit;
    for (auto& a : *list) {
        byId[a.id] = result.size();
        byProviderUnit[{a.provider, a.currency == "USD"}] = result.size();
        result.push_back(Balance{.account = a});
    }
    auto grants = m_db.prepare("SELECT account_id, sum(amount_micros) FROM grants "
                               "WHERE granted_on <= ? GROUP BY 1");
    if (!grants) {
        return std::unexpected(grants.error());
    }
    // The account each (provider, unit) of the roll-up is kept in, found once per pair.
    std::map<std::pair<DailyRollup::TextId, DailyRollup::TextId>, Balance*> accountOf;
    for (const auto& row : rollup.rows()) {
        if (row.day > asOf) {
            continue;
        }
        auto [at, added] = accountOf.try_emplace({row.provider, row.unit}, nullptr);
        if (added) {
            const auto it =
                byProviderUnit.find({rollup.text(row.provider), rollup.text(row.unit) == "USD"});
            at->second = it == byProviderUnit.end() ? nullptr : &result[it->second];
        }
        if (at->second != nullptr) {
            addMoney(*at->second, row);
        }
    }
    grants->bind(1, formatCalendarDay(asOf));
    while (true) {
        auto row = grants->step();
        if (!row) {
            return std::unexpected(row.error());
        }
        if (!*row) {
            break;
        }
        if (const auto it = byId.find(grants->int64(0)); it != byId.end()) {
            result[it->second].granted += grants->int64(1);
        }
    }
    for (std::size_t i = 0; i < subs->size(); ++i) {
        const auto& [accountId, s] = (*subs)[i];
        const bool lastOfAccount = i + 1 == subs->size() || (*subs)[i + 1].first != accountId;
        const CalendarDay until = lastOfAccount ? asOf + 1 + 31 : (*subs)[i + 1].second.startsOn;
        if (const auto it = byId.find(accountId); it != byId.end()) {
            addSubscription(result[it->second], s, until, asOf);
        }
    }
    for (auto& b : result) {
        b.balance = b.granted + b.subscriptionCredits - b.charged - b.adjusted;
        const Micros received = b.granted + b.subscriptionCredits;
        if (b.subscriptionPaidUsd > 0 && received > 0) {
            b.effectiveUsdPerCredit = mulDivCeil(b.subscriptionPaidUsd, kMicrosPerUnit, received);
        } else if (b.account.usdPerCredit > 0) {
            b.effectiveUsdPerCredit = b.account.usdPerCredit;
        }
        if (b.account.currency == "USD") {
            b.valueUsd = b.balance;
        } else if (b.effectiveUsdPerCredit) {
            b.valueUsd = mulDivCeil(b.balance, *b.effectiveUsdPerCredit, kMicrosPerUnit);
        }
    }
    return result;
}

} // namespace ripen

#include "CreditsSubcommands.h"
#include "LibraryAccess.h"
#include "catalog/internal/SqliteDatabase.h"
#include "credits/CreditAccounts.h"

#include <iostream>

namespace ripen::cli {
namespace {

constexpr const char* kWho = "ripen-cli credits account";

// A required or optional option read as micro-units; nullopt (with the message printed)
// when it is missing but required, or malformed.
std::optional<std::optional<Micros>> amountOption(const ArgParser& args, const char* name,
                                                  bool required) {
    const auto text = args.value(name);
    if (!text) {
        if (required) {
            std::cerr << kWho << ": --" << name << " is required\n";
            return std::nullopt;
        }
        return std::optional<Micros>{};
    }
    auto amount = parseMicros(*text, std::string("--") + name);
    if (!amount) {
        std::cerr << kWho << ": " << amount.error().message << "\n";
        return std::nullopt;
    }
    return std::optional<Micros>(*amount);
}

std::optional<CalendarDay> dayOption(const ArgParser& args, const char* name) {
    const auto text = args.value(name);
    if (!text) {
        return today();
    }
    auto day = parseCalendarDay(*text, std::string("--") + name);
    if (!day) {
        std::cerr << kWho << ": " << day.error().message << "\n";
        return std::nullopt;
    }
    return *day;
}

std::string unitName(const std::string& currency) {
    return currency == "USD" ? "USD" : "credits";
}

int printBalances(CreditAccounts& accounts, CalendarDay asOf) {
    auto balances = accounts.balances(asOf);
    if (!balances) {
        std::cerr << kWho << " list: " << balances.error().message << "\n";
        return kExitFailure;
    }
    if (balances->empty()) {
        std::cout << "No accounts yet; add one with ripen-cli credits account add PROVIDER "
                     "--currency USD|credits\n";
    }
    for (const auto& b : *balances) {
        const std::string unit = unitName(b.account.currency);
        std::cout << b.account.provider << "  " << formatMicros(b.balance) << " " << unit
                  << "  (in: " << formatMicros(b.subscriptionCredits) << " subscription + "
                  << formatMicros(b.granted) << " grants; out: " << formatMicros(b.charged)
                  << " charged; " << formatMicros(b.reserved) << " reserved)";
        if (b.effectiveUsdPerCredit && unit != "USD") {
            std::cout << "  $" << formatMicros(*b.effectiveUsdPerCredit) << " per credit";
        }
        if (b.subscription && b.nextRenewal) {
            std::cout << "  renews " << formatCalendarDay(*b.nextRenewal) << " with "
                      << formatMicros(b.subscription->monthlyCredits) << " " << unit << " for $"
                      << formatMicros(b.subscription->monthlyPriceUsd);
        }
        std::cout << "\n";
    }
    return kExitOk;
}

int addAccount(CreditAccounts& accounts, const std::string& provider, const ArgParser& args) {
    const auto currency = args.value("currency");
    if (!currency) {
        std::cerr << kWho << " add: --currency USD|credits is required\n";
        return kExitUsage;
    }
    const auto rate = amountOption(args, "usd-per-credit", false);
    if (!rate) {
        return kExitUsage;
    }
    if (auto added = accounts.upsert(provider, *currency, rate->value_or(0)); !added) {
        std::cerr << kWho << " add: " << added.error().message << "\n";
        return kExitUsage;
    }
    std::cout << "account " << provider << " in " << *currency
              << (rate->has_value() ? " at $" + formatMicros(**rate) + " per credit" : "") << "\n";
    return kExitOk;
}

int grantCredits(CreditAccounts& accounts, const std::string& provider, const ArgParser& args) {
    const auto amount = amountOption(args, "amount", true);
    const auto on = dayOption(args, "date");
    if (!amount || !on) {
        return kExitUsage;
    }
    if (auto granted = accounts.grant(provider, **amount, *on, args.value("note").value_or(""));
        !granted) {
        std::cerr << kWho << " grant: " << granted.error().message << "\n";
        return granted.error().code == ErrorCode::NotFound ? kExitUsage : kExitFailure;
    }
    std::cout << "granted " << formatMicros(**amount) << " to " << provider << " on "
              << formatCalendarDay(*on) << "\n";
    return kExitOk;
}

int subscribe(CreditAccounts& accounts, const std::string& provider, const ArgParser& args) {
    const auto price = amountOption(args, "price", true);
    const auto credits = amountOption(args, "credits", true);
    const auto start = dayOption(args, "start");
    const auto day = args.value("renewal-day");
    if (!price || !credits || !start) {
        return kExitUsage;
    }
    int renewalDay = 0;
    try {
        renewalDay = day ? std::stoi(*day) : 0;
    } catch (const std::exception&) {
    }
    if (renewalDay < 1 || renewalDay > 28) {
        std::cerr << kWho << " subscribe: --renewal-day must be a day of the month from 1 to 28\n";
        return kExitUsage;
    }
    CreditAccounts::Subscription s{**price, **credits, renewalDay, *start};
    if (auto done = accounts.subscribe(provider, s); !done) {
        std::cerr << kWho << " subscribe: " << done.error().message << "\n";
        return kExitUsage;
    }
    std::cout << "subscription " << provider << " $" << formatMicros(s.monthlyPriceUsd)
              << " a month for " << formatMicros(s.monthlyCredits) << " from "
              << formatCalendarDay(s.startsOn) << ", renewing on day " << renewalDay << "\n";
    return kExitOk;
}

} // namespace

void declareCreditsAccountOptions(ArgParser& p) {
    p.addOption("currency", true, "UNIT", "account add: USD or credits");
    p.addOption("usd-per-credit", true, "AMOUNT", "account add: list price of one credit in USD");
    p.addOption("amount", true, "AMOUNT", "account grant: credits (or USD) granted");
    p.addOption("date", true, "DATE", "account grant: the day of the grant (default today)");
    p.addOption("note", true, "TEXT", "account grant: e.g. 'daily check-in'");
    p.addOption("price", true, "USD", "account subscribe: monthly price");
    p.addOption("credits", true, "AMOUNT", "account subscribe: monthly credits");
    p.addOption("renewal-day", true, "N", "account subscribe: day of the month it renews (1-28)");
    p.addOption("start", true, "DATE", "account subscribe: first day (default today)");
}

int runCreditsAccount(const CommandContext& context, const ArgParser& args) {
    const auto& words = args.positionals();
    const std::string action = words.size() > 1 ? words[1] : "";
    const bool list = action == "list" && words.size() == 2;
    if (!list &&
        (words.size() != 3 || (action != "add" && action != "grant" && action != "subscribe"))) {
        std::cerr << kWho
                  << ": expected 'add PROVIDER', 'grant PROVIDER', 'subscribe PROVIDER' "
                     "or 'list'; see ripen-cli credits --help\n";
        return kExitUsage;
    }
    std::optional<CalendarDay> asOf = today();
    if (list && args.value("as-of")) {
        asOf = dayOption(args, "as-of");
    }
    if (!asOf) {
        return kExitUsage;
    }
    auto library = openLibraryOrReport(context.library);
    if (!library) {
        return kExitFailure;
    }
    auto& db = library->catalog().database();
    CreditAccounts accounts(db);
    if (list) {
        return printBalances(accounts, *asOf);
    }
    auto tx = sqlite::Transaction::begin(db);
    if (!tx) {
        std::cerr << kWho << ": " << tx.error().message << "\n";
        return kExitFailure;
    }
    const std::string& provider = words[2];
    const int rc = action == "add"     ? addAccount(accounts, provider, args)
                   : action == "grant" ? grantCredits(accounts, provider, args)
                                       : subscribe(accounts, provider, args);
    if (rc == kExitOk) {
        if (auto committed = tx->commit(); !committed) {
            std::cerr << kWho << ": " << committed.error().message << "\n";
            return kExitFailure;
        }
    }
    return rc;
}

} // namespace ripen::cli

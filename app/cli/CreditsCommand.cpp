#include "CliServices.h"
#include "Command.h"
#include "CreditsSubcommands.h"

#include "credits/Ledger.h"

#include <iostream>

namespace ripen::cli {
namespace {

nlohmann::json spendJson(Ledger& ledger, const std::string& dimension) {
    nlohmann::json lines = nlohmann::json::array();
    if (auto spend = ledger.spendBy(dimension)) {
        for (const auto& line : *spend) {
            lines.push_back({{"key", line.key}, {"usd", formatMicros(line.usd)},
                             {"usd_micros", line.usd}, {"amount", formatMicros(line.amount)},
                             {"unit", line.unit}, {"jobs", line.jobs}});
        }
    }
    return lines;
}

nlohmann::json creditsJson(CliServices& services) {
    Ledger ledger(services.library->catalog().database());
    nlohmann::json accounts = nlohmann::json::array();
    for (const Provider* provider : services.registry.all()) {
        std::string unit = "USD";
        Micros usdPerUnit = kMicrosPerUnit;
        for (const auto& rate : services.priceBook.creditRates()) {
            if (rate.provider == provider->id()) {
                unit = rate.unit;
                usdPerUnit = rate.usdPerUnit;
            }
        }
        accounts.push_back({{"provider", provider->id()}, {"unit", unit},
                            {"usd_per_unit", formatMicros(usdPerUnit)},
                            {"configured", provider->missingConfiguration(services.credentials).empty()}});
    }
    nlohmann::json budgets = nlohmann::json::array();
    if (auto list = ledger.budgets()) {
        for (const auto& b : *list) {
            budgets.push_back({{"scope", b.scope}, {"name", b.name}, {"limit_usd", formatMicros(b.limitUsd)},
                               {"spent_usd", formatMicros(b.spentUsd)},
                               {"reserved_usd", formatMicros(b.reservedUsd)},
                               {"soft_alert", b.limitUsd > 0 && (b.spentUsd + b.reservedUsd) * 100 >=
                                                                    b.limitUsd * b.softPercent}});
        }
    }
    return {{"accounts", accounts},
            {"charged_usd", formatMicros(ledger.totalChargedUsd().value_or(0))},
            {"charged_usd_micros", ledger.totalChargedUsd().value_or(0)},
            {"reserved_usd", formatMicros(ledger.totalReservedUsd().value_or(0))},
            {"reserved_usd_micros", ledger.totalReservedUsd().value_or(0)},
            {"by_provider", spendJson(ledger, "provider")},
            {"by_model", spendJson(ledger, "model")},
            {"by_project", spendJson(ledger, "project")},
            {"by_client", spendJson(ledger, "client")},
            {"budgets", budgets}};
}

void printCredits(const nlohmann::json& c) {
    std::cout << "Spent:    $" << c["charged_usd"].get<std::string>() << "\n"
              << "Reserved: $" << c["reserved_usd"].get<std::string>() << " (queued and running jobs)\n";
    for (const char* section : {"by_provider", "by_model", "by_project", "by_client"}) {
        if (c[section].empty()) {
            continue;
        }
        std::cout << "\nSpend " << std::string(section).substr(3) << ":\n";
        for (const auto& line : c[section]) {
            std::cout << "  " << line["key"].get<std::string>() << "  $" << line["usd"].get<std::string>()
                      << "  (" << line["amount"].get<std::string>() << " " << line["unit"].get<std::string>()
                      << ", " << line["jobs"] << " jobs)\n";
        }
    }
    if (!c["budgets"].empty()) {
        std::cout << "\nBudgets:\n";
        for (const auto& b : c["budgets"]) {
            std::cout << "  " << b["scope"].get<std::string>() << " " << b["name"].get<std::string>()
                      << ": $" << b["spent_usd"].get<std::string>() << " spent + $"
                      << b["reserved_usd"].get<std::string>() << " reserved of $"
                      << b["limit_usd"].get<std::string>()
                      << (b["soft_alert"].get<bool>() ? "  (over 80%)" : "") << "\n";
        }
    }
    std::cout << "\nAccounts:\n";
    for (const auto& a : c["accounts"]) {
        std::cout << "  " << a["provider"].get<std::string>() << "  " << a["unit"].get<std::string>()
                  << (a["unit"] == "USD" ? "" : " at $" + a["usd_per_unit"].get<std::string>() + " each")
                  << (a["configured"].get<bool>() ? "" : "  (no key configured)") << "\n";
    }
}

int runCredits(const CommandContext& context, const ArgParser& args) {
    const auto& words = args.positionals();
    if (!words.empty() && words[0] == "report" && words.size() == 1) {
        return runCreditsReport(context, args);
    }
    if (!words.empty() && words[0] == "account") {
        return runCreditsAccount(context, args);
    }
    if (!words.empty() && words[0] == "price") {
        return runCreditsPrice(context, args);
    }
    if (!words.empty()) {
        std::cerr << "ripen-cli credits: unknown subcommand '" << words[0]
                  << "'; expected report, account or price (see ripen-cli credits --help)\n";
        return kExitUsage;
    }
    auto services = CliServices::open(context.library);
    if (!services) {
        return kExitFailure;
    }
    const nlohmann::json credits = creditsJson(*services);
    if (args.has("json")) {
        std::cout << credits.dump() << "\n";
    } else {
        printCredits(credits);
    }
    return kExitOk;
}

} // namespace

Command creditsCommand() {
    return {"credits",
            "credits [--json] | credits report [OPTIONS] | credits account|price ACTION ...",
            "Shows what was spent (settled charges) and what is reserved by queued and\n"
            "running jobs, by provider, model, project and client, the budgets with their\n"
            "use, and the provider accounts with their credit rates. Amounts are exact\n"
            "decimals; USD unless the account is priced in credits." +
                std::string(kCreditsSubcommandHelp),
            [](ArgParser& p) {
                p.addOption("json", false, "", "one JSON object");
                declareCreditsReportOptions(p);
                declareCreditsAccountOptions(p);
                declareCreditsPriceOptions(p);
            },
            runCredits};
}

} // namespace ripen::cli

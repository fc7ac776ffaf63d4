#include "CliServices.h"
#include "CreditsSubcommands.h"
#include "credits/PriceOverrides.h"

#include <iostream>
#include <nlohmann/json.hpp>

namespace ripen::cli {
namespace {

constexpr const char* kWho = "ripen-cli credits price";

// The price key the command names: PROVIDER MODEL and the qualifier options.
Price keyFrom(const std::vector<std::string>& words, const ArgParser& args) {
    Price key;
    key.provider = words[2];
    key.model = words[3];
    key.imageSize = args.value("image-size").value_or("");
    key.quality = args.value("quality").value_or("");
    key.mode = args.value("mode").value_or("");
    return key;
}

std::string keyText(const Price& p) {
    std::string text = p.provider + " " + p.model;
    for (const auto* qualifier : {&p.imageSize, &p.quality, &p.mode}) {
        text += qualifier->empty() ? "" : " " + *qualifier;
    }
    return text;
}

nlohmann::json priceJson(const Price& p, CalendarDay asOf) {
    const auto age = priceAgeDays(p, asOf);
    return {{"provider", p.provider},
            {"model", p.model},
            {"image_size", p.imageSize},
            {"quality", p.quality},
            {"mode", p.mode},
            {"per", toString(p.per)},
            {"amount", formatMicros(p.amount)},
            {"amount_micros", p.amount},
            {"unit", p.unit},
            {"source", p.source},
            {"as_of", p.asOf},
            {"age_days", age ? nlohmann::json(*age) : nlohmann::json(nullptr)},
            {"stale", isStalePrice(p, asOf)},
            {"user_override", p.userOverride},
            {"shipped_amount",
             p.shippedAmount ? nlohmann::json(formatMicros(*p.shippedAmount)) : nlohmann::json()}};
}

void printPrice(const Price& p, CalendarDay asOf) {
    std::cout << keyText(p) << "  " << formatMicros(p.amount) << " " << p.unit << " per "
              << toString(p.per) << "  as of " << p.asOf << "  " << p.source;
    if (p.userOverride) {
        std::cout << (p.shippedAmount ? " (shipped: " + formatMicros(*p.shippedAmount) + ")"
                                      : std::string(" (not in the shipped book)"));
    }
    if (isStalePrice(p, asOf)) {
        const auto age = priceAgeDays(p, asOf);
        std::cout << "  WARNING: "
                  << (age ? std::to_string(*age) + " days old, check it"
                          : std::string("no valid date"));
    }
    std::cout << "\n";
}

int listPrices(const PriceBook& book, const ArgParser& args) {
    CalendarDay asOf = today();
    if (const auto text = args.value("as-of")) {
        auto day = parseCalendarDay(*text, "--as-of");
        if (!day) {
            std::cerr << kWho << " list: " << day.error().message << "\n";
            return kExitUsage;
        }
        asOf = *day;
    }
    if (args.has("json")) {
        nlohmann::json prices = nlohmann::json::array();
        for (const auto& p : book.prices()) {
            prices.push_back(priceJson(p, asOf));
        }
        std::cout << prices.dump() << "\n";
        return kExitOk;
    }
    for (const auto& p : book.prices()) {
        printPrice(p, asOf);
    }
    return kExitOk;
}

int setPrice(CliServices& services, const Price& key, const ArgParser& args) {
    const auto amountText = args.value("amount");
    if (!amountText) {
        std::cerr << kWho << " set: --amount is required\n";
        return kExitUsage;
    }
    auto amount = parseMicros(*amountText, "--amount");
    if (!amount) {
        std::cerr << kWho << " set: " << amount.error().message << "\n";
        return kExitUsage;
    }
    Price price = PriceOverrides::draft(services.priceBook, key);
    price.amount = *amount;
    if (const auto per = args.value("per")) {
        auto parsed = pricePerFromString(*per, "--per");
        if (!parsed) {
            std::cerr << kWho << " set: " << parsed.error().message << "\n";
            return kExitUsage;
        }
        price.per = *parsed;
    }
    price.unit = args.value("unit").value_or(price.unit);
    auto stored = PriceOverrides(services.library->catalog().database()).set(price, today());
    if (!stored) {
        std::cerr << kWho << " set: " << stored.error().message << "\n";
        return stored.error().code == ErrorCode::InvalidArgument ? kExitUsage : kExitFailure;
    }
    std::cout << "price " << keyText(*stored) << " " << formatMicros(stored->amount) << " "
              << stored->unit << " per " << toString(stored->per) << " from " << stored->asOf
              << " (source user)\n";
    return kExitOk;
}

int resetPrice(CliServices& services, const Price& key) {
    auto removed = PriceOverrides(services.library->catalog().database()).reset(key);
    if (!removed) {
        std::cerr << kWho << " reset: " << removed.error().message << "\n";
        return kExitFailure;
    }
    if (!*removed) {
        std::cerr << kWho << " reset: there is no price of yours for " << keyText(key)
                  << " (see ripen-cli credits price list)\n";
        return kExitUsage;
    }
    std::cout << "price " << keyText(key) << " is the price book's again\n";
    return kExitOk;
}

} // namespace

void declareCreditsPriceOptions(ArgParser& p) {
    p.addOption("per", true, "UNIT", "price set: image, second or call (default: the book's)");
    p.addOption("unit", true, "UNIT", "price set: USD or credits (default: the book's)");
    p.addOption("image-size", true, "SIZE", "price set|reset: the price's image size, e.g. 4K");
    p.addOption("quality", true, "QUALITY", "price set|reset: the price's quality, e.g. high");
    p.addOption("mode", true, "MODE", "price set|reset: the price's mode, e.g. pro");
}

int runCreditsPrice(const CommandContext& context, const ArgParser& args) {
    const auto& words = args.positionals();
    const std::string action = words.size() > 1 ? words[1] : "";
    const bool list = action == "list" && words.size() == 2;
    if (!list && (words.size() != 4 || (action != "set" && action != "reset"))) {
        std::cerr << kWho
                  << ": expected 'list', 'set PROVIDER MODEL --amount AMOUNT' or "
                     "'reset PROVIDER MODEL'; see ripen-cli credits --help\n";
        return kExitUsage;
    }
    auto services = CliServices::open(context.library);
    if (!services) {
        return kExitFailure;
    }
    if (list) {
        return listPrices(services->priceBook, args);
    }
    const Price key = keyFrom(words, args);
    return action == "set" ? setPrice(*services, key, args) : resetPrice(*services, key);
}

} // namespace ripen::cli

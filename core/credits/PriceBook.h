#pragma once

#include "common/Error.h"
#include "credits/CalendarDay.h"
#include "credits/Money.h"
#include "providers/GenerationRequest.h"
#include "providers/ProviderTypes.h"

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace ripen {

// One price from resources/pricebook.json: what a provider charges for a model, with the
// page it was read from and when. Qualifiers (imageSize, quality, mode) narrow a price to
// the requests that match them; the most specific matching price wins.
struct Price {
    std::string provider;
    std::string model; // "*" matches every model of the provider
    std::string imageSize;
    std::string quality;
    std::string mode;
    enum class Per { Image, Second, Call } per = Per::Image;
    Micros amount = 0; // micro-units of `unit` per image, second or call
    std::string unit = "USD";
    // When the provider reports usage, settle as tokens x this price per million tokens,
    // reading the token count from `usageField` (e.g. "candidatesTokenCount").
    std::string usageField;
    std::optional<Micros> perMillionTokens;
    std::string source; // URL or document the price was read from
    std::string asOf;   // YYYY-MM-DD
    // A user's own price laid over the book (PriceOverrides): source "user", dated the day
    // it was set. `shippedAmount` is the book's price it replaced, if the book had one.
    bool userOverride = false;
    std::optional<Micros> shippedAmount{};
};

// Two prices with the same key (provider, model, size, quality, mode) price the same
// requests: an override replaces the book's price with its key.
bool samePriceKey(const Price& a, const Price& b);

// "image", "second" or "call", as pricebook.json writes it.
std::string toString(Price::Per per);
// The reverse; an error naming `where` for anything else.
Result<Price::Per> pricePerFromString(const std::string& text, const std::string& where);

// Prices move often; one older than this many days is shown with a warning.
inline constexpr int kStalePriceDays = 90;
// How many days before `asOf` the price was read; nullopt when its date is not a valid
// YYYY-MM-DD.
std::optional<std::int64_t> priceAgeDays(const Price& price, CalendarDay asOf);
bool isStalePrice(const Price& price, CalendarDay asOf);

// A provider account priced in credits: what one credit costs in USD, so budgets (in USD)
// can hold credit spend.
struct CreditRate {
    std::string provider;
    std::string unit = "credits";
    Micros usdPerUnit = 0;
};

struct Estimate {
    Micros amount = 0;       // in `unit`
    std::string unit = "USD";
    Micros usdMicros = 0;    // the same amount in USD micro-units (for budgets)
    const Price* price = nullptr;
};

class PriceBook {
public:
    // Parses a pricebook.json; errors name the entry and field at fault.
    static Result<PriceBook> load(const std::filesystem::path& file);
    static Result<PriceBook> parse(const std::string& text, const std::string& nameForErrors);

    // The price that applies to `request`, or an error naming what is missing.
    Result<const Price*> find(const GenerationRequest& request) const;
    Result<Estimate> estimate(const GenerationRequest& request) const;
    // The final charge: what the provider reported, else its usage times the token price,
    // else the estimate.
    Result<Estimate> settle(const GenerationRequest& request, const ProviderUsage& usage) const;
    Micros toUsd(Micros amount, const std::string& unit, const std::string& provider) const;

    // Lays a user's price over the book: it replaces the price with its key (remembering
    // the shipped amount) or, for a key the book lacks, joins it.
    void applyOverride(Price price);
    // Values `rate.unit` of `rate.provider` at `rate.usdPerUnit` from now on, replacing the
    // book's list rate (an account's effective cost per credit wins over the list price).
    void setCreditRate(const CreditRate& rate);

    const std::vector<Price>& prices() const { return m_prices; }
    const std::vector<CreditRate>& creditRates() const { return m_rates; }

private:
    std::vector<Price> m_prices;
    std::vector<CreditRate> m_rates;
};

} // namespace ripen

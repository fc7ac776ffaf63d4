#include "credits/PriceBook.h"

#include "common/BoundedJson.h"
#include "common/FileIo.h"
#include "providers/UpscaleOptions.h"

namespace ripen {
namespace {

Result<std::string> stringField(const nlohmann::json& entry, const char* key, bool required,
                                const std::string& where) {
    const auto it = entry.find(key);
    if (it == entry.end() || it->is_null()) {
        if (required) {
            return fail(ErrorCode::InvalidArgument, where + ": \"" + key + "\" is missing");
        }
        return std::string();
    }
    if (!it->is_string()) {
        return fail(ErrorCode::InvalidArgument, where + ": \"" + key + "\" must be a string");
    }
    return it->get<std::string>();
}

Result<Price> priceFrom(const nlohmann::json& entry, const std::string& where) {
    if (!entry.is_object()) {
        return fail(ErrorCode::InvalidArgument, where + " must be an object");
    }
    Price p;
    std::string per;
    std::string amount;
    std::string perMillion;
    for (auto [field, key, required] :
         {std::tuple{&p.provider, "provider", true}, {&p.model, "model", true},
          {&p.imageSize, "image_size", false}, {&p.quality, "quality", false},
          {&p.mode, "mode", false}, {&per, "per", true}, {&amount, "amount", true},
          {&p.unit, "unit", false}, {&p.usageField, "usage_field", false},
          {&perMillion, "usage_per_million", false}, {&p.source, "source", true},
          {&p.asOf, "as_of", true}}) {
        auto value = stringField(entry, key, required, where);
        if (!value) {
            return std::unexpected(value.error());
        }
        if (!value->empty() || required) {
            *field = *value;
        }
    }
    auto perValue = pricePerFromString(per, where);
    auto amountValue = parseMicros(amount, where + " amount");
    if (!perValue || !amountValue) {
        return std::unexpected(!perValue ? perValue.error() : amountValue.error());
    }
    p.per = *perValue;
    p.amount = *amountValue;
    if (!perMillion.empty()) {
        auto million = parseMicros(perMillion, where + " usage_per_million");
        if (!million) {
            return std::unexpected(million.error());
        }
        p.perMillionTokens = *million;
    }
    return p;
}

int specificity(const Price& p) {
    return (p.model != "*") * 8 + !p.imageSize.empty() * 4 + !p.quality.empty() * 2 +
           !p.mode.empty();
}

bool qualifierMatches(const std::string& wanted, const std::string& actual) {
    return wanted.empty() || wanted == actual;
}

std::string optionString(const GenerationRequest& request, const char* key) {
    const auto it = request.options.find(key);
    return it != request.options.end() && it->is_string() ? it->get<std::string>() : std::string();
}

std::int64_t quantity(const Price& price, const GenerationRequest& request) {
    switch (price.per) {
    case Price::Per::Second: return std::max(1, request.durationSeconds);
    case Price::Per::Call: return requestsSentBy(request);
    case Price::Per::Image: break;
    }
    const auto n = request.options.find("n");
    const std::int64_t images =
        n != request.options.end() && n->is_number_integer() ? std::max<std::int64_t>(1, *n) : 1;
    return images * requestsSentBy(request);
}

// Finds a token count anywhere in a usage object (providers nest it differently).
std::optional<std::int64_t> findCount(const nlohmann::json& json, const std::string& key, int depth = 0) {
    if (depth > 4 || !json.is_object()) {
        return std::nullopt;
    }
    if (auto it = json.find(key); it != json.end() && it->is_number_integer()) {
        return it->get<std::int64_t>();
    }
    for (const auto& [name, value] : json.items()) {
        if (auto found = findCount(value, key, depth + 1)) {
            return found;
        }
    }
    return std::nullopt;
}

} // namespace

std::string toString(Price::Per per) {
    switch (per) {
    case Price::Per::Second:
        return "second";
    case Price::Per::Call:
        return "call";
    case Price::Per::Image:
        break;
    }
    return "image";
}

Result<Price::Per> pricePerFromString(const std::string& text, const std::string& where) {
    if (text == "image") {
        return Price::Per::Image;
    }
    if (text == "second") {
        return Price::Per::Second;
    }
    if (text == "call") {
        return Price::Per::Call;
    }
    return fail(ErrorCode::InvalidArgument,
                where + ": \"per\" must be image, second or call, not \"" + text + "\"");
}

bool samePriceKey(const Price& a, const Price& b) {
    return a.provider == b.provider && a.model == b.model && a.imageSize == b.imageSize &&
           a.quality == b.quality && a.mode == b.mode;
}

std::optional<std::int64_t> priceAgeDays(const Price& price, CalendarDay asOf) {
    const auto day = parseCalendarDay(price.asOf);
    return day ? std::optional<std::int64_t>(asOf - *day) : std::nullopt;
}

bool isStalePrice(const Price& price, CalendarDay asOf) {
    const auto age = priceAgeDays(price, asOf);
    return !age || *age > kStalePriceDays;
}

Result<PriceBook> PriceBook::load(const std::filesystem::path& file) {
    auto text = readFileBounded(file, 4 << 20);
    if (!text) {
        return std::unexpected(text.error());
    }
    return parse(*text, file.string());
}

Result<PriceBook> PriceBook::parse(const std::string& text, const std::string& name) {
    auto json = parseBoundedJson(text, name);
    if (!json) {
        return std::unexpected(json.error());
    }
    if (!json->is_object() || !json->contains("prices") || !(*json)["prices"].is_array()) {
        return fail(ErrorCode::InvalidArgument, name + ": expected an object with a \"prices\" array");
    }
    PriceBook book;
    int index = 0;
    for (const auto& entry : (*json)["prices"]) {
        auto price = priceFrom(entry, name + ": prices[" + std::to_string(index++) + "]");
        if (!price) {
            return std::unexpected(price.error());
        }
        book.m_prices.push_back(std::move(*price));
    }
    index = 0;
    for (const auto& entry : json->value("credit_rates", nlohmann::json::array())) {
        const std::string where = name + ": credit_rates[" + std::to_string(index++) + "]";
        auto provider = stringField(entry, "provider", true, where);
        auto unit = stringField(entry, "unit", true, where);
        auto usd = stringField(entry, "usd_per_unit", true, where);
        if (!provider || !unit || !usd) {
            return std::unexpected(!provider ? provider.error() : !unit ? unit.error() : usd.error());
        }
        auto rate = parseMicros(*usd, where + " usd_per_unit");
        if (!rate) {
            return std::unexpected(rate.error());
        }
        book.m_rates.push_back({*provider, *unit, *rate});
    }
    return book;
}

Result<const Price*> PriceBook::find(const GenerationRequest& request) const {
    const Price* best = nullptr;
    const std::string quality = optionString(request, "quality");
    const std::string mode = optionString(request, "mode");
    for (const auto& p : m_prices) {
        if (p.provider != request.provider || (p.model != "*" && p.model != request.model) ||
            !qualifierMatches(p.imageSize, request.imageSize) ||
            !qualifierMatches(p.quality, quality) || !qualifierMatches(p.mode, mode)) {
            continue;
        }
        if (best == nullptr || specificity(p) > specificity(*best)) {
            best = &p;
        }
    }
    if (best == nullptr) {
        return fail(ErrorCode::NotFound, "the price book has no price for " + request.provider +
                                             " " + request.model +
                                             "; add one to pricebook.json before queueing");
    }
    return best;
}

Micros PriceBook::toUsd(Micros amount, const std::string& unit, const std::string& provider) const {
    if (unit == "USD") {
        return amount;
    }
    for (const auto& rate : m_rates) {
        if (rate.provider == provider && rate.unit == unit) {
            return mulDivCeil(amount, rate.usdPerUnit, kMicrosPerUnit);
        }
    }
    return amount; // no rate known: counted 1:1 rather than dropped from budgets
}

void PriceBook::applyOverride(Price price) {
    price.userOverride = true;
    for (auto& p : m_prices) {
        if (samePriceKey(p, price)) {
            price.shippedAmount = p.userOverride ? p.shippedAmount : std::optional(p.amount);
            p = std::move(price);
            return;
        }
    }
    m_prices.push_back(std::move(price));
}

void PriceBook::setCreditRate(const CreditRate& rate) {
    for (auto& r : m_rates) {
        if (r.provider == rate.provider && r.unit == rate.unit) {
            r = rate;
            return;
        }
    }
    m_rates.push_back(rate);
}

Result<Estimate> PriceBook::estimate(const GenerationRequest& request) const {
    auto price = find(request);
    if (!price) {
        return std::unexpected(price.error());
    }
    Estimate e;
    e.price = *price;
    e.unit = e.price->unit;
    e.amount = e.price->amount * quantity(*e.price, request);
    e.usdMicros = toUsd(e.amount, e.unit, request.provider);
    return e;
}

Result<Estimate> PriceBook::settle(const GenerationRequest& request,
                                   const ProviderUsage& usage) const {
    auto estimated = estimate(request);
    if (!estimated) {
        return estimated;
    }
    Estimate e = *estimated;
    if (usage.costMicros) {
        e.amount = *usage.costMicros;
        e.unit = usage.unit;
    } else if (e.price->perMillionTokens && !e.price->usageField.empty()) {
        if (auto tokens = findCount(usage.raw, e.price->usageField)) {
            e.amount = mulDivCeil(*tokens, *e.price->perMillionTokens, 1'000'000);
        }
    }
    e.usdMicros = toUsd(e.amount, e.unit, request.provider);
    return e;
}

} // namespace ripen

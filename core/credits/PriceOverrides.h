#pragma once

#include "catalog/internal/SqliteDatabase.h"
#include "common/Error.h"
#include "credits/CalendarDay.h"
#include "credits/PriceBook.h"

#include <vector>

namespace ripen {

// The user's own prices, kept in the catalog (price_overrides) rather than by rewriting the
// shipped pricebook.json: a price set here is laid over the book whenever a library's prices
// are loaded (loadLibraryPriceBook), so the next estimate, reservation and budget verdict
// use it. Each override is keyed like the book's prices (provider, model, size, quality,
// mode), records source "user" and the day it was set, and is removed to revert to the
// shipped price. Writes happen inside the caller's transaction, if any.
class PriceOverrides {
public:
    static constexpr const char* kSource = "user";

    explicit PriceOverrides(sqlite::Database& db);

    // What an edit of `key`'s price starts from: the book's price with that key (its per
    // and unit), else `key` itself priced per image in USD.
    static Price draft(const PriceBook& book, const Price& key);

    // Stores `price` (its key, per, amount and unit) as the user's price from `on`,
    // replacing an earlier override of the key. Returns it as the book will show it.
    Result<Price> set(Price price, CalendarDay on);
    // Removes the override of `key`'s price; false when there was none.
    Result<bool> reset(const Price& key);
    Result<std::vector<Price>> list();

private:
    sqlite::Database& m_db;
};

} // namespace ripen

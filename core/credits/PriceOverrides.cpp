#include "credits/PriceOverrides.h"

#include "common/Clock.h"

namespace ripen {

PriceOverrides::PriceOverrides(sqlite::Database& db) : m_db(db) {}

Price PriceOverrides::draft(const PriceBook& book, const Price& key) {
    for (const auto& p : book.prices()) {
        if (samePriceKey(p, key)) {
            return p;
        }
    }
    Price fresh;
    fresh.provider = key.provider;
    fresh.model = key.model;
    fresh.imageSize = key.imageSize;
    fresh.quality = key.quality;
    fresh.mode = key.mode;
    return fresh;
}

Result<Price> PriceOverrides::set(Price price, CalendarDay on) {
    if (price.provider.empty() || price.model.empty()) {
        return fail(ErrorCode::InvalidArgument, "a price needs a provider and a model");
    }
    if (price.amount < 0) {
        return fail(ErrorCode::InvalidArgument, "a price cannot be negative");
    }
    if (price.unit.empty()) {
        return fail(ErrorCode::InvalidArgument, "a price needs a unit (USD or credits)");
    }
    price.source = kSource;
    price.asOf = formatCalendarDay(on);
    auto stmt = m_db.prepare(R"sql(
        INSERT INTO price_overrides(provider, model, image_size, quality, mode, per,
                                    amount_micros, unit, source, as_of, created_at)
        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
        ON CONFLICT(provider, model, image_size, quality, mode) DO UPDATE
        SET per = excluded.per, amount_micros = excluded.amount_micros, unit = excluded.unit,
            source = excluded.source, as_of = excluded.as_of, created_at = excluded.created_at)sql");
    if (!stmt) {
        return std::unexpected(stmt.error());
    }
    stmt->bind(1, price.provider).bind(2, price.model).bind(3, price.imageSize);
    stmt->bind(4, price.quality).bind(5, price.mode).bind(6, toString(price.per));
    stmt->bind(7, price.amount).bind(8, price.unit).bind(9, price.source).bind(10, price.asOf);
    if (auto done = stmt->bind(11, unixMillis()).run(); !done) {
        return std::unexpected(done.error());
    }
    price.userOverride = true;
    return price;
}

Result<bool> PriceOverrides::reset(const Price& key) {
    auto stmt = m_db.prepare("DELETE FROM price_overrides WHERE provider = ? AND model = ? AND "
                             "image_size = ? AND quality = ? AND mode = ?");
    if (!stmt) {
        return std::unexpected(stmt.error());
    }
    stmt->bind(1, key.provider).bind(2, key.model).bind(3, key.imageSize);
    if (auto done = stmt->bind(4, key.quality).bind(5, key.mode).run(); !done) {
        return std::unexpected(done.error());
    }
    return m_db.changes() > 0;
}

Result<std::vector<Price>> PriceOverrides::list() {
    auto stmt = m_db.prepare("SELECT provider, model, image_size, quality, mode, per, "
                             "amount_micros, unit, source, as_of FROM price_overrides "
                             "ORDER BY provider, model, image_size, quality, mode");
    if (!stmt) {
        return std::unexpected(stmt.error());
    }
    return stmt->collect<Price>([](const sqlite::Statement& s) {
        Price p;
        p.provider = s.text(0);
        p.model = s.text(1);
        p.imageSize = s.text(2);
        p.quality = s.text(3);
        p.mode = s.text(4);
        p.per = pricePerFromString(s.text(5), "price_overrides").value_or(Price::Per::Image);
        p.amount = s.int64(6);
        p.unit = s.text(7);
        p.source = s.text(8);
        p.asOf = s.text(9);
        p.userOverride = true;
        return p;
    });
}

} // namespace ripen

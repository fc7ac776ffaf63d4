#include "credits/LibraryPriceBook.h"

#include "common/ResourceLocator.h"
#include "credits/CreditAccounts.h"
#include "credits/PriceOverrides.h"

namespace ripen {

std::filesystem::path priceBookFileFor(const std::filesystem::path& libraryRoot) {
    std::error_code ec;
    const auto own = libraryRoot / "pricebook.json";
    return std::filesystem::exists(own, ec) ? own : resourceFile("pricebook.json");
}

Result<PriceBook> loadLibraryPriceBook(Library& library, CalendarDay asOf) {
    auto balances = CreditAccounts(library.catalog().database()).balances(asOf);
    if (!balances) {
        return std::unexpected(balances.error());
    }
    return loadLibraryPriceBook(library, *balances);
}

Result<PriceBook> loadLibraryPriceBook(Library& library,
                                       const std::vector<CreditAccounts::Balance>& balances) {
    auto book = PriceBook::load(priceBookFileFor(library.root()));
    if (!book) {
        return book;
    }
    auto overrides = PriceOverrides(library.catalog().database()).list();
    if (!overrides) {
        return std::unexpected(overrides.error());
    }
    for (auto& price : *overrides) {
        book->applyOverride(std::move(price));
    }
    for (const auto& b : balances) {
        if (b.account.currency != "USD" && b.effectiveUsdPerCredit) {
            book->setCreditRate({b.account.provider, b.account.currency, *b.effectiveUsdPerCredit});
        }
    }
    return book;
}

} // namespace ripen

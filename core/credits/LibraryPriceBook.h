#pragma once

#include "catalog/Library.h"
#include "common/Error.h"
#include "credits/CalendarDay.h"
#include "credits/CreditAccounts.h"
#include "credits/PriceBook.h"

#include <filesystem>

namespace ripen {

// The price book file a library's prices start from: its own pricebook.json when present
// (a studio's negotiated prices), else the shipped one.
std::filesystem::path priceBookFileFor(const std::filesystem::path& libraryRoot);

// The prices a library's jobs are estimated, reserved and charged with, as ripen-cli, the
// queue and the credit dashboard all read them: the price book file, with the user's
// overrides (PriceOverrides) laid over it, and each credits account's effective cost per
// credit as of `asOf` (subscription USD / (subscription credits + bonus grants), see
// CreditAccounts) in place of the book's list rate, so a budget holds credit spend at what
// the credits really cost. An account without a subscription keeps its own list price, and
// a provider without an account the book's rate.
Result<PriceBook> loadLibraryPriceBook(Library& library, CalendarDay asOf);
// The same with the accounts' balances as of that day already read (the dashboard has them).
Result<PriceBook> loadLibraryPriceBook(Library& library,
                                       const std::vector<CreditAccounts::Balance>& balances);

} // namespace ripen

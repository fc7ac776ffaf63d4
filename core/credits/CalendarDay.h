#pragma once

#include "common/Error.h"

#include <cstdint>
#include <string>
#include <string_view>

namespace ripen {

// A UTC calendar day as a count of days since 1970-01-01: how the ledger roll-up, report
// periods and subscription renewals name days. Ledger times (unix ms) map to the day
// `at / 86'400'000`, so a report's day boundaries are UTC midnights.
using CalendarDay = std::int64_t;

inline constexpr std::int64_t kMillisPerDay = 86'400'000;

// "2026-11-25" -> its day; anything else (other separators, 2026-02-30) is refused with a
// message naming `field`.
Result<CalendarDay> parseCalendarDay(std::string_view text, std::string_view field = "date");
std::string formatCalendarDay(CalendarDay day);
CalendarDay calendarDayOfMillis(std::int64_t unixMillis);
CalendarDay today();

// The first day of the month that holds `day`, and of the Monday-based week.
CalendarDay monthStart(CalendarDay day);
CalendarDay weekStart(CalendarDay day);
// The day `dayOfMonth` (1-28) in the month `months` after the month of `day`.
CalendarDay dayInMonth(CalendarDay day, int months, int dayOfMonth);

} // namespace ripen

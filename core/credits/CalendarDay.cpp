#include "credits/CalendarDay.h"

#include "common/Clock.h"

#include <charconv>
#include <chrono>

namespace ripen {
namespace {

using namespace std::chrono;

year_month_day toDate(CalendarDay day) {
    return year_month_day{sys_days{days{day}}};
}

CalendarDay fromDate(const year_month_day& date) {
    return sys_days{date}.time_since_epoch().count();
}

bool readNumber(std::string_view text, int& out) {
    const auto* end = text.data() + text.size();
    auto [ptr, ec] = std::from_chars(text.data(), end, out);
    return ec == std::errc() && ptr == end;
}

} // namespace

Result<CalendarDay> parseCalendarDay(std::string_view text, std::string_view field) {
    int y = 0;
    int m = 0;
    int d = 0;
    const bool shaped = text.size() == 10 && text[4] == '-' && text[7] == '-' &&
                        readNumber(text.substr(0, 4), y) && readNumber(text.substr(5, 2), m) &&
                        readNumber(text.substr(8, 2), d);
    const year_month_day date{year{y}, month{static_cast<unsigned>(m)},
                              day{static_cast<unsigned>(d)}};
    if (!shaped || !date.ok()) {
        return fail(ErrorCode::InvalidArgument, std::string(field) + " '" + std::string(text) +
                                                    "' is not a date of the form YYYY-MM-DD");
    }
    return fromDate(date);
}

std::string formatCalendarDay(CalendarDay day) {
    const auto date = toDate(day);
    char text[16];
    std::snprintf(text, sizeof text, "%04d-%02u-%02u", static_cast<int>(date.year()),
                  static_cast<unsigned>(date.month()), static_cast<unsigned>(date.day()));
    return text;
}

CalendarDay calendarDayOfMillis(std::int64_t unixMillis) {
    return unixMillis >= 0 ? unixMillis / kMillisPerDay
                           : (unixMillis - kMillisPerDay + 1) / kMillisPerDay;
}

CalendarDay today() {
    return calendarDayOfMillis(unixMillis());
}

CalendarDay monthStart(CalendarDay day) {
    const auto date = toDate(day);
    return fromDate(date.year() / date.month() / std::chrono::day{1});
}

CalendarDay weekStart(CalendarDay day) {
    const weekday wd{sys_days{days{day}}};
    return day - static_cast<CalendarDay>((wd.c_encoding() + 6) % 7);
}

CalendarDay dayInMonth(CalendarDay day, int monthsAhead, int dayOfMonth) {
    const auto date = toDate(day);
    const year_month ym = year_month{date.year(), date.month()} + months{monthsAhead};
    return fromDate(ym / std::chrono::day{static_cast<unsigned>(dayOfMonth)});
}

} // namespace ripen

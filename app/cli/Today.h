#pragma once

#include <string>

namespace ripen::cli {

// Today's date in UTC as YYYY-MM-DD, for refusing retired models.
std::string todayUtc();

} // namespace ripen::cli

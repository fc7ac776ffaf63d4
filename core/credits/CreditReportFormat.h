#pragma once

#include "credits/CreditReport.h"

#include <nlohmann/json.hpp>
#include <string>

namespace ripen {

// The client report as text. Amounts are exact decimals of USD (or of the account's unit
// for balances); JSON also carries every amount in micro-units ("*_micros") so scripts
// never parse decimals. The dashboard's figures are the JSON's "overview".
nlohmann::json creditOverviewJson(const CreditOverview& overview);
nlohmann::json clientReportJson(const ClientReport& report);
// A table for people to read.
std::string clientReportTable(const ClientReport& report);
// One row per figure: section,key,detail,usd,count (RFC 4180 quoting).
std::string clientReportCsv(const ClientReport& report);

// "acme-spring 2026-11-01..2026-11-30" style title shared by every format.
std::string clientReportTitle(const ClientReport& report);

} // namespace ripen

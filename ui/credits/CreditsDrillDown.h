#pragma once

#include "catalog/AssetQuery.h"
#include "credits/Ledger.h"
#include "credits/SpendQuery.h"
#include "filters/SmartFilter.h"

#include <QMetaType>
#include <QString>
#include <optional>
#include <string>

namespace ripen::ui {

// The assets behind a figure on the credit dashboard, as the gallery can show them: a
// sidebar scope (project or client) and filter-bar settings (provider, model, stage and
// the days the spend fell on), with a sentence saying what is shown.
//
// Spend is kept by job, assets by when they entered the library; a job's assets land the
// day it is charged, so the days match (the gallery counts local days, the ledger UTC
// days: near midnight an asset can fall on the neighbouring day). Groups the catalog cannot
// select on are left open and said so: "production" spans every stage after concept,
// "(none)" means no project or client.
struct AssetsBehind {
    ripen::AssetQuery scope; // project or client only
    SmartFilter filter;
    QString description;
};

// A bar or table row of spend over time: `bucketStart` is the first day of the day, week or
// month (nullopt: every day, as for the forecast of queued jobs); `group` is the key the
// ledger groups by ("google", "google gemini-2.5-flash-image", a project or client name,
// "concept" or "production").
AssetsBehind assetsBehindSpend(SpendGrouping grouping, SpendBucket bucket,
                               std::optional<CalendarDay> bucketStart, const std::string& group);
// A budget's project or client.
AssetsBehind assetsBehindBudget(const Ledger::BudgetStatus& budget);
// A project's yield: every attempt behind its picks.
AssetsBehind assetsBehindProject(const std::string& project);

// The day after the last day of the bucket starting at `start`.
CalendarDay bucketEnd(SpendBucket bucket, CalendarDay start);

} // namespace ripen::ui

Q_DECLARE_METATYPE(ripen::ui::AssetsBehind)

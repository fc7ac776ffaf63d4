#include "credits/SpendQuery.h"

#include <algorithm>
#include <map>
#include <tuple>
#include <unordered_map>

namespace ripen {
namespace {

using Row = DailyRollup::Row;
using Kind = DailyRollup::Kind;

// The group a roll-up row falls in, named as the dashboard shows it. Rows sharing the
// source of their name (a provider, a model, a project id...) share its index, found once.
class GroupNames {
public:
    GroupNames(const DailyRollup& rollup, SpendGrouping grouping)
        : m_rollup(rollup), m_grouping(grouping) {}

    int of(const Row& row) {
        const std::int64_t key = keyOf(row);
        if (const auto it = m_byKey.find(key); it != m_byKey.end()) {
            return it->second;
        }
        std::string name = nameOf(row);
        auto [it, added] = m_byName.emplace(name, static_cast<int>(m_names.size()));
        if (added) {
            m_names.push_back(std::move(name));
        }
        m_byKey.emplace(key, it->second);
        return it->second;
    }
    const std::string& name(int index) const { return m_names[static_cast<std::size_t>(index)]; }

private:
    std::int64_t keyOf(const Row& row) const {
        switch (m_grouping) {
        case SpendGrouping::Provider:
            return row.provider;
        case SpendGrouping::Model:
            return (static_cast<std::int64_t>(row.provider) << 32) | row.model;
        case SpendGrouping::Project:
            return row.projectId;
        case SpendGrouping::Client:
            return row.clientId;
        case SpendGrouping::Stage:
            return row.jobStage;
        }
        return row.provider;
    }
    std::string nameOf(const Row& row) const {
        switch (m_grouping) {
        case SpendGrouping::Provider:
            return m_rollup.text(row.provider);
        case SpendGrouping::Model:
            return m_rollup.text(row.provider) + " " + m_rollup.text(row.model);
        case SpendGrouping::Project:
            return m_rollup.projectName(row.projectId);
        case SpendGrouping::Client:
            return m_rollup.clientName(row.clientId);
        case SpendGrouping::Stage:
            return stageGroup(m_rollup.text(row.jobStage));
        }
        return m_rollup.text(row.provider);
    }

    const DailyRollup& m_rollup;
    SpendGrouping m_grouping;
    std::unordered_map<std::int64_t, int> m_byKey;
    std::unordered_map<std::string, int> m_byName;
    std::vector<std::string> m_names;
};

// Money of one group: USD, and the amount in the unit when every row shares it.
struct Sum {
    Micros usd = 0;
    Micros amount = 0;
    std::int64_t entries = 0;
    DailyRollup::TextId unit = -1;
    bool mixedUnits = false;

    void add(const Row& row, int sign, int entrySign) {
        usd += sign * row.usd;
        amount += sign * row.amount;
        entries += entrySign * row.entries;
        mixedUnits = mixedUnits || (unit >= 0 && unit != row.unit);
        unit = row.unit;
    }
    Micros shownAmount() const { return mixedUnits ? usd : amount; }
    std::string shownUnit(const DailyRollup& rollup) const {
        return mixedUnits ? std::string("USD") : rollup.text(unit);
    }
};

bool isSpend(Kind kind) {
    return kind == Kind::Charge || kind == Kind::Adjust;
}

CalendarDay bucketOf(SpendBucket bucket, CalendarDay day) {
    switch (bucket) {
    case SpendBucket::Day:
        return day;
    case SpendBucket::Week:
        return weekStart(day);
    case SpendBucket::Month:
        return monthStart(day);
    }
    return day;
}

} // namespace

std::string spendScopeSql(const SpendScope& s, const std::string& alias,
                          const std::string& timeColumn, bool perDay) {
    std::string sql;
    if (s.projectId) {
        sql += " AND " + alias + "project_id = " + std::to_string(*s.projectId);
    }
    if (s.clientId) {
        sql += " AND " + alias + "client_id = " + std::to_string(*s.clientId);
    }
    if (s.from) {
        sql += " AND " + alias + timeColumn +
               " >= " + std::to_string(perDay ? *s.from : *s.from * kMillisPerDay);
    }
    if (s.to) {
        sql += " AND " + alias + timeColumn +
               " <= " + std::to_string(perDay ? *s.to : (*s.to + 1) * kMillisPerDay - 1);
    }
    return sql;
}

bool spendScopeHolds(const SpendScope& s, const DailyRollup::Row& row) {
    return (!s.projectId || row.projectId == *s.projectId) &&
           (!s.clientId || row.clientId == *s.clientId) && (!s.from || row.day >= *s.from) &&
           (!s.to || row.day <= *s.to);
}

Result<SpendGrouping> spendGroupingFromString(const std::string& text) {
    for (auto g : {SpendGrouping::Provider, SpendGrouping::Model, SpendGrouping::Project,
                   SpendGrouping::Client, SpendGrouping::Stage}) {
        if (toString(g) == text) {
            return g;
        }
    }
    return fail(ErrorCode::InvalidArgument, "spend is grouped by provider, model, project, "
                                            "client or stage, not '" +
                                                text + "'");
}

Result<SpendBucket> spendBucketFromString(const std::string& text) {
    for (auto b : {SpendBucket::Day, SpendBucket::Week, SpendBucket::Month}) {
        if (toString(b) == text) {
            return b;
        }
    }
    return fail(ErrorCode::InvalidArgument,
                "spend is bucketed by day, week or month, not '" + text + "'");
}

std::string toString(SpendGrouping grouping) {
    switch (grouping) {
    case SpendGrouping::Provider:
        return "provider";
    case SpendGrouping::Model:
        return "model";
    case SpendGrouping::Project:
        return "project";
    case SpendGrouping::Client:
        return "client";
    case SpendGrouping::Stage:
        return "stage";
    }
    return "provider";
}

std::string toString(SpendBucket bucket) {
    switch (bucket) {
    case SpendBucket::Day:
        return "day";
    case SpendBucket::Week:
        return "week";
    case SpendBucket::Month:
        return "month";
    }
    return "day";
}

std::string stageGroup(const std::string& jobStage) {
    if (jobStage.empty()) {
        return "(no job)";
    }
    return jobStage == "concept" || jobStage == "none" ? "concept" : "production";
}

SpendQuery::SpendQuery(const DailyRollup& rollup) : m_rollup(rollup) {}

std::vector<SpendQuery::Point> SpendQuery::series(const SpendScope& scope, SpendBucket bucket,
                                                  SpendGrouping grouping) const {
    GroupNames groups(m_rollup, grouping);
    std::map<std::pair<CalendarDay, int>, Sum> sums;
    CalendarDay lastDay = 0;
    CalendarDay lastBucket = bucketOf(bucket, lastDay);
    for (const Row& row : m_rollup.rows()) {
        if (!isSpend(row.kind) || !spendScopeHolds(scope, row)) {
            continue;
        }
        if (row.day != lastDay) { // rows come by day: one calendar sum per day
            lastDay = row.day;
            lastBucket = bucketOf(bucket, lastDay);
        }
        sums[{lastBucket, groups.of(row)}].add(row, 1, 1);
    }
    std::vector<Point> points;
    points.reserve(sums.size());
    for (const auto& [key, sum] : sums) {
        points.push_back(Point{key.first, groups.name(key.second), sum.usd, sum.entries,
                               sum.shownAmount(), sum.shownUnit(m_rollup)});
    }
    std::ranges::sort(points, [](const Point& a, const Point& b) {
        return std::tie(a.bucket, a.group) < std::tie(b.bucket, b.group);
    });
    return points;
}

std::vector<SpendQuery::Line> SpendQuery::lines(const SpendScope& scope, SpendGrouping grouping,
                                                bool reservations) const {
    // An open reservation counts whenever it was made.
    const SpendScope within =
        reservations ? SpendScope{.projectId = scope.projectId, .clientId = scope.clientId} : scope;
    GroupNames groups(m_rollup, grouping);
    std::map<int, Sum> sums;
    for (const Row& row : m_rollup.rows()) {
        const bool counts = reservations ? row.kind == Kind::Reserve || row.kind == Kind::Release
                                         : isSpend(row.kind);
        if (!counts || !spendScopeHolds(within, row)) {
            continue;
        }
        const int sign = row.kind == Kind::Release ? -1 : 1;
        sums[groups.of(row)].add(row, sign, reservations ? sign : 1);
    }
    std::vector<Line> all;
    for (const auto& [group, sum] : sums) {
        if (reservations && sum.usd == 0 && sum.shownAmount() == 0) {
            continue; // every reservation of the group was released
        }
        all.push_back(Line{groups.name(group), sum.usd, sum.shownAmount(), sum.shownUnit(m_rollup),
                           sum.entries});
    }
    std::ranges::sort(all, [](const Line& a, const Line& b) {
        return a.usd != b.usd ? a.usd > b.usd : a.group < b.group;
    });
    return all;
}

std::vector<SpendQuery::Line> SpendQuery::totals(const SpendScope& scope,
                                                 SpendGrouping grouping) const {
    return lines(scope, grouping, false);
}

std::vector<SpendQuery::Line> SpendQuery::openReservations(const SpendScope& scope,
                                                           SpendGrouping grouping) const {
    return lines(scope, grouping, true);
}

} // namespace ripen

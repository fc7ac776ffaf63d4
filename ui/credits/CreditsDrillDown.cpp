#include "credits/CreditsDrillDown.h"

#include <QCoreApplication>
#include <QDate>

namespace ripen::ui {
namespace {

QString tr(const char* text) {
    return QCoreApplication::translate("CreditsDrillDown", text);
}

QDate dateOf(CalendarDay day) {
    return QDate(1970, 1, 1).addDays(day);
}

} // namespace

CalendarDay bucketEnd(SpendBucket bucket, CalendarDay start) {
    switch (bucket) {
    case SpendBucket::Day:
        return start + 1;
    case SpendBucket::Week:
        return start + 7;
    case SpendBucket::Month:
        return start + dateOf(start).daysTo(dateOf(start).addMonths(1));
    }
    return start + 1;
}

AssetsBehind assetsBehindSpend(SpendGrouping grouping, SpendBucket bucket,
                               std::optional<CalendarDay> bucketStart, const std::string& group) {
    AssetsBehind behind;
    const QString name = QString::fromStdString(group);
    QString what;
    switch (grouping) {
    case SpendGrouping::Provider:
        behind.filter.provider = name;
        what = tr("%1 spend").arg(name);
        break;
    case SpendGrouping::Model: {
        // The ledger's key is "provider model"; provider names have no spaces.
        const qsizetype space = name.indexOf(QLatin1Char(' '));
        behind.filter.provider = space < 0 ? name : name.left(space);
        behind.filter.model = space < 0 ? QString() : name.mid(space + 1);
        what = tr("%1 spend").arg(name);
        break;
    }
    case SpendGrouping::Project:
    case SpendGrouping::Client:
        if (group != "(none)") {
            (grouping == SpendGrouping::Project ? behind.scope.project : behind.scope.client) =
                group;
            what = tr("spend on %1").arg(name);
        } else {
            what = grouping == SpendGrouping::Project ? tr("spend without a project (every asset "
                                                           "shown)")
                                                      : tr("spend without a client (every asset "
                                                           "shown)");
        }
        break;
    case SpendGrouping::Stage:
        if (group == "concept") {
            behind.filter.stage = ripen::Stage::Concept;
            what = tr("discovery (concept) spend");
        } else {
            what = tr("%1 spend (every stage shown)").arg(name);
        }
        break;
    }
    if (bucketStart) {
        behind.filter.period = SmartFilter::Period::Custom;
        behind.filter.from = dateOf(*bucketStart);
        behind.filter.to = dateOf(bucketEnd(bucket, *bucketStart) - 1);
        const QString format = QStringLiteral("yyyy-MM-dd");
        behind.description =
            behind.filter.from == behind.filter.to
                ? tr("Assets behind %1 on %2").arg(what, behind.filter.from.toString(format))
                : tr("Assets behind %1 from %2 to %3")
                      .arg(what, behind.filter.from.toString(format),
                           behind.filter.to.toString(format));
    } else {
        behind.description = tr("Assets behind %1").arg(what);
    }
    return behind;
}

AssetsBehind assetsBehindBudget(const Ledger::BudgetStatus& budget) {
    AssetsBehind behind;
    (budget.scope == "client" ? behind.scope.client : behind.scope.project) = budget.name;
    behind.description =
        tr("Assets of %1 %2, whose spend counts against its budget")
            .arg(QString::fromStdString(budget.scope), QString::fromStdString(budget.name));
    return behind;
}

AssetsBehind assetsBehindProject(const std::string& project) {
    AssetsBehind behind;
    behind.scope.project = project;
    behind.description = tr("Every attempt of project %1: the picks and what it took to "
                            "make them")
                             .arg(QString::fromStdString(project));
    return behind;
}

} // namespace ripen::ui

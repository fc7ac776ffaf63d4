#pragma once

#include "catalog/AssetQuery.h"

#include <QDate>
#include <QString>
#include <QVariantMap>
#include <optional>

namespace ripen::ui {

// A named set of gallery filters, as the sidebar offers it and the filter bar shows it:
// stage, minimum rating, flag, colour label, provider, model and when assets entered the
// library (a period counted back from today, or fixed days). Unset fields mean "any".
struct SmartFilter {
    enum class Period { Any, Today, Week, Month, Year, Custom };

    QString name;
    std::optional<ripen::Stage> stage;
    int minRating = 0; // 0: any
    std::optional<ripen::Flag> flag;
    std::optional<ripen::ColorLabel> colorLabel;
    QString provider; // empty: any
    QString model;    // empty: any
    Period period = Period::Any;
    QDate from; // Custom only: both days included, local time
    QDate to;

    bool isEmpty() const;
    // Narrows `query` by every set field; periods end now (or at the end of `to`).
    void applyTo(ripen::AssetQuery& query) const;
    // For QSettings; fromVariant drops what it cannot read.
    QVariantMap toVariant() const;
    static SmartFilter fromVariant(const QVariantMap& map);
    bool operator==(const SmartFilter&) const = default;
};

} // namespace ripen::ui

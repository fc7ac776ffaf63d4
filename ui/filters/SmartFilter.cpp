#include "filters/SmartFilter.h"

#include <QDateTime>
#include <algorithm>

namespace ripen::ui {
namespace {

template <class T> std::optional<T> enumFrom(const QVariantMap& map, const QString& key, int last) {
    bool ok = false;
    const int value = map.value(key).toInt(&ok);
    if (!ok || value < 0 || value > last) {
        return std::nullopt;
    }
    return static_cast<T>(value);
}

template <class T> void putEnum(QVariantMap& map, const QString& key, std::optional<T> value) {
    if (value) {
        map.insert(key, static_cast<int>(*value));
    }
}

} // namespace

bool SmartFilter::isEmpty() const {
    return !stage && minRating == 0 && !flag && !colorLabel && provider.isEmpty() &&
           model.isEmpty() && period == Period::Any;
}

void SmartFilter::applyTo(ripen::AssetQuery& query) const {
    query.stage = stage;
    query.minRating = minRating > 0 ? std::optional<int>(minRating) : std::nullopt;
    query.flag = flag;
    query.colorLabel = colorLabel;
    query.provider =
        provider.isEmpty() ? std::nullopt : std::optional<std::string>(provider.toStdString());
    query.modelId =
        model.isEmpty() ? std::nullopt : std::optional<std::string>(model.toStdString());
    query.importedAfterMs.reset();
    query.importedBeforeMs.reset();
    const QDate today = QDate::currentDate();
    switch (period) {
    case Period::Any:
        return;
    case Period::Today:
        query.importedAfterMs = today.startOfDay().toMSecsSinceEpoch();
        return;
    case Period::Week:
        query.importedAfterMs = today.addDays(-6).startOfDay().toMSecsSinceEpoch();
        return;
    case Period::Month:
        query.importedAfterMs = today.addDays(-29).startOfDay().toMSecsSinceEpoch();
        return;
    case Period::Year:
        query.importedAfterMs = today.addYears(-1).startOfDay().toMSecsSinceEpoch();
        return;
    case Period::Custom:
        if (from.isValid()) {
            query.importedAfterMs = from.startOfDay().toMSecsSinceEpoch();
        }
        if (to.isValid()) {
            // The catalog's bound is exclusive: the whole of `to` is in.
            query.importedBeforeMs = to.addDays(1).startOfDay().toMSecsSinceEpoch();
        }
        return;
    }
}

QVariantMap SmartFilter::toVariant() const {
    QVariantMap map;
    map.insert(QStringLiteral("name"), name);
    putEnum(map, QStringLiteral("stage"), stage);
    putEnum(map, QStringLiteral("flag"), flag);
    putEnum(map, QStringLiteral("label"), colorLabel);
    if (minRating > 0) {
        map.insert(QStringLiteral("rating"), minRating);
    }
    if (!provider.isEmpty()) {
        map.insert(QStringLiteral("provider"), provider);
    }
    if (!model.isEmpty()) {
        map.insert(QStringLiteral("model"), model);
    }
    if (period != Period::Any) {
        map.insert(QStringLiteral("period"), static_cast<int>(period));
    }
    if (period == Period::Custom) {
        map.insert(QStringLiteral("from"), from.toString(Qt::ISODate));
        map.insert(QStringLiteral("to"), to.toString(Qt::ISODate));
    }
    return map;
}

SmartFilter SmartFilter::fromVariant(const QVariantMap& map) {
    SmartFilter f;
    f.name = map.value(QStringLiteral("name")).toString();
    f.stage =
        enumFrom<ripen::Stage>(map, QStringLiteral("stage"), static_cast<int>(ripen::Stage::Clip));
    f.flag =
        enumFrom<ripen::Flag>(map, QStringLiteral("flag"), static_cast<int>(ripen::Flag::Reject));
    f.colorLabel = enumFrom<ripen::ColorLabel>(map, QStringLiteral("label"),
                                               static_cast<int>(ripen::ColorLabel::Purple));
    f.minRating = std::clamp(map.value(QStringLiteral("rating")).toInt(), 0, 5);
    f.provider = map.value(QStringLiteral("provider")).toString();
    f.model = map.value(QStringLiteral("model")).toString();
    f.period = enumFrom<Period>(map, QStringLiteral("period"), static_cast<int>(Period::Custom))
                   .value_or(Period::Any);
    if (f.period == Period::Custom) {
        f.from = QDate::fromString(map.value(QStringLiteral("from")).toString(), Qt::ISODate);
        f.to = QDate::fromString(map.value(QStringLiteral("to")).toString(), Qt::ISODate);
        if (!f.from.isValid() && !f.to.isValid()) {
            f.period = Period::Any;
        }
    }
    return f;
}

} // namespace ripen::ui

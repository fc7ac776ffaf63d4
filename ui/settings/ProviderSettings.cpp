#include "settings/ProviderSettings.h"

#include <QSettings>
#include <QStringList>

namespace ripen::ui {

namespace {
const QString kGroup = QStringLiteral("providers");
const QString kLibrary = QStringLiteral("library/default");
} // namespace

JobLane::ProviderOverrides ProviderSettings::load(const QSettings& settings) {
    JobLane::ProviderOverrides overrides;
    for (const QString& key : settings.allKeys()) {
        const QStringList parts = key.split(QLatin1Char('/'));
        if (parts.size() != 3 || parts[0] != kGroup) {
            continue;
        }
        auto& chosen = overrides[parts[1].toStdString()];
        const QVariant value = settings.value(key);
        if (parts[2] == QLatin1String("baseUrls")) {
            for (const QString& url :
                 value.toString().split(QLatin1Char(','), Qt::SkipEmptyParts)) {
                chosen.baseUrls.push_back(url.trimmed().toStdString());
            }
        } else if (parts[2] == QLatin1String("concurrency")) {
            chosen.concurrency = std::max(0, value.toInt());
        } else if (parts[2] == QLatin1String("requestsPerMinute")) {
            chosen.requestsPerMinute = std::max(0, value.toInt());
        }
    }
    return overrides;
}

void ProviderSettings::save(QSettings& settings, const JobLane::ProviderOverrides& overrides) {
    settings.remove(kGroup);
    for (const auto& [id, chosen] : overrides) {
        const QString prefix =
            kGroup + QLatin1Char('/') + QString::fromStdString(id) + QLatin1Char('/');
        QStringList urls;
        for (const auto& url : chosen.baseUrls) {
            urls << QString::fromStdString(url);
        }
        if (!urls.isEmpty()) {
            settings.setValue(prefix + QStringLiteral("baseUrls"), urls.join(QLatin1Char(',')));
        }
        if (chosen.concurrency > 0) {
            settings.setValue(prefix + QStringLiteral("concurrency"), chosen.concurrency);
        }
        if (chosen.requestsPerMinute > 0) {
            settings.setValue(prefix + QStringLiteral("requestsPerMinute"),
                              chosen.requestsPerMinute);
        }
    }
}

QString ProviderSettings::defaultLibrary(const QSettings& settings) {
    return settings.value(kLibrary).toString();
}

void ProviderSettings::setDefaultLibrary(QSettings& settings, const QString& folder) {
    if (folder.isEmpty()) {
        settings.remove(kLibrary);
    } else {
        settings.setValue(kLibrary, folder);
    }
}

} // namespace ripen::ui

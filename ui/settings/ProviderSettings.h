#pragma once

#include "queue/JobLane.h"

#include <QString>

class QSettings;

namespace ripen::ui {

// The settings that are not secret, in QSettings: per provider the base URLs
// ("providers/<id>/baseUrls", comma-separated), concurrency per endpoint and requests per
// minute (0 = the built-in default), and the library to open by default. Keys are never
// here: they belong to the KeyStore.
class ProviderSettings {
public:
    static JobLane::ProviderOverrides load(const QSettings& settings);
    static void save(QSettings& settings, const JobLane::ProviderOverrides& overrides);

    // Empty when the user has not chosen one (Library::defaultLocation() applies).
    static QString defaultLibrary(const QSettings& settings);
    static void setDefaultLibrary(QSettings& settings, const QString& folder);
};

} // namespace ripen::ui

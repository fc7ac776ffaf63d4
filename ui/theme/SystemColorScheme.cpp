#include "theme/SystemColorScheme.h"

#include <QDBusMessage>
#include <QDBusPendingCallWatcher>
#include <QDBusPendingReply>
#include <QDBusVariant>
#include <QGuiApplication>

namespace ripen::ui {

namespace {

const QString kPortalService = QStringLiteral("org.freedesktop.portal.Desktop");
const QString kPortalPath = QStringLiteral("/org/freedesktop/portal/desktop");
const QString kSettingsInterface = QStringLiteral("org.freedesktop.portal.Settings");
const QString kAppearance = QStringLiteral("org.freedesktop.appearance");
const QString kColorScheme = QStringLiteral("color-scheme");

ThemeMode startupGuess() {
    const QString gtkTheme = qEnvironmentVariable("GTK_THEME");
    if (gtkTheme.endsWith(QLatin1String(":dark"), Qt::CaseInsensitive)) {
        return ThemeMode::Dark;
    }
    return SystemColorScheme::fromPalette(QGuiApplication::palette());
}

} // namespace

SystemColorScheme::SystemColorScheme(QDBusConnection bus, QObject* parent)
    : QObject(parent), m_bus(std::move(bus)), m_fallback(startupGuess()), m_mode(m_fallback) {}

ThemeMode SystemColorScheme::fromPalette(const QPalette& palette) {
    // A dark desktop paints its windows darker than their text.
    return palette.color(QPalette::Window).lightness() <
                   palette.color(QPalette::WindowText).lightness()
               ? ThemeMode::Dark
               : ThemeMode::Light;
}

std::optional<ThemeMode> SystemColorScheme::fromPortalValue(uint value) {
    switch (value) {
    case 1:
        return ThemeMode::Dark;
    case 2:
        return ThemeMode::Light;
    default:
        return std::nullopt;
    }
}

std::optional<uint> SystemColorScheme::unwrapPortalValue(const QVariant& value) {
    QVariant inner = value;
    for (int depth = 0; depth < 3 && inner.metaType() == QMetaType::fromType<QDBusVariant>();
         ++depth) {
        inner = qvariant_cast<QDBusVariant>(inner).variant();
    }
    bool ok = false;
    const uint number = inner.toUInt(&ok);
    if (!ok || inner.metaType() != QMetaType::fromType<uint>()) {
        return std::nullopt; // a type the specification does not allow
    }
    return number;
}

void SystemColorScheme::watchDesktopPortal() {
    if (!m_bus.isConnected()) {
        return;
    }
    // A QDBusMessage slot: Qt 6.4 refuses to connect a slot that takes a QDBusVariant.
    m_bus.connect(kPortalService, kPortalPath, kSettingsInterface, QStringLiteral("SettingChanged"),
                  this, SLOT(onSettingChanged(QDBusMessage)));
    QDBusMessage read = QDBusMessage::createMethodCall(kPortalService, kPortalPath,
                                                       kSettingsInterface, QStringLiteral("Read"));
    read << kAppearance << kColorScheme;
    auto* watcher = new QDBusPendingCallWatcher(m_bus.asyncCall(read), this);
    connect(watcher, &QDBusPendingCallWatcher::finished, this,
            [this](QDBusPendingCallWatcher* call) {
                const QDBusPendingReply<QVariant> reply = *call;
                if (!reply.isError()) { // no portal, or no such key: keep the start-up guess
                    takePortalValue(reply.value());
                }
                call->deleteLater();
            });
}

void SystemColorScheme::onSettingChanged(const QDBusMessage& message) {
    const QList<QVariant> arguments = message.arguments(); // namespace, key, value
    if (arguments.size() == 3 && arguments[0].toString() == kAppearance &&
        arguments[1].toString() == kColorScheme) {
        takePortalValue(arguments[2]);
    }
}

void SystemColorScheme::takePortalValue(const QVariant& value) {
    const auto number = unwrapPortalValue(value);
    if (!number) {
        return;
    }
    const ThemeMode mode = fromPortalValue(*number).value_or(m_fallback);
    if (mode != m_mode) {
        m_mode = mode;
        emit modeChanged(mode);
    }
}

} // namespace ripen::ui

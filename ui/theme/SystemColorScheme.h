#pragma once

#include "theme/Theme.h"

#include <QDBusConnection>
#include <QDBusMessage>
#include <QObject>
#include <QPalette>
#include <QString>
#include <optional>

namespace ripen::ui {

// Which of our two themes the desktop prefers, and when that changes. The source is the
// XDG desktop portal's org.freedesktop.appearance color-scheme (GNOME, KDE and the other
// portal backends publish the user's dark-style switch there); where no portal answers,
// or it says "no preference", the platform's own palette at start-up decides, and
// GTK_THEME=Name:dark wins over a light palette. Qt 6.4 has no QStyleHints::colorScheme.
// The portal is only asked asynchronously, so the GUI thread never waits for D-Bus.
//
// Thread affinity: GUI thread only.
class SystemColorScheme : public QObject {
    Q_OBJECT
public:
    // Reads the platform palette now: construct it before Theme::apply replaces it.
    explicit SystemColorScheme(QDBusConnection bus = QDBusConnection::sessionBus(),
                               QObject* parent = nullptr);

    ThemeMode mode() const { return m_mode; }
    // Asks the portal once and follows its SettingChanged signal from then on.
    void watchDesktopPortal();

    static ThemeMode fromPalette(const QPalette& palette);
    // 1 = prefer dark, 2 = prefer light; 0 and unknown values are no preference.
    static std::optional<ThemeMode> fromPortalValue(uint value);
    // A portal reply or signal value: a uint, possibly wrapped in one or two variants
    // (Settings.Read of version 1 returns the value inside one more variant).
    static std::optional<uint> unwrapPortalValue(const QVariant& value);

signals:
    void modeChanged(ripen::ui::ThemeMode mode);

private slots:
    void onSettingChanged(const QDBusMessage& message);

private:
    void takePortalValue(const QVariant& value);

    QDBusConnection m_bus;
    ThemeMode m_fallback; // what the palette (or GTK_THEME) said at start-up
    ThemeMode m_mode;
};

} // namespace ripen::ui

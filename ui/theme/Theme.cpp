#include "theme/Theme.h"

#include <QApplication>
#include <QFile>
#include <QSettings>
#include <QStyleFactory>

// Q_INIT_RESOURCE must be used outside any namespace.
static void initThemeResource() {
    Q_INIT_RESOURCE(ripen_theme);
}

namespace ripen::ui {

namespace {

// GUI thread only, like the QApplication they mirror.
ThemeMode g_current = ThemeMode::Dark;
ThemeMode g_system = ThemeMode::Dark;

constexpr const char* kSettingKey = "ui/theme";

struct Colors {
    QColor window, windowText, base, alternateBase, text, button, buttonText, light, midlight, mid,
        dark, shadow, highlight, highlightedText, placeholder, link, disabledText, toolTipBase;
};

Colors colorsFor(ThemeMode mode) {
    if (mode == ThemeMode::Light) {
        return {QColor(0xececec), QColor(0x202020), QColor(0xfafafa), QColor(0xf2f2f2),
                QColor(0x202020), QColor(0xe2e2e2), QColor(0x202020), QColor(0xffffff),
                QColor(0xf4f4f4), QColor(0xc4c4c4), QColor(0xa8a8a8), QColor(0x7a7a7a),
                QColor(0x3d6fa5), QColor(0xffffff), QColor(0x8a8a8a), QColor(0x2f5f95),
                QColor(0x9a9a9a), QColor(0xfafafa)};
    }
    return {QColor(0x2b2b2b), QColor(0xdcdcdc), QColor(0x1f1f1f), QColor(0x262626),
            QColor(0xdcdcdc), QColor(0x353535), QColor(0xdcdcdc), QColor(0x484848),
            QColor(0x3a3a3a), QColor(0x404040), QColor(0x1a1a1a), QColor(0x0f0f0f),
            QColor(0x4a6f94), QColor(0xffffff), QColor(0x7a7a7a), QColor(0x82aee0),
            QColor(0x6e6e6e), QColor(0x1f1f1f)};
}

} // namespace

QPalette Theme::palette(ThemeMode mode) {
    const Colors c = colorsFor(mode);
    QPalette p;
    p.setColor(QPalette::Window, c.window);
    p.setColor(QPalette::WindowText, c.windowText);
    p.setColor(QPalette::Base, c.base);
    p.setColor(QPalette::AlternateBase, c.alternateBase);
    p.setColor(QPalette::ToolTipBase, c.toolTipBase);
    p.setColor(QPalette::ToolTipText, c.text);
    p.setColor(QPalette::PlaceholderText, c.placeholder);
    p.setColor(QPalette::Text, c.text);
    p.setColor(QPalette::Button, c.button);
    p.setColor(QPalette::ButtonText, c.buttonText);
    p.setColor(QPalette::BrightText, Qt::white);
    p.setColor(QPalette::Light, c.light);
    p.setColor(QPalette::Midlight, c.midlight);
    p.setColor(QPalette::Mid, c.mid);
    p.setColor(QPalette::Dark, c.dark);
    p.setColor(QPalette::Shadow, c.shadow);
    p.setColor(QPalette::Highlight, c.highlight);
    p.setColor(QPalette::HighlightedText, c.highlightedText);
    p.setColor(QPalette::Link, c.link);
    p.setColor(QPalette::LinkVisited, c.link);
    for (const auto role : {QPalette::WindowText, QPalette::Text, QPalette::ButtonText}) {
        p.setColor(QPalette::Disabled, role, c.disabledText);
    }
    p.setColor(QPalette::Disabled, QPalette::Highlight, c.mid);
    return p;
}

void Theme::apply(ThemeMode mode) {
    g_current = mode;
    if (QStyle* fusion = QStyleFactory::create(QStringLiteral("Fusion"))) {
        QApplication::setStyle(fusion);
    }
    QApplication::setPalette(palette(mode));
    // Re-setting the sheet re-polishes every widget so palette(...) references follow.
    if (auto* app = qobject_cast<QApplication*>(QCoreApplication::instance())) {
        app->setStyleSheet(styleSheet());
    }
}

ThemeMode Theme::current() {
    return g_current;
}

ThemeChoice Theme::loadChoice() {
    const QSettings settings;
    const auto mode = fromString(settings.value(kSettingKey).toString());
    if (!mode) {
        return ThemeChoice::System; // unset, "system", or a value from a newer version
    }
    return *mode == ThemeMode::Light ? ThemeChoice::Light : ThemeChoice::Dark;
}

void Theme::saveChoice(ThemeChoice choice) {
    QSettings settings;
    switch (choice) {
    case ThemeChoice::System:
        settings.setValue(kSettingKey, QStringLiteral("system"));
        return;
    case ThemeChoice::Dark:
        settings.setValue(kSettingKey, toString(ThemeMode::Dark));
        return;
    case ThemeChoice::Light:
        settings.setValue(kSettingKey, toString(ThemeMode::Light));
        return;
    }
}

ThemeMode Theme::systemMode() {
    return g_system;
}

void Theme::setSystemMode(ThemeMode mode) {
    g_system = mode;
}

ThemeMode Theme::resolve(ThemeChoice choice) {
    switch (choice) {
    case ThemeChoice::Dark:
        return ThemeMode::Dark;
    case ThemeChoice::Light:
        return ThemeMode::Light;
    case ThemeChoice::System:
        break;
    }
    return g_system;
}

std::optional<ThemeMode> Theme::fromString(const QString& text) {
    if (text.compare(QLatin1String("dark"), Qt::CaseInsensitive) == 0) {
        return ThemeMode::Dark;
    }
    if (text.compare(QLatin1String("light"), Qt::CaseInsensitive) == 0) {
        return ThemeMode::Light;
    }
    return std::nullopt;
}

QString Theme::toString(ThemeMode mode) {
    return mode == ThemeMode::Light ? QStringLiteral("light") : QStringLiteral("dark");
}

QString Theme::styleSheet() {
    initThemeResource();
    QFile file(QStringLiteral(":/theme/ripen.qss"));
    if (!file.open(QIODevice::ReadOnly)) {
        return {};
    }
    return QString::fromUtf8(file.readAll());
}

QColor Theme::labelColor(ripen::ColorLabel label) {
    switch (label) {
    case ripen::ColorLabel::Red:
        return QColor(0xc8524f);
    case ripen::ColorLabel::Yellow:
        return QColor(0xd2b04c);
    case ripen::ColorLabel::Green:
        return QColor(0x5f9e5a);
    case ripen::ColorLabel::Blue:
        return QColor(0x4f7fc0);
    case ripen::ColorLabel::Purple:
        return QColor(0x8d62b0);
    case ripen::ColorLabel::None:
        break;
    }
    return {};
}

} // namespace ripen::ui

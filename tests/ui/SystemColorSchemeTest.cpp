// The "System" theme follows the desktop's dark-style switch: a private D-Bus session with
// a stand-in for the XDG desktop portal's Settings interface answers Read and sends
// SettingChanged the way xdg-desktop-portal does, and the scheme must follow both.
#include "theme/SystemColorScheme.h"

#include "CoreBridge.h"
#include "MainWindow.h"
#include "UiTestSupport.h"
#include "support/Process.h"
#include "support/TempDir.h"

#include <QApplication>
#include <QDBusConnection>
#include <QDBusMessage>
#include <QDBusVariant>
#include <QGuiApplication>
#include <QMenu>
#include <QMenuBar>
#include <catch2/catch.hpp>
#include <csignal>
#include <filesystem>
#include <sys/wait.h>

using namespace ripen::ui;
using ripen::test::TempDir;
using ripen::test::uiApp;
using ripen::test::waitUntil;

namespace {

// org.freedesktop.portal.Settings as version 1 of the portal serves it: Read wraps the
// value in one more variant than the specification's type.
class FakePortalSettings : public QObject {
    Q_OBJECT
    Q_CLASSINFO("D-Bus Interface", "org.freedesktop.portal.Settings")
public:
    uint colorScheme = 1;
    int reads = 0;

public slots:
    QDBusVariant Read(const QString& group, const QString& key) {
        ++reads;
        if (group != QLatin1String("org.freedesktop.appearance") ||
            key != QLatin1String("color-scheme")) {
            return QDBusVariant(QVariant::fromValue(QDBusVariant(QString())));
        }
        return QDBusVariant(QVariant::fromValue(QDBusVariant(colorScheme)));
    }
};

// A dbus-daemon of our own on a socket in a temporary folder, stopped with the test.
class PrivateSessionBus {
public:
    explicit PrivateSessionBus(const std::filesystem::path& dir)
        : m_socket(dir / "bus"),
          m_pid(ripen::test::startProcess({"dbus-daemon", "--session", "--nofork", "--nopidfile",
                                           "--address=unix:path=" + m_socket.string()})) {}
    ~PrivateSessionBus() {
        if (m_pid > 0) {
            ::kill(m_pid, SIGTERM);
            ripen::test::waitProcess(m_pid);
        }
    }
    QString address() const {
        return QStringLiteral("unix:path=") + QString::fromStdString(m_socket);
    }
    bool ready() const { return std::filesystem::exists(m_socket); }

private:
    std::filesystem::path m_socket;
    int m_pid;
};

ThemeMode opposite(ThemeMode mode) {
    return mode == ThemeMode::Dark ? ThemeMode::Light : ThemeMode::Dark;
}

uint portalValue(ThemeMode mode) {
    return mode == ThemeMode::Dark ? 1 : 2;
}

void sendColorSchemeChanged(QDBusConnection& portal, uint value) {
    QDBusMessage changed = QDBusMessage::createSignal(
        QStringLiteral("/org/freedesktop/portal/desktop"),
        QStringLiteral("org.freedesktop.portal.Settings"), QStringLiteral("SettingChanged"));
    changed << QStringLiteral("org.freedesktop.appearance") << QStringLiteral("color-scheme")
            << QVariant::fromValue(QDBusVariant(value));
    REQUIRE(portal.send(changed));
}

} // namespace

TEST_CASE("The system theme follows the desktop portal's colour scheme as it changes",
          "[ui][theme]") {
    uiApp();
    TempDir dir;
    PrivateSessionBus bus(dir.path());
    REQUIRE(waitUntil([&] { return bus.ready(); }, 10000));
    QDBusConnection portal = QDBusConnection::connectToBus(bus.address(), QStringLiteral("portal"));
    REQUIRE(portal.isConnected());
    FakePortalSettings settings;
    REQUIRE(portal.registerObject(QStringLiteral("/org/freedesktop/portal/desktop"), &settings,
                                  QDBusConnection::ExportAllSlots));
    REQUIRE(portal.registerService(QStringLiteral("org.freedesktop.portal.Desktop")));

    QDBusConnection client = QDBusConnection::connectToBus(bus.address(), QStringLiteral("app"));
    REQUIRE(client.isConnected());
    // Until the portal answers, the palette Ripen started with decides; the portal says
    // the opposite, so that every step below is a visible change.
    const ThemeMode guess = SystemColorScheme::fromPalette(QGuiApplication::palette());
    settings.colorScheme = portalValue(opposite(guess));
    SystemColorScheme scheme(client);
    std::vector<ThemeMode> seen;
    QObject::connect(&scheme, &SystemColorScheme::modeChanged,
                     [&](ThemeMode mode) { seen.push_back(mode); });
    CHECK(scheme.mode() == guess);

    scheme.watchDesktopPortal();
    REQUIRE(waitUntil([&] { return scheme.mode() == opposite(guess); }, 10000));
    CHECK(settings.reads == 1);
    sendColorSchemeChanged(portal, portalValue(guess)); // the user flipped the desktop's switch
    REQUIRE(waitUntil([&] { return scheme.mode() == guess; }, 10000));
    sendColorSchemeChanged(portal, portalValue(opposite(guess)));
    REQUIRE(waitUntil([&] { return scheme.mode() == opposite(guess); }, 10000));
    sendColorSchemeChanged(portal, 0); // no preference: back to what the palette said
    REQUIRE(waitUntil([&] { return scheme.mode() == guess; }, 10000));
    CHECK(seen == std::vector<ThemeMode>{opposite(guess), guess, opposite(guess), guess});

    QDBusConnection::disconnectFromBus(QStringLiteral("app"));
    QDBusConnection::disconnectFromBus(QStringLiteral("portal"));
}

TEST_CASE("Without a desktop portal the system theme is what the palette says", "[ui][theme]") {
    uiApp();
    QPalette dark = Theme::palette(ThemeMode::Dark);
    CHECK(SystemColorScheme::fromPalette(dark) == ThemeMode::Dark);
    CHECK(SystemColorScheme::fromPalette(Theme::palette(ThemeMode::Light)) == ThemeMode::Light);
    CHECK(SystemColorScheme::fromPortalValue(1) == ThemeMode::Dark);
    CHECK(SystemColorScheme::fromPortalValue(2) == ThemeMode::Light);
    CHECK_FALSE(SystemColorScheme::fromPortalValue(7)); // unknown: no preference
    // The value arrives bare, or wrapped once or twice in a variant; other types are ignored.
    const QVariant bare = QVariant::fromValue(uint(1));
    const QVariant once = QVariant::fromValue(QDBusVariant(bare));
    const QVariant twice = QVariant::fromValue(QDBusVariant(once));
    CHECK(SystemColorScheme::unwrapPortalValue(bare) == 1u);
    CHECK(SystemColorScheme::unwrapPortalValue(once) == 1u);
    CHECK(SystemColorScheme::unwrapPortalValue(twice) == 1u);
    CHECK_FALSE(SystemColorScheme::unwrapPortalValue(QVariant::fromValue(QStringLiteral("1"))));

    // A bus with no portal on it: the start-up guess stays, nothing is waited for.
    SystemColorScheme offline(QDBusConnection(QStringLiteral("not-connected")));
    offline.watchDesktopPortal();
    CHECK(offline.mode() == SystemColorScheme::fromPalette(QGuiApplication::palette()));
}

TEST_CASE("The theme choice defaults to the system's and is remembered", "[ui][theme]") {
    uiApp();
    Theme::saveChoice(ThemeChoice::Light);
    CHECK(Theme::loadChoice() == ThemeChoice::Light);
    Theme::saveChoice(ThemeChoice::System);
    CHECK(Theme::loadChoice() == ThemeChoice::System);
    Theme::setSystemMode(ThemeMode::Light);
    CHECK(Theme::resolve(ThemeChoice::System) == ThemeMode::Light);
    CHECK(Theme::resolve(ThemeChoice::Dark) == ThemeMode::Dark);
    Theme::setSystemMode(ThemeMode::Dark);
    CHECK(Theme::resolve(ThemeChoice::System) == ThemeMode::Dark);
}

TEST_CASE("The View menu offers the system, dark and light themes and remembers the pick",
          "[ui][theme]") {
    uiApp();
    TempDir dir;
    Theme::saveChoice(ThemeChoice::System);
    Theme::setSystemMode(ThemeMode::Dark);
    CoreBridge bridge(dir / "library");
    MainWindow window(bridge);
    QMenu* view = nullptr;
    for (QAction* menu : window.menuBar()->actions()) {
        if (menu->text() == QStringLiteral("&View")) {
            view = menu->menu();
        }
    }
    REQUIRE(view != nullptr);
    std::map<QString, QAction*> themes;
    for (QAction* action : view->actions()) {
        if (action->text().endsWith(QStringLiteral(" Theme"))) {
            themes[action->text()] = action;
        }
    }
    REQUIRE(themes.size() == 3);
    CHECK(themes.at(QStringLiteral("&System Theme"))->isChecked());

    themes.at(QStringLiteral("&Light Theme"))->trigger();
    CHECK(Theme::current() == ThemeMode::Light);
    CHECK(Theme::loadChoice() == ThemeChoice::Light);
    CHECK(QApplication::palette().color(QPalette::Window).lightness() > 200);

    themes.at(QStringLiteral("&System Theme"))->trigger(); // the desktop is dark
    CHECK(Theme::current() == ThemeMode::Dark);
    CHECK(Theme::loadChoice() == ThemeChoice::System);
    view->popup(QPoint(0, 0));
    REQUIRE(waitUntil([&] { return view->isVisible(); }, 3000));
    CHECK(
        view->grab().save(ripen::test::screenshotDir() + QStringLiteral("/view-menu-themes.png")));
    view->close();
    Theme::saveChoice(ThemeChoice::Dark);
}

#include "SystemColorSchemeTest.moc"

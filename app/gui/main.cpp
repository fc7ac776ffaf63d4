// ripen: the GUI. A thin main that parses the command line, applies the theme and wires
// the CoreBridge into the main window; everything else lives in ui/.

#include "CoreBridge.h"
#include "LibraryOpenError.h"
#include "LibrarySession.h"
#include "MainWindow.h"
#include "PathText.h"
#include "catalog/Library.h"
#include "queue/JobLane.h"
#include "settings/KeyStore.h"
#include "settings/ProviderSettings.h"
#include "shared/BuiltInProviders.h"
#include "theme/SystemColorScheme.h"
#include "theme/Theme.h"
#include "tools/WidgetScreenshot.h"
#include "welcome/WelcomeDialog.h"

#include <QApplication>
#include <QCommandLineParser>
#include <QMessageBox>
#include <QSettings>
#include <QTextStream>
#include <cstdio>
#include <cstdlib>
#include <optional>
#include <ripen/BuildInfo.h>
#include <string_view>

namespace {

struct Options {
    QString library;
    QString screenshot;
    QSize screenshotSize{1280, 800};
    std::optional<ripen::ui::ThemeMode> theme;
};

// The library opened last, else the one chosen in Settings, else the standard location.
QString defaultLibrary() {
    if (const QString last = ripen::ui::LibrarySession::lastLibrary(); !last.isEmpty()) {
        return last;
    }
    const QString chosen = ripen::ui::ProviderSettings::defaultLibrary(QSettings());
    return chosen.isEmpty() ? ripen::ui::PathText::fromPath(ripen::Library::defaultLocation())
                            : chosen;
}

// Parses argv; exits for --help, --version and usage errors.
Options parseOptions(const QCoreApplication& app) {
    QCommandLineParser parser;
    parser.setApplicationDescription(
        QApplication::translate("main", "Production workstation for AI image and video assets."));
    parser.addHelpOption();
    parser.addVersionOption();
    const QCommandLineOption library(
        QStringLiteral("library"),
        QApplication::translate("main", "Open the library in DIR (created if missing)."),
        QStringLiteral("DIR"), defaultLibrary());
    QCommandLineOption theme(QStringLiteral("theme"),
                             QApplication::translate("main", "Use the dark or light theme."),
                             QStringLiteral("dark|light"));
    // Development aids: render the window to a PNG once it has settled, then quit.
    QCommandLineOption screenshot(QStringLiteral("screenshot"),
                                  QStringLiteral("Render the main window to FILE and quit."),
                                  QStringLiteral("FILE"));
    screenshot.setFlags(QCommandLineOption::HiddenFromHelp);
    QCommandLineOption size(QStringLiteral("screenshot-size"),
                            QStringLiteral("Window size for --screenshot."), QStringLiteral("WxH"),
                            QStringLiteral("1280x800"));
    size.setFlags(QCommandLineOption::HiddenFromHelp);
    parser.addOptions({library, theme, screenshot, size});
    parser.process(app);

    Options options;
    options.library = parser.value(library);
    options.screenshot = parser.value(screenshot);
    if (parser.isSet(theme)) {
        options.theme = ripen::ui::Theme::fromString(parser.value(theme));
        if (!options.theme) {
            std::fprintf(stderr, "ripen: --theme must be dark or light\n");
            std::exit(2);
        }
    }
    const QStringList wh = parser.value(size).split(QLatin1Char('x'));
    if (wh.size() == 2 && wh[0].toInt() > 0 && wh[1].toInt() > 0) {
        options.screenshotSize = QSize(wh[0].toInt(), wh[1].toInt());
    }
    return options;
}

// What --version and the About dialog show: enough to name the exact build in a bug report.
QString versionText() {
    return QStringLiteral("%1 (%2, commit %3)")
        .arg(QString::fromLatin1(ripen::build::kVersion),
             QString::fromLatin1(ripen::build::kBuildType),
             QString::fromLatin1(ripen::build::kCommit));
}

// --help and --version must work without a display, so they get a core application only.
bool needsDisplay(int argc, char** argv) {
    for (int i = 1; i < argc; ++i) {
        const std::string_view arg(argv[i]);
        if (arg == "--help" || arg == "-h" || arg == "--help-all" || arg == "--version" ||
            arg == "-v" || arg == "-?") {
            return false;
        }
    }
    return true;
}

// The theme to start with: --theme, else the user's choice, where "System" (the default)
// follows the desktop's dark-style switch for as long as Ripen runs. Screenshots are
// always dark, so that they compare across machines.
void followTheme(ripen::ui::SystemColorScheme& systemScheme, const Options& options,
                 bool screenshotMode) {
    using ripen::ui::Theme;
    Theme::setSystemMode(systemScheme.mode());
    if (screenshotMode || options.theme) {
        Theme::apply(options.theme.value_or(ripen::ui::ThemeMode::Dark));
        return;
    }
    Theme::apply(Theme::resolve(Theme::loadChoice()));
    QObject::connect(&systemScheme, &ripen::ui::SystemColorScheme::modeChanged,
                     [](ripen::ui::ThemeMode mode) {
                         Theme::setSystemMode(mode);
                         if (Theme::loadChoice() == ripen::ui::ThemeChoice::System) {
                             Theme::apply(mode);
                         }
                     });
    systemScheme.watchDesktopPortal();
}

} // namespace

int main(int argc, char** argv) {
    if (!needsDisplay(argc, argv)) {
        QCoreApplication core(argc, argv);
        QCoreApplication::setApplicationName(QStringLiteral("ripen"));
        QCoreApplication::setApplicationVersion(versionText());
        parseOptions(core); // prints and exits
        return 0;
    }
    QApplication app(argc, argv);
    QApplication::setApplicationName(QStringLiteral("ripen"));
    QApplication::setApplicationDisplayName(QStringLiteral("Ripen"));
    QApplication::setOrganizationName(QStringLiteral("Ripen"));
    QApplication::setApplicationVersion(versionText());

    const Options options = parseOptions(app);
    const bool screenshotMode = !options.screenshot.isEmpty();
    // Read before our palette replaces the platform's.
    ripen::ui::SystemColorScheme systemScheme;
    followTheme(systemScheme, options, screenshotMode);

    // The screenshot tool never asks the keychain (it may prompt) and never stores keys.
    ripen::ui::KeyStore keys(screenshotMode ? ripen::ui::KeyStore::Backend::NoKeychain
                                            : ripen::ui::KeyStore::Backend::SystemKeychain);
    // Each library's bridge and window (File > Open Library… makes new ones): the job queue
    // runs the built-in providers with the settings' URLs and limits, and starts once the
    // library is open and the keys are loaded (a job must not fail for a key that was
    // still on its way from the keychain).
    ripen::ui::LibrarySession session(
        [&keys, screenshotMode](ripen::ui::CoreBridge& bridge, ripen::ui::MainWindow& window) {
            ripen::ui::JobLane& jobs = bridge.jobs();
            jobs.setRegistryFactory(&ripen::app::registerBuiltInProviders);
            jobs.setProviderOverrides(ripen::ui::ProviderSettings::load(QSettings()));
            if (screenshotMode) {
                jobs.pauseAll(); // a screenshot sends no paid request
            }
            if (keys.isLoaded()) {
                jobs.setKeys(keys.keys());
            }
            const auto startJobs = [&jobs, &keys, &bridge] {
                if (keys.isLoaded() && bridge.isOpen()) {
                    jobs.start();
                }
            };
            QObject::connect(&keys, &ripen::ui::KeyStore::loaded, &jobs, startJobs);
            QObject::connect(&bridge, &ripen::ui::CoreBridge::libraryOpened, &jobs, startJobs);
            window.setKeyStore(&keys);
        });
    session.setRemembering(!screenshotMode);
    session.setOfferingRestore(!screenshotMode);
    session.start(options.library);
    // The first library's window and bridge; a switch replaces both.
    ripen::ui::MainWindow& window = session.window();
    ripen::ui::CoreBridge& bridge = session.bridge();
    ripen::ui::WidgetScreenshot shot(
        window, [&window] { return window.isBusy(); }, options.screenshot);

    // The first library failing to open ends the app; a later switch keeps the open one.
    QObject::connect(&session, &ripen::ui::LibrarySession::openFailed, &app,
                     [&](const QString&, const QString& text, bool keptPrevious, bool shown) {
                         if (keptPrevious) {
                             return;
                         }
                         if (screenshotMode) {
                             QTextStream(stderr) << text << '\n';
                         } else if (!shown) {
                             QMessageBox::critical(&session.window(),
                                                   ripen::ui::LibraryOpenError::title(), text);
                         }
                         QApplication::exit(1);
                     });
    if (screenshotMode) {
        QObject::connect(&shot, &ripen::ui::WidgetScreenshot::finished, &app,
                         [](bool ok, const QString& message) {
                             QTextStream(ok ? stdout : stderr) << "ripen: " << message << '\n';
                             QApplication::exit(ok ? 0 : 1);
                         });
        QObject::connect(&bridge, &ripen::ui::CoreBridge::libraryOpened, &shot,
                         [&shot] { shot.start(); });
        window.resize(options.screenshotSize);
    } else {
        window.restoreSettings();
        // First run: a short welcome once the keys are known (it says which providers work).
        QObject::connect(&keys, &ripen::ui::KeyStore::loaded, &window, [&window] {
            if (!ripen::ui::WelcomeDialog::wasShown()) {
                ripen::ui::WelcomeDialog::markShown();
                window.showWelcome();
            }
        });
    }
    // The library opens on the bridge's reader lane; the window says "Opening library…".
    window.show();
    keys.load();
    return QApplication::exec();
}

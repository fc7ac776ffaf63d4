#include "UiTestSupport.h"

#include "theme/Theme.h"

#include <QApplication>
#include <QDeadlineTimer>
#include <QDir>
#include <QStandardPaths>
#include <QTest>
#include <cstdlib>

namespace ripen::test {

QApplication& uiApp() {
    static QApplication* app = [] {
        if (qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM")) {
            qputenv("QT_QPA_PLATFORM", "offscreen");
        }
        // Keeps QSettings and friends away from the user's real files.
        QStandardPaths::setTestModeEnabled(true);
        static int argc = 1;
        static char name[] = "test_ui";
        static char* argv[] = {name, nullptr};
        auto* created = new QApplication(argc, argv);
        QApplication::setOrganizationName(QStringLiteral("RipenTests"));
        QApplication::setApplicationName(QStringLiteral("test_ui"));
        ripen::ui::Theme::apply(ripen::ui::ThemeMode::Dark);
        return created;
    }();
    return *app;
}

bool waitUntil(const std::function<bool()>& done, int timeoutMs) {
    uiApp();
    QDeadlineTimer deadline(timeoutMs);
    while (!done()) {
        if (deadline.hasExpired()) {
            return false;
        }
        QTest::qWait(10);
    }
    return true;
}

QString screenshotDir() {
    const QString dir = QString::fromUtf8(RIPEN_UI_SCREENSHOT_DIR);
    QDir().mkpath(dir);
    return dir;
}

} // namespace ripen::test

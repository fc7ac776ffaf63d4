#include "welcome/WelcomeDialog.h"

#include "ProductionTestSupport.h"
#include "UiTestSupport.h"

#include <QPushButton>
#include <QSettings>
#include <QSignalSpy>
#include <catch2/catch.hpp>

using ripen::ui::JobLane;
using ripen::ui::WelcomeDialog;

TEST_CASE("The welcome explains providers and keys and says which providers are ready",
          "[ui][welcome]") {
    ripen::test::uiApp();
    QSettings().remove(QStringLiteral("welcome"));
    CHECK_FALSE(WelcomeDialog::wasShown());
    std::vector<JobLane::ProviderInfo> providers(2);
    providers[0].id = "comfyui";
    providers[0].displayName = "ComfyUI";
    providers[1].id = "google";
    providers[1].displayName = "Google Gemini API";
    providers[1].missingConfiguration = "set GEMINI_API_KEY or add a Google key in Settings";
    WelcomeDialog welcome(providers);
    CHECK(welcome.providersText().contains(QStringLiteral("<b>Ready now:</b> ComfyUI.")));
    CHECK(welcome.providersText().contains(QStringLiteral("set GEMINI_API_KEY")));
    QSignalSpy settings(&welcome, &WelcomeDialog::settingsRequested);
    ripen::test::renderWidget(welcome, QSize(560, 520), QStringLiteral("welcome.png"));
    welcome.settingsButton().click();
    CHECK(settings.count() == 1);
    CHECK_FALSE(welcome.isVisible());
    WelcomeDialog::markShown();
    CHECK(WelcomeDialog::wasShown());
    QSettings().remove(QStringLiteral("welcome"));
}

#include "welcome/WelcomeDialog.h"

#include "CoreBridge.h"
#include "ProductionTestSupport.h"
#include "UiTestSupport.h"
#include "catalog/AssetQuery.h"
#include "support/TempDir.h"
#include "welcome/DemoLibraryMaker.h"

#include <QPainter>
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

TEST_CASE("The demo library is drawn by Ripen and imports with its prompts and licence",
          "[ui][welcome]") {
    ripen::test::uiApp();
    ripen::test::TempDir dir;
    ripen::ui::DemoLibraryMaker maker;
    QSignalSpy drawn(&maker, &ripen::ui::DemoLibraryMaker::finished);
    const QString folder = QString::fromStdString((dir / "demo").string());
    maker.make(folder, 3, QSize(160, 120));
    REQUIRE(drawn.wait(20000));
    CHECK(drawn.at(0).at(1).toString().isEmpty());
    const QStringList files = drawn.at(0).at(0).toStringList();
    REQUIRE(files.size() == 3);
    // Different scenes, not one image three times.
    CHECK(QImage(files[0]) != QImage(files[1]));
    CHECK(QImage(files[0]).size() == QSize(160, 120));

    ripen::ui::CoreBridge bridge(dir / "library");
    QSignalSpy opened(&bridge, &ripen::ui::CoreBridge::libraryOpened);
    bridge.openLibrary();
    REQUIRE(opened.wait(10000));
    QSignalSpy imported(&bridge, &ripen::ui::CoreBridge::importFinished);
    bridge.importPaths({folder});
    REQUIRE(imported.wait(20000));
    CHECK(imported.at(0).at(0).value<ripen::ImportSummary>().imported == 3);
    QSignalSpy ready(&bridge, &ripen::ui::CoreBridge::assetsReady);
    ripen::AssetQuery query;
    query.search = "ridges";
    bridge.queryAssets(query);
    REQUIRE(ready.wait(10000));
    const auto records = ready.at(0).at(1).value<ripen::ui::AssetRecords>();
    REQUIRE(records.size() == 3);
    for (const auto& record : records) {
        CHECK(record.asset.generation.provider == "ripen");
        CHECK(record.asset.generation.modelId == "ripen-demo-landscape");
        CHECK(record.asset.generation.params.value("Licence", "") == "CC0, drawn by Ripen");
    }
    CHECK(records[0].asset.generation.prompt != records[1].asset.generation.prompt);
    // For people to look at: a strip of the scenes as the demo library draws them.
    QImage strip(4 * 320, 240, QImage::Format_RGB32);
    QPainter painter(&strip);
    for (int i = 0; i < 4; ++i) {
        painter.drawImage(i * 320, 0,
                          ripen::ui::DemoLibraryMaker::drawScene(i * 5 % 12, QSize(320, 240)));
    }
    painter.end();
    CHECK(strip.save(ripen::test::screenshotDir() + QStringLiteral("/demo-scenes.png")));
}

#include "ProductionTestSupport.h"

#include "UiTestSupport.h"
#include "providers/openai/OpenAiImagesProvider.h"
#include "tools/WidgetScreenshot.h"

#include <QSignalSpy>
#include <QWidget>
#include <catch2/catch.hpp>

namespace ripen::test {

ProductionRig::ProductionRig() {
    uiApp();
    bridge = std::make_unique<ripen::ui::CoreBridge>(root());
    lane().setRegistryFactory([](ripen::ProviderRegistry& registry) {
        registry.add(std::make_unique<ripen::OpenAiImagesProvider>(), {2, 600});
    });
    ripen::ui::JobLane::ProviderOverrides overrides;
    overrides["openai"].baseUrls = {openai.baseUrl()};
    lane().setProviderOverrides(overrides);
    lane().setKeys({{"OPENAI_API_KEY", OpenAiFakeServer::kApiKey}});
}

void ProductionRig::open() {
    QSignalSpy opened(bridge.get(), &ripen::ui::CoreBridge::libraryOpened);
    bridge->openLibrary();
    REQUIRE(opened.wait(10000));
    lane().start();
    REQUIRE(waitUntil([&] { return lane().isReady() && !lane().isBusy(); }, 20000));
}

QImage renderWidget(QWidget& widget, QSize size, const QString& name) {
    widget.resize(size);
    widget.show();
    waitUntil([] { return false; }, 200); // layout and first paint
    const QString file = screenshotDir() + QLatin1Char('/') + name;
    QString error;
    CHECK(ripen::ui::WidgetScreenshot::save(widget, file, &error));
    INFO(error.toStdString());
    return QImage(file);
}

} // namespace ripen::test

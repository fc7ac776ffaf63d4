#include "EditorTestSupport.h"

#include "MainWindow.h"
#include "UiTestSupport.h"
#include "catalog/Library.h"
#include "gallery/GalleryView.h"
#include "support/TestImages.h"

#include <QListView>
#include <QSignalSpy>
#include <QTest>
#include <catch2/catch.hpp>

namespace ripen::test {

ImageLibraryRig::ImageLibraryRig(QSize size, const ripen::ui::JobLane::RegistryFactory& registry,
                                 const ripen::ui::JobLane::ProviderOverrides& overrides,
                                 const ripen::ui::JobLane::Keys& keys) {
    uiApp();
    writeTestImage(dir / "inbox" / "keyframe.png", makeTestImage(size.width(), size.height(), 5));
    bridge = std::make_unique<ripen::ui::CoreBridge>(root());
    bridge->jobs().setRegistryFactory(registry);
    bridge->jobs().setProviderOverrides(overrides);
    bridge->jobs().setKeys(keys);
    QSignalSpy opened(bridge.get(), &ripen::ui::CoreBridge::libraryOpened);
    bridge->openLibrary();
    REQUIRE(opened.wait(10000));
    bridge->jobs().start();
    QSignalSpy imported(bridge.get(), &ripen::ui::CoreBridge::importFinished);
    bridge->importPaths({QString::fromStdString((dir / "inbox").string())});
    REQUIRE(imported.wait(20000));
    REQUIRE(waitUntil([&] { return bridge->jobs().isReady() && !bridge->isBusy(); }, 20000));
    auto library = ripen::Library::open(root());
    REQUIRE(library);
    auto assets = (*library)->catalog().find(ripen::AssetQuery{});
    REQUIRE(assets);
    REQUIRE(assets->size() == 1);
    image = assets->front().id;
}

ripen::Asset ImageLibraryRig::asset(ripen::AssetId id) const {
    auto library = ripen::Library::open(root());
    REQUIRE(library);
    auto found = (*library)->catalog().asset(id);
    REQUIRE(found);
    return *found;
}

std::vector<ripen::Asset> ImageLibraryRig::childrenOf(ripen::AssetId id,
                                                      ripen::AssetKind kind) const {
    auto library = ripen::Library::open(root());
    REQUIRE(library);
    auto ids = (*library)->catalog().children(id);
    REQUIRE(ids);
    std::vector<ripen::Asset> found;
    for (const ripen::AssetId child : *ids) {
        auto row = (*library)->catalog().asset(child);
        REQUIRE(row);
        if (row->kind == kind) {
            found.push_back(*row);
        }
    }
    return found;
}

void openFromGallery(ripen::ui::MainWindow& window, ImageLibraryRig& rig, int key) {
    window.resize(1280, 800);
    window.show();
    REQUIRE(QTest::qWaitForWindowExposed(&window));
    window.gallery().setLibraryReady(true); // the library opened before the window
    window.gallery().reload();
    REQUIRE(waitUntil([&] { return window.gallery().selectAsset(rig.image); }));
    window.gallery().grid().setFocus();
    QTest::keyClick(&window.gallery().grid(), static_cast<Qt::Key>(key));
}

} // namespace ripen::test

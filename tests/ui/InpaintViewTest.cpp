// The inpaint editor as a view: a library image opened, a mask painted with the mouse,
// saved and reused, a local engine run through the job queue, the result compared and
// accepted as master. Offscreen, end to end through the CoreBridge and its job lane.
#include "inpaint/InpaintView.h"

#include "CoreBridge.h"
#include "MainWindow.h"
#include "ProductionTestSupport.h"
#include "UiTestSupport.h"
#include "catalog/Library.h"
#include "gallery/GalleryView.h"
#include "inpaint/MaskCanvas.h"
#include "providers/local/LocalProvider.h"
#include "queue/JobLane.h"
#include "support/TempDir.h"
#include "support/TestImages.h"

#include <QApplication>
#include <QComboBox>
#include <QListView>
#include <QListWidget>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QSignalSpy>
#include <QSpinBox>
#include <QStackedWidget>
#include <QTest>
#include <QUndoStack>
#include <catch2/catch.hpp>

using ripen::test::TempDir;
using ripen::test::uiApp;
using ripen::test::waitUntil;
using ripen::ui::CoreBridge;
using ripen::ui::InpaintView;
using ripen::ui::MaskCanvas;

namespace {

// A library holding one 320x240 image, its bridge's queue running the local engines.
struct LocalRig {
    bool appReady = (uiApp(), true);
    TempDir dir;
    std::unique_ptr<CoreBridge> bridge;
    ripen::AssetId image = 0;

    LocalRig() {
        ripen::test::writeTestImage(dir / "inbox" / "street.png",
                                    ripen::test::makeTestImage(320, 240, 5));
        bridge = std::make_unique<CoreBridge>(dir / "library");
        bridge->jobs().setRegistryFactory([](ripen::ProviderRegistry& registry) {
            registry.add(std::make_unique<ripen::LocalProvider>(), {1, 100000});
        });
        QSignalSpy opened(bridge.get(), &CoreBridge::libraryOpened);
        bridge->openLibrary();
        REQUIRE(opened.wait(10000));
        bridge->jobs().start();
        QSignalSpy imported(bridge.get(), &CoreBridge::importFinished);
        bridge->importPaths({QString::fromStdString((dir / "inbox").string())});
        REQUIRE(imported.wait(20000));
        REQUIRE(waitUntil([&] { return bridge->jobs().isReady() && !bridge->isBusy(); }, 20000));
        auto library = ripen::Library::open(dir / "library");
        REQUIRE(library);
        auto assets = (*library)->catalog().find(ripen::AssetQuery{});
        REQUIRE(assets);
        REQUIRE(assets->size() == 1);
        image = assets->front().id;
    }

    ripen::Asset asset(ripen::AssetId id) {
        auto library = ripen::Library::open(dir / "library");
        REQUIRE(library);
        auto found = (*library)->catalog().asset(id);
        REQUIRE(found);
        return *found;
    }

    std::vector<ripen::Asset> childrenOf(ripen::AssetId id, ripen::AssetKind kind) {
        auto library = ripen::Library::open(dir / "library");
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

    QImage blob(const ripen::Asset& asset) {
        return QImage(QString::fromStdString((dir / "library" / asset.blobPath).string()));
    }
};

void openAndWait(InpaintView& view, ripen::AssetId id) {
    view.openAsset(id);
    REQUIRE(waitUntil([&] { return view.hasImage() && !view.isBusy(); }, 20000));
}

// A drag over the image from `from` to `to` (image pixels) with the mouse.
void paint(MaskCanvas& canvas, QPointF from, QPointF to) {
    const QPoint start = canvas.imageToWidget(from).toPoint();
    const QPoint end = canvas.imageToWidget(to).toPoint();
    QTest::mousePress(&canvas, Qt::LeftButton, Qt::NoModifier, start);
    for (int i = 1; i <= 12; ++i) {
        const QPoint p = start + (end - start) * i / 12;
        QMouseEvent move(QEvent::MouseMove, p, canvas.mapToGlobal(p), Qt::NoButton, Qt::LeftButton,
                         Qt::NoModifier);
        QApplication::sendEvent(&canvas, &move);
    }
    QTest::mouseRelease(&canvas, Qt::LeftButton, Qt::NoModifier, end);
}

} // namespace

TEST_CASE("A painted mask inpainted with a local engine leaves every other pixel as it was",
          "[ui][inpaint][view]") {
    LocalRig rig;
    InpaintView view(*rig.bridge);
    view.resize(1180, 720);
    view.show();
    REQUIRE(QTest::qWaitForWindowExposed(&view));
    openAndWait(view, rig.image);
    REQUIRE(view.canvas().image().size() == QSize(320, 240));
    REQUIRE(view.engineBox().count() >= 4); // Telea, Navier-Stokes, FSR fast and best
    CHECK(view.engineBox().currentText().contains(QStringLiteral("Telea")));
    CHECK(view.estimateText().contains(QStringLiteral("Free")));

    // Paint where the stray object is; the mask follows the drag.
    view.canvas().setFocus();
    paint(view.canvas(), {100, 120}, {180, 120});
    CHECK(view.canvas().mask().pixelColor(140, 120).value() == 255);
    CHECK(view.canvas().mask().pixelColor(140, 200).value() == 0);
    view.featherBox().setValue(0);

    // Inpaint saves the mask with the image, then queues the job.
    view.runInpaint();
    REQUIRE(waitUntil([&] { return view.candidates().count() == 1 && !view.isBusy(); }, 60000));
    INFO(view.statusText().toStdString());
    const auto masks = rig.childrenOf(rig.image, ripen::AssetKind::Mask);
    REQUIRE(masks.size() == 1);
    const auto results = rig.childrenOf(rig.image, ripen::AssetKind::Image);
    REQUIRE(results.size() == 1);
    CHECK(results.front().stage == ripen::Stage::Inpainted);

    // Outside the mask the result is the original, bit for bit; inside it is not.
    const QImage original = rig.blob(rig.asset(rig.image)).convertToFormat(QImage::Format_RGB32);
    const QImage result = rig.blob(results.front()).convertToFormat(QImage::Format_RGB32);
    const QImage mask = rig.blob(masks.front()).convertToFormat(QImage::Format_Grayscale8);
    REQUIRE(result.size() == original.size());
    REQUIRE(mask == view.canvas().mask());
    int outsideDiffers = 0;
    int insideDiffers = 0;
    for (int y = 0; y < original.height(); ++y) {
        for (int x = 0; x < original.width(); ++x) {
            const bool differs = original.pixel(x, y) != result.pixel(x, y);
            (mask.constScanLine(y)[x] == 0 ? outsideDiffers : insideDiffers) += differs ? 1 : 0;
        }
    }
    CHECK(outsideDiffers == 0);
    CHECK(insideDiffers > 100);

    // A/B: choosing the result shows it; the toggle goes back to the image.
    view.candidates().setCurrentRow(0);
    REQUIRE(waitUntil([&] { return !view.canvas().comparison().isNull(); }));
    CHECK(view.canvas().wipe() == 1.0);
    QTest::keyClick(&view.canvas(), Qt::Key_Backslash);
    CHECK(view.canvas().wipe() == 0.0);
    view.setWipe(0.5);
    ripen::test::renderWidget(view, QSize(1180, 720), QStringLiteral("inpaint-view.png"));

    // Accept makes it the picked master, child of the image it came from.
    QSignalSpy accepted(&view, &InpaintView::masterAccepted);
    view.findChild<QPushButton*>(QStringLiteral("inpaintAccept"))->click();
    REQUIRE(accepted.wait(10000));
    const ripen::Asset master = rig.asset(results.front().id);
    CHECK(master.stage == ripen::Stage::Master);
    CHECK(master.flag == ripen::Flag::Pick);
    CHECK(master.parents == std::vector<ripen::AssetId>{rig.image});
}

TEST_CASE("Reopening an image offers its saved masks, and using one restores it",
          "[ui][inpaint][view]") {
    LocalRig rig;
    InpaintView view(*rig.bridge);
    view.resize(1000, 700);
    view.show();
    REQUIRE(QTest::qWaitForWindowExposed(&view));
    openAndWait(view, rig.image);
    CHECK(view.savedMasks().count() == 0);

    // An empty mask is refused with a reason, and nothing is stored.
    view.saveMask();
    CHECK(view.statusText().contains(QStringLiteral("empty")));

    view.canvas().fillShape(MaskCanvas::Tool::Ellipse, QRect(40, 40, 120, 80));
    const QImage painted = view.canvas().mask().copy();
    view.saveMask();
    REQUIRE(waitUntil([&] { return view.savedMasks().count() == 1 && !view.isBusy(); }));
    CHECK(view.canvas().undoStack()->isClean());

    openAndWait(view, rig.image); // a fresh canvas
    REQUIRE(waitUntil([&] { return view.savedMasks().count() == 1; }));
    CHECK_FALSE(view.canvas().hasMarkedPixels());
    view.useSavedMask(0);
    REQUIRE(waitUntil([&] { return view.canvas().hasMarkedPixels(); }));
    CHECK(view.canvas().mask() == painted);
    // Using it is one undo step.
    view.canvas().undoStack()->undo();
    CHECK_FALSE(view.canvas().hasMarkedPixels());
}

TEST_CASE("The main window opens the gallery's image in the inpaint view and Escape returns",
          "[ui][inpaint][window]") {
    LocalRig rig;
    ripen::ui::MainWindow window(*rig.bridge);
    window.resize(1280, 800);
    window.show();
    REQUIRE(QTest::qWaitForWindowExposed(&window));
    window.gallery().setLibraryReady(true); // the library opened before the window
    window.gallery().reload();
    REQUIRE(waitUntil([&] { return window.gallery().selectAsset(rig.image); }));
    window.gallery().grid().setFocus();
    QTest::keyClick(&window.gallery().grid(), Qt::Key_I);
    REQUIRE(window.views().currentWidget() == &window.inpaintView());
    REQUIRE(waitUntil([&] { return window.inpaintView().hasImage() && !window.isBusy(); }));
    CHECK(window.inpaintView().assetId() == rig.image);
    // Painting keys go to the canvas, not to the gallery's culling.
    QTest::keyClick(&window.inpaintView().canvas(), Qt::Key_L);
    CHECK(window.inpaintView().canvas().tool() == MaskCanvas::Tool::Lasso);
    QTest::keyClick(&window.inpaintView().canvas(), Qt::Key_Escape);
    CHECK(window.views().currentWidget() == &window.gallery());
}

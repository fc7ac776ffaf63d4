// The inpaint editor as a view: a library image opened, a mask painted with the mouse,
// saved and reused, a local engine run through the job queue, the result compared and
// accepted as master. Offscreen, end to end through the CoreBridge and its job lane.
#include "inpaint/InpaintView.h"

#include "CoreBridge.h"
#include "EditorTestSupport.h"
#include "MainWindow.h"
#include "ProductionTestSupport.h"
#include "UiTestSupport.h"
#include "catalog/Library.h"
#include "core/providers/google/GoogleFakeServer.h"
#include "gallery/GalleryView.h"
#include "inpaint/MaskCanvas.h"
#include "providers/google/GoogleProvider.h"
#include "providers/local/LocalProvider.h"
#include "providers/openai/OpenAiImagesProvider.h"
#include "queue/JobLane.h"
#include "support/fakes/OpenAiFakeServer.h"

#include <QApplication>
#include <QCheckBox>
#include <QComboBox>
#include <QListView>
#include <QListWidget>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QSignalSpy>
#include <QSlider>
#include <QSpinBox>
#include <QStackedWidget>
#include <QTest>
#include <QUndoStack>
#include <catch2/catch.hpp>

using ripen::test::waitUntil;
using ripen::ui::CoreBridge;
using ripen::ui::InpaintView;
using ripen::ui::MaskCanvas;

namespace {

// A library holding one 320x240 image, its queue running the local engines.
struct LocalRig : ripen::test::ImageLibraryRig {
    LocalRig()
        : ImageLibraryRig(QSize(320, 240), [](ripen::ProviderRegistry& registry) {
              registry.add(std::make_unique<ripen::LocalProvider>(), {1, 100000});
          }) {}

    QImage blob(const ripen::Asset& asset) const {
        return QImage(QString::fromStdString(blobOf(asset).string()));
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

// Pixels of `result` that differ from `original`, outside and inside the mask.
std::pair<int, int> differences(const QImage& original, const QImage& result, const QImage& mask) {
    int outside = 0;
    int inside = 0;
    for (int y = 0; y < original.height(); ++y) {
        for (int x = 0; x < original.width(); ++x) {
            const bool differs = original.pixel(x, y) != result.pixel(x, y);
            (mask.constScanLine(y)[x] == 0 ? outside : inside) += differs ? 1 : 0;
        }
    }
    return {outside, inside};
}

// The one result of a provider inpaint of `rig`'s image: it is the original's size, every
// pixel outside its saved mask is unchanged, and the masked region was repainted.
ripen::Asset checkOnlyMaskedRegionChanged(ripen::test::ImageLibraryRig& rig) {
    const auto results = rig.childrenOf(rig.image, ripen::AssetKind::Image);
    REQUIRE(results.size() == 1);
    const auto masks = rig.childrenOf(rig.image, ripen::AssetKind::Mask);
    REQUIRE(masks.size() == 1);
    const auto load = [&](const ripen::Asset& asset, QImage::Format format) {
        return QImage(QString::fromStdString(rig.blobOf(asset).string())).convertToFormat(format);
    };
    const QImage original = load(rig.asset(rig.image), QImage::Format_RGB32);
    const QImage result = load(results.front(), QImage::Format_RGB32);
    REQUIRE(result.size() == original.size());
    const auto [outside, inside] =
        differences(original, result, load(masks.front(), QImage::Format_Grayscale8));
    CHECK(outside == 0);
    CHECK(inside > 1000);
    return results.front();
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
    const auto [outsideDiffers, insideDiffers] = differences(original, result, mask);
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
    ripen::test::openFromGallery(window, rig, Qt::Key_I);
    REQUIRE(window.views().currentWidget() == &window.inpaintView());
    REQUIRE(waitUntil([&] { return window.inpaintView().hasImage() && !window.isBusy(); }));
    CHECK(window.inpaintView().assetId() == rig.image);
    // Painting keys go to the canvas, not to the gallery's culling.
    QTest::keyClick(&window.inpaintView().canvas(), Qt::Key_L);
    CHECK(window.inpaintView().canvas().tool() == MaskCanvas::Tool::Lasso);
    QTest::keyClick(&window.inpaintView().canvas(), Qt::Key_Escape);
    CHECK(window.views().currentWidget() == &window.gallery());
}

TEST_CASE("A provider's inpaint of another size is pasted back through the mask",
          "[ui][inpaint][view][openai]") {
    ripen::test::OpenAiFakeServer openai; // answers every edit with a 64x48 picture
    ripen::test::ImageLibraryRig rig(
        QSize(320, 240),
        [](ripen::ProviderRegistry& registry) {
            registry.add(std::make_unique<ripen::OpenAiImagesProvider>(), {2, 600});
        },
        {{"openai", {{openai.baseUrl()}, 0, 0}}},
        {{"OPENAI_API_KEY", ripen::test::OpenAiFakeServer::kApiKey}});
    InpaintView view(*rig.bridge);
    view.resize(1000, 700);
    view.show();
    REQUIRE(QTest::qWaitForWindowExposed(&view));
    openAndWait(view, rig.image);
    REQUIRE(view.engineBox().count() >= 1);
    CHECK(view.engineBox().currentText().contains(QStringLiteral("OpenAI")));
    // Without a prompt the run is refused; with one it is priced before it is sent.
    view.canvas().fillShape(MaskCanvas::Tool::Ellipse, QRect(200, 60, 90, 120));
    view.featherBox().setValue(0);
    view.runInpaint();
    REQUIRE(waitUntil([&] { return !view.isBusy(); }));
    CHECK(view.statusText().contains(QStringLiteral("prompt")));
    view.promptField().setPlainText(QStringLiteral("a red kite in the sky"));
    CHECK(view.estimateText().startsWith(QStringLiteral("Estimate: ")));
    CHECK(openai.problems().empty());

    view.runInpaint();
    REQUIRE(waitUntil([&] { return view.candidates().count() == 1 && !view.isBusy(); }, 60000));
    INFO(view.statusText().toStdString());
    CHECK(openai.problems().empty());
    checkOnlyMaskedRegionChanged(rig);
}

TEST_CASE("Nano Banana is an inpaint engine with its price, kept out of what is not masked",
          "[ui][inpaint][view][google]") {
    ripen::test::google::GoogleFakeServer gemini;
    // Gemini answers a whole new picture of another size.
    gemini.setImageReplies({ripen::test::FakeReply::json(
        200, ripen::test::google::GoogleFakeServer::contentReply(nlohmann::json::array(
                 {ripen::test::google::GoogleFakeServer::imagePart(ripen::test::encodeTestImage(
                     ripen::test::makeTestImage(512, 512, 6), ".png"))})))});
    ripen::test::ImageLibraryRig rig(
        QSize(320, 240),
        [](ripen::ProviderRegistry& registry) {
            registry.add(std::make_unique<ripen::providers::google::GoogleProvider>(), {2, 600});
        },
        {{"google", {{gemini.baseUrl()}, 0, 0}}},
        {{"GEMINI_API_KEY", ripen::test::google::kApiKey}});
    InpaintView view(*rig.bridge);
    view.resize(1000, 700);
    view.show();
    REQUIRE(QTest::qWaitForWindowExposed(&view));
    openAndWait(view, rig.image);
    // The current Nano Banana models are offered; the one Google shut down is not.
    QStringList labels;
    for (int i = 0; i < view.engineBox().count(); ++i) {
        labels << view.engineBox().itemText(i);
    }
    INFO(labels.join(QStringLiteral(" | ")).toStdString());
    const int pro =
        view.engineBox().findText(QStringLiteral("Google Gemini API — Nano Banana Pro"));
    REQUIRE(pro >= 0);
    CHECK(view.engineBox().findText(QStringLiteral("Google Gemini API — Nano Banana")) < 0);
    view.engineBox().setCurrentIndex(pro);
    view.promptField().setPlainText(QStringLiteral("a brass lantern"));
    CHECK(view.estimateText() == QStringLiteral("Estimate: $0.134 per result"));

    view.canvas().fillShape(MaskCanvas::Tool::Rectangle, QRect(40, 30, 80, 60));
    view.featherBox().setValue(0);
    view.runInpaint();
    REQUIRE(waitUntil([&] { return view.candidates().count() == 1 && !view.isBusy(); }, 60000));
    INFO(view.statusText().toStdString());
    CHECK(gemini.keyProblems().empty());
    const auto bodies = gemini.bodies(":generateContent");
    REQUIRE(bodies.size() == 1);
    CHECK_THAT(bodies.front()["contents"][0]["parts"][0]["text"].get<std::string>(),
               Catch::Contains("(top left): a brass lantern"));
    const ripen::Asset result = checkOnlyMaskedRegionChanged(rig);
    CHECK(result.generation.params["engine"] == "google:gemini-3-pro-image");
    ripen::test::renderWidget(view, QSize(1180, 720), QStringLiteral("inpaint-gemini.png"));
}

TEST_CASE("Brush opacity, overlay colour and the seam's colour match are the user's choice",
          "[ui][inpaint][view]") {
    LocalRig rig;
    InpaintView view(*rig.bridge);
    view.resize(1180, 720);
    view.show();
    REQUIRE(QTest::qWaitForWindowExposed(&view));
    openAndWait(view, rig.image);

    // A stroke at 50% opacity marks half of full, its overlaps included.
    view.brushOpacity().setValue(50);
    CHECK(view.canvas().brush().opacity == 0.5);
    view.canvas().setFocus();
    paint(view.canvas(), {100, 120}, {180, 120});
    paint(view.canvas(), {140, 90}, {140, 150}); // a second stroke across the first
    CHECK(view.canvas().mask().pixelColor(140, 120).value() == 128);
    CHECK(view.canvas().mask().pixelColor(140, 200).value() == 0);

    // The overlay takes the chosen colour; H hides it, M shows the mask alone.
    const QPoint onStroke = view.canvas().imageToWidget({160, 120}).toPoint();
    const QColor red = view.canvas().grab().toImage().pixelColor(onStroke);
    view.overlayColourBox().setCurrentIndex(
        view.overlayColourBox().findText(QStringLiteral("Green")));
    CHECK(view.canvas().overlayColor().green() > view.canvas().overlayColor().red());
    const QColor green = view.canvas().grab().toImage().pixelColor(onStroke);
    CHECK(green.green() > red.green() + 20);
    CHECK(green.red() < red.red() - 20);
    ripen::test::renderWidget(view, QSize(1180, 720), QStringLiteral("inpaint-opacity-green.png"));
    QTest::keyClick(&view.canvas(), Qt::Key_H);
    CHECK_FALSE(view.canvas().overlayVisible());
    QTest::keyClick(&view.canvas(), Qt::Key_M);
    REQUIRE(view.canvas().maskOnly());
    const QColor alone = view.canvas().grab().toImage().pixelColor(onStroke);
    CHECK(alone.value() == 128); // the mask's own grey
    ripen::test::renderWidget(view, QSize(1180, 720), QStringLiteral("inpaint-mask-alone.png"));
    QTest::keyClick(&view.canvas(), Qt::Key_M);

    // "Match colour at the seam" travels with the job.
    view.matchColourBox().setChecked(true);
    view.runInpaint();
    REQUIRE(waitUntil([&] { return view.candidates().count() == 1 && !view.isBusy(); }, 60000));
    const auto& jobs = rig.bridge->jobs().jobs();
    REQUIRE_FALSE(jobs.empty());
    CHECK(jobs.back().request.options.value("match_colour", false) == true);
}

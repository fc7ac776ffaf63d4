// The upscale review view: a real library with an original and an upscale of it that has
// noise in the sky and halos along an edge, loaded through the view's worker, driven by
// simulated wheel, mouse and key events, and rendered to a screenshot.
#include "CoreBridge.h"
#include "UiTestSupport.h"
#include "catalog/AssetIngest.h"
#include "catalog/Library.h"
#include "jobs/UpscaleJob.h"
#include "providers/ProviderRegistry.h"
#include "providers/local/LocalProvider.h"
#include "queue/JobLane.h"
#include "support/TempDir.h"
#include "support/TestImages.h"
#include "tools/WidgetScreenshot.h"
#include "upscale/UpscaleCompareCanvas.h"
#include "upscale/UpscaleReviewView.h"

#include <QApplication>
#include <QComboBox>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QTest>
#include <QWheelEvent>
#include <catch2/catch.hpp>
#include <opencv2/imgproc.hpp>

using namespace ripen;
using namespace ripen::ui;
using ripen::test::waitUntil;

namespace {

// A sky gradient over a dark building and a bright disc: smooth areas and hard edges.
cv::Mat scene() {
    cv::Mat image(160, 240, CV_8UC3);
    for (int y = 0; y < image.rows; ++y) {
        const auto level = static_cast<unsigned char>(140 + y * 50 / image.rows);
        image.row(y).setTo(cv::Scalar(level + 45, level + 10, level - 30));
    }
    cv::rectangle(image, {150, 70, 60, 90}, cv::Scalar(35, 40, 45), cv::FILLED);
    cv::circle(image, {60, 110}, 26, cv::Scalar(220, 235, 245), cv::FILLED);
    cv::GaussianBlur(image, image, cv::Size(0, 0), 0.7);
    return image;
}

// The scene x4 with noise invented in a patch of sky and an over-sharpened building edge.
cv::Mat flawedUpscale(const cv::Mat& original) {
    cv::Mat up;
    cv::resize(original, up, cv::Size(), 4, 4, cv::INTER_LANCZOS4);
    const cv::Rect sky(96, 64, 256, 160);
    cv::Mat noise(sky.size(), CV_16SC3);
    cv::theRNG().state = 11;
    cv::randn(noise, 0, 7);
    cv::Mat patch;
    up(sky).convertTo(patch, CV_16SC3);
    cv::Mat(patch + noise).convertTo(up(sky), CV_8UC3);
    const cv::Rect edge(560, 280, 80, 360);
    cv::Mat blurred;
    cv::GaussianBlur(up, blurred, cv::Size(0, 0), 3.0);
    cv::Mat sharpened;
    cv::addWeighted(up, 2.5, blurred, -1.5, 0, sharpened);
    sharpened(edge).copyTo(up(edge));
    return up;
}

struct ReviewLibrary {
    test::TempDir dir;
    AssetId original = 0;
    AssetId upscale = 0;

    ReviewLibrary() {
        const cv::Mat source = scene();
        test::writeTestImage(dir / "original.png", source);
        test::writeTestImage(dir / "upscale.png", flawedUpscale(source));
        auto library = Library::open(dir / "library");
        REQUIRE(library);
        AssetIngest ingest(**library);
        NullProgress progress;
        auto first = ingest.prepare(dir / "original.png", Asset{}, progress);
        REQUIRE(first);
        original = (*library)->catalog().addAsset(*first).value();
        Asset base;
        base.stage = Stage::Upscaled;
        base.parents = {original};
        base.generation.provider = "local";
        base.generation.params = {{"upscale_engine", "lanczos"},
                                  {"upscale_target", {{"spec", "x4"}}}};
        auto second = ingest.prepare(dir / "upscale.png", base, progress);
        REQUIRE(second);
        upscale = (*library)->catalog().addAsset(*second).value();
    }
};

struct ReviewFixture {
    QApplication& app = test::uiApp(); // before any widget
    ReviewLibrary library;
    CoreBridge bridge{library.dir / "library"};
    UpscaleReviewView view{bridge};

    ReviewFixture() {
        bridge.openLibrary();
        REQUIRE(waitUntil([&] { return bridge.isOpen(); }));
        view.resize(1400, 860);
        view.show();
        view.showAsset(library.upscale);
        REQUIRE(waitUntil([&] { return !view.isLoading() && view.worstTiles().count() > 0; }));
    }

    UpscaleCompareCanvas& canvas() { return view.canvas(); }
};

void wheel(QWidget& widget, QPointF at, int notches) {
    QWheelEvent event(at, widget.mapToGlobal(at), QPoint(), QPoint(0, 120 * notches), Qt::NoButton,
                      Qt::NoModifier, Qt::NoScrollPhase, false);
    QApplication::sendEvent(&widget, &event);
}

bool near(QPointF a, QPointF b, double tolerance = 0.5) {
    return std::abs(a.x() - b.x()) <= tolerance && std::abs(a.y() - b.y()) <= tolerance;
}

} // namespace

TEST_CASE("The upscale review shows the verdict, the figures and the worst tiles",
          "[ui][upscale]") {
    ReviewFixture f;
    CHECK(f.view.verdict().text().contains(QStringLiteral("Likely artifacts")));
    CHECK(f.canvas().paneCount() == 2);
    CHECK(f.view.candidates().count() == 1);
    // A re-run is offered with the default engine: the GAN model when it is installed.
    const QString gan = QString::fromUtf8(kDefaultNeuralEngine.data(),
                                          static_cast<int>(kDefaultNeuralEngine.size()));
    const bool ganInstalled = f.view.engineChoice().findText(gan) >= 0;
    CHECK(f.view.engineChoice().currentText() == (ganInstalled ? gan : QStringLiteral("lanczos")));
    // 960x640 on 18x24 in turns to 24x18 in: 640 / 18 = 36 DPI.
    CHECK(f.view.printReadiness().text().contains(QStringLiteral("36 DPI at 24x18 in")));
    f.view.printSize().setText(QStringLiteral("3.2x2.1in"));
    CHECK(f.view.printReadiness().text().contains(QStringLiteral("300 DPI")));
    CHECK(f.view.printReadiness().text().contains(QStringLiteral("print-ready")));
    f.view.printSize().setText(QStringLiteral("18x24in"));

    f.view.overlayChoice().setCurrentIndex(1);
    const QString file = test::screenshotDir() + QStringLiteral("/upscale-review.png");
    REQUIRE(WidgetScreenshot::save(f.view, file));
    // The loupe over the sharpened edge of the building, at fit zoom.
    f.canvas().setLoupe(true);
    QTest::mouseMove(&f.canvas(), f.canvas().imageToWidget(1, QPointF(600, 420)).toPoint());
    REQUIRE(WidgetScreenshot::save(f.view, test::screenshotDir() +
                                               QStringLiteral("/upscale-review-loupe.png")));
    f.canvas().setLoupe(false);
    f.view.overlayChoice().setCurrentIndex(2);
    f.view.modeChoice().setCurrentIndex(1);
    REQUIRE(WidgetScreenshot::save(f.view, test::screenshotDir() +
                                               QStringLiteral("/upscale-review-wipe.png")));
}

TEST_CASE("Zoom and pan stay synchronised between original and upscale", "[ui][upscale]") {
    ReviewFixture f;
    UpscaleCompareCanvas& canvas = f.canvas();
    const double fit = canvas.zoom();
    CHECK(fit == Approx(canvas.fitZoom()));

    // Wheel over a point of the upscale pane: that image point stays under the pointer and
    // the original pane shows the same region.
    const QPointF at = canvas.paneRect(1).center() + QPointF(60, -40);
    const QPointF under = canvas.widgetToImage(1, at);
    wheel(canvas, at, 3);
    CHECK(canvas.zoom() == Approx(fit * 1.25 * 1.25 * 1.25));
    CHECK(near(canvas.widgetToImage(1, at), under));
    CHECK(canvas.visibleImageRect(0) == canvas.visibleImageRect(1));

    // Dragging in the original pane pans both.
    const QPointF before = canvas.center();
    const QPoint from = canvas.paneRect(0).center().toPoint();
    QTest::mousePress(&canvas, Qt::LeftButton, Qt::NoModifier, from);
    QTest::mouseMove(&canvas, from + QPoint(-80, -50));
    QTest::mouseRelease(&canvas, Qt::LeftButton, Qt::NoModifier, from + QPoint(-80, -50));
    CHECK(canvas.center().x() == Approx(before.x() + 80 / canvas.zoom()));
    CHECK(canvas.center().y() == Approx(before.y() + 50 / canvas.zoom()));
    CHECK(canvas.visibleImageRect(0) == canvas.visibleImageRect(1));

    // Z is 100%, F fits again.
    canvas.setFocus();
    QTest::keyClick(&canvas, Qt::Key_Z);
    CHECK(canvas.zoom() == 1.0);
    CHECK(canvas.visibleImageRect(0).width() == Approx(canvas.paneRect(0).width()));
    QTest::keyClick(&canvas, Qt::Key_F);
    CHECK(canvas.zoom() == Approx(fit));
}

TEST_CASE("The wipe's split follows a drag; a drag elsewhere pans", "[ui][upscale]") {
    ReviewFixture f;
    UpscaleCompareCanvas& canvas = f.canvas();
    f.view.modeChoice().setCurrentIndex(1);
    REQUIRE(canvas.mode() == UpscaleCompareCanvas::Mode::Wipe);
    REQUIRE(canvas.paneCount() == 1);
    CHECK(canvas.split() == 0.5);
    const int y = canvas.height() / 2;
    const QPoint handle(canvas.width() / 2, y);
    QTest::mousePress(&canvas, Qt::LeftButton, Qt::NoModifier, handle);
    QTest::mouseMove(&canvas, QPoint(canvas.width() * 3 / 10, y));
    QTest::mouseRelease(&canvas, Qt::LeftButton, Qt::NoModifier,
                        QPoint(canvas.width() * 3 / 10, y));
    CHECK(canvas.split() == Approx(0.3).margin(0.01));

    wheel(canvas, QPointF(canvas.width() * 0.7, y), 4);
    const QPointF centre = canvas.center();
    const QPoint from(canvas.width() * 3 / 4, y);
    QTest::mousePress(&canvas, Qt::LeftButton, Qt::NoModifier, from);
    QTest::mouseMove(&canvas, from + QPoint(40, 0));
    QTest::mouseRelease(&canvas, Qt::LeftButton, Qt::NoModifier, from + QPoint(40, 0));
    CHECK(canvas.split() == Approx(0.3).margin(0.01));
    CHECK(canvas.center().x() == Approx(centre.x() - 40 / canvas.zoom()));
}

TEST_CASE("A click on a worst tile shows it at 100%", "[ui][upscale]") {
    ReviewFixture f;
    QListWidget& tiles = f.view.worstTiles();
    REQUIRE(tiles.count() >= 2);
    QListWidgetItem* second = tiles.item(1);
    const QRectF tile = second->data(Qt::UserRole).toRectF();
    QTest::mouseClick(tiles.viewport(), Qt::LeftButton, Qt::NoModifier,
                      tiles.visualItemRect(second).center());
    CHECK(f.canvas().zoom() == 1.0);
    CHECK(near(f.canvas().center(), tile.center()));
    CHECK(f.canvas().visibleImageRect(1).contains(tile));
    CHECK(f.canvas().visibleImageRect(0) == f.canvas().visibleImageRect(1));
    // The worst tile is over the invented noise or the halo.
    const QRectF worst = tiles.item(0)->data(Qt::UserRole).toRectF();
    CHECK((worst.intersects(QRectF(96, 64, 256, 160)) ||
           worst.intersects(QRectF(560, 280, 80, 360))));
}

TEST_CASE("Re-running with another engine queues an upscale that lands as a candidate",
          "[ui][upscale]") {
    ReviewFixture f;
    JobLane& lane = f.bridge.jobs();
    lane.setRegistryFactory([](ProviderRegistry& registry) {
        registry.add(std::make_unique<LocalProvider>(), {1, 600});
    });
    lane.start();
    REQUIRE(waitUntil([&] { return lane.isReady() && !lane.isBusy(); }, 20000));
    f.view.engineChoice().setEditText(QStringLiteral("lanczos"));
    f.view.rerun();
    CHECK(f.view.status().text().contains(QStringLiteral("Queued an upscale of #1 to x4")));
    REQUIRE(waitUntil([&] { return f.view.candidates().count() == 2; }, 30000));
    QListWidgetItem* rerun = f.view.candidates().item(1);
    CHECK(rerun->text().contains(QStringLiteral("lanczos  960x640")));
    const qlonglong rerunId = rerun->data(Qt::UserRole).toLongLong();
    // A click on the candidate shows it (the list is rebuilt); the honest Lanczos upscale
    // is clean.
    QTest::mouseClick(f.view.candidates().viewport(), Qt::LeftButton, Qt::NoModifier,
                      f.view.candidates().visualItemRect(rerun).center());
    REQUIRE(waitUntil([&] {
        return f.view.asset() == rerunId && !f.view.isLoading() &&
               f.view.verdict().text().contains(QStringLiteral("Clean"));
    }));

    f.view.accept();
    REQUIRE(waitUntil([&] { return !f.bridge.isBusy(); }));
    auto library = Library::open(f.library.dir / "library");
    REQUIRE(library);
    const auto accepted = (*library)->catalog().asset(f.view.asset());
    REQUIRE(accepted);
    CHECK(accepted->flag == Flag::Pick);
    CHECK(accepted->stage == Stage::Upscaled);
    CHECK(accepted->parents == std::vector<AssetId>{f.library.original});
}

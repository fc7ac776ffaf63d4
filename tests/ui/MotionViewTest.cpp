// The Motion view: a keyframe from the library previewed under a camera move, rendered
// to an MP4 asset and played back; image-to-video sent to a loopback Kling with its cost
// shown first. Offscreen, through the CoreBridge and its job lane.
#include "motion/MotionView.h"

#include "CoreBridge.h"
#include "EditorTestSupport.h"
#include "MainWindow.h"
#include "MotionRig.h"
#include "ProductionTestSupport.h"
#include "UiTestSupport.h"
#include "catalog/Library.h"
#include "gallery/GalleryView.h"
#include "motion/ConsistencyStrip.h"
#include "motion/FramePlayer.h"
#include "providers/kling/KlingProvider.h"
#include "queue/JobLane.h"
#include "support/TestVideos.h"
#include "support/fakes/KlingFakeServer.h"
#include "video/VideoProbe.h"

#include <QComboBox>
#include <QDoubleSpinBox>
#include <QListView>
#include <QListWidget>
#include <QPlainTextEdit>
#include <QSignalSpy>
#include <QStackedWidget>
#include <QTest>
#include <catch2/catch.hpp>
#include <cmath>
#include <fstream>
#include <iterator>

using ripen::test::MotionRig;
using ripen::test::openAndWait;
using ripen::test::waitUntil;
using ripen::ui::CoreBridge;
using ripen::ui::MotionView;

TEST_CASE("A camera move previews live and renders to an MP4 clip of the keyframe",
          "[ui][motion]") {
    MotionRig rig;
    MotionView view(rig.bridge);
    view.resize(1180, 720);
    view.show();
    REQUIRE(QTest::qWaitForWindowExposed(&view));
    openAndWait(view, rig.still);

    // The default move (zoom in, 6 s, 1080p30) previews at 480x270, 30 fps, in real time.
    CHECK(view.player().frameCount() == 180);
    CHECK(view.player().fps() == 30);
    CHECK(view.player().isPlaying());

    // Choosing another move replays the preview with it; the settings make the request.
    view.moveBox().setCurrentIndex(view.moveBox().findText(QStringLiteral("Pan right")));
    view.durationBox().setValue(1);
    view.sizeBox().setCurrentIndex(1); // 1280x720
    view.fpsBox().setCurrentIndex(0);  // 24 fps
    REQUIRE(waitUntil([&] { return view.player().frameCount() == 24 && !view.isBusy(); }));
    const ripen::StillMoveRequest request = view.moveRequest();
    CHECK(request.move == "pan-right");
    CHECK(request.durationSeconds == 1);
    CHECK(request.video.width == 1280);
    CHECK(request.video.height == 720);
    CHECK(request.video.fps == 24);
    view.player().setPlaying(false);
    view.player().showFrame(12);
    ripen::test::renderWidget(view, QSize(1180, 720), QStringLiteral("motion-view.png"));

    QSignalSpy rendered(&view, &MotionView::clipRendered);
    view.renderMove();
    REQUIRE(rendered.wait(60000));
    const auto videos = rig.videosOf(rig.still);
    REQUIRE(videos.size() == 1);
    CHECK(videos.front().stage == ripen::Stage::Clip);
    CHECK(videos.front().parents == std::vector<ripen::AssetId>{rig.still});
    auto info = ripen::probeVideo(rig.library.blobOf(videos.front()));
    REQUIRE(info);
    CHECK(info->width == 1280);
    CHECK(info->height == 720);
    CHECK(info->codecName == "h264");
    CHECK(info->frameRateNum == 24 * info->frameRateDen);
    CHECK(info->durationMicros == Approx(1'000'000).margin(42'000));

    // It is listed with the keyframe and plays inside the view.
    REQUIRE(waitUntil([&] { return view.clips().count() == 1 && !view.isBusy(); }));
    view.playClip(0);
    REQUIRE(waitUntil([&] { return view.player().frameCount() == 24 && !view.isBusy(); }));
    CHECK(view.player().fps() == 24);
    // A clean camera move is consistent: nothing flagged, no worst moments.
    REQUIRE(view.consistencyStrip().hasReport());
    CHECK(view.consistencyStrip().report().flaggedCount == 0);
    CHECK(view.worstMoments().count() == 0);

    // Cut into half-second segments: children of the clip that add up to it.
    QSignalSpy derived(&view, &MotionView::clipDerived);
    view.clips().setCurrentRow(0);
    view.cutEveryBox().setValue(0.5);
    view.cutClip(0);
    REQUIRE(derived.wait(60000));
    INFO(view.statusText().toStdString());
    const auto segments = rig.library.childrenOf(videos.front().id, ripen::AssetKind::Video);
    REQUIRE(segments.size() == 2);
    std::int64_t total = 0;
    for (const ripen::Asset& segment : segments) {
        CHECK(segment.stage == ripen::Stage::Clip);
        total += segment.durationMicros.value_or(0);
    }
    CHECK(total == Approx(1'000'000).margin(42'000));
    CHECK(view.clips().count() == 3); // the clip and its segments, each playable

    // The poster frame becomes an image of the clip, and can start the next move.
    view.extractPoster(0);
    REQUIRE(derived.wait(60000));
    const auto frames = rig.library.childrenOf(videos.front().id, ripen::AssetKind::Image);
    REQUIRE(frames.size() == 1);
    CHECK(frames.front().width == 1280);
    view.openFrameAsKeyframe();
    REQUIRE(waitUntil([&] { return view.hasKeyframe() && !view.isBusy(); }, 30000));
    CHECK(view.assetId() == frames.front().id);
}

TEST_CASE("Image to video shows its cost before it is sent and lands as a clip",
          "[ui][motion][kling]") {
    MotionRig rig;
    rig.kling.setProcessingPolls(0);
    MotionView view(rig.bridge);
    view.resize(1180, 720);
    view.show();
    openAndWait(view, rig.still);
    REQUIRE(view.cloudEngineBox().count() >= 1);
    CHECK(view.cloudEngineBox().currentText().contains(QStringLiteral("Kling")));
    // Priced before anything is sent.
    CHECK(view.cloudEstimateText().startsWith(QStringLiteral("Estimate: ")));
    CHECK(rig.kling.createBodies().empty());

    view.sendImageToVideo(); // no prompt yet
    CHECK(view.statusText().contains(QStringLiteral("prompt")));
    view.cloudPrompt().setPlainText(QStringLiteral("waves roll in, gulls drift"));
    auto request = view.imageToVideoRequest();
    REQUIRE(request);
    CHECK(request->kind == ripen::JobKind::ImageToVideo);
    REQUIRE(request->images.size() == 1);
    view.sendImageToVideo();
    REQUIRE(waitUntil([&] { return view.clips().count() == 1 && !view.isBusy(); }, 90000));
    REQUIRE(rig.kling.createBodies().size() == 1); // sent once
    CHECK(rig.kling.createBodies().front().value("prompt", "") == "waves roll in, gulls drift");
    const auto videos = rig.videosOf(rig.still);
    REQUIRE(videos.size() == 1);
    CHECK(videos.front().generation.provider == "kling");
}

TEST_CASE("The main window opens the gallery's image as the Motion view's keyframe",
          "[ui][motion][window]") {
    MotionRig rig;
    ripen::ui::MainWindow window(rig.bridge);
    ripen::test::openFromGallery(window, rig.library, Qt::Key_M);
    REQUIRE(window.views().currentWidget() == &window.motionView());
    REQUIRE(waitUntil([&] { return window.motionView().hasKeyframe() && !window.isBusy(); }));
    CHECK(window.motionView().assetId() == rig.still);
    QTest::keyClick(&window.motionView(), Qt::Key_Escape);
    CHECK(window.views().currentWidget() == &window.gallery());
}

TEST_CASE("The consistency strip marks a generated clip's spike and its worst moment seeks there",
          "[ui][motion][kling]") {
    MotionRig rig;
    rig.kling.setProcessingPolls(0);
    // What Kling returns: a 2 s pan at 25 fps with a frame from elsewhere at 1 s (a pop that
    // no camera move explains).
    const cv::Mat scene = ripen::test::makeTexturedStill(800, 360, 9);
    const cv::Mat elsewhere = ripen::test::makeTexturedStill(320, 180, 3);
    const auto clipFile = rig.library.dir / "popped.mp4";
    ripen::test::writeTestClip(clipFile, 320, 180, 25, 50, [&](int i) {
        return i == 25 ? elsewhere.clone() : scene(cv::Rect(4 * i, 60, 320, 180)).clone();
    });
    std::ifstream in(clipFile, std::ios::binary);
    rig.kling.setVideo(std::string(std::istreambuf_iterator<char>(in), {}));

    MotionView view(rig.bridge);
    view.resize(1180, 720);
    view.show();
    openAndWait(view, rig.still);
    view.cloudPrompt().setPlainText(QStringLiteral("the camera glides right"));
    view.sendImageToVideo();
    REQUIRE(waitUntil([&] { return view.clips().count() == 1 && !view.isBusy(); }, 90000));

    // Playing the clip checks it off the GUI thread; the strip and the list show the spike.
    view.playClip(0);
    REQUIRE(
        waitUntil([&] { return view.consistencyStrip().hasReport() && !view.isBusy(); }, 60000));
    const ripen::ConsistencyReport& report = view.consistencyStrip().report();
    CHECK(report.changes.size() == 49);
    REQUIRE(report.flaggedCount >= 1);
    REQUIRE(view.worstMoments().count() == static_cast<int>(report.worst.size()));
    const ripen::FrameChange worst = report.worst.front();
    CHECK(worst.seconds == Approx(1.0).margin(0.05));
    CHECK(view.worstMoments().item(0)->text().startsWith(QStringLiteral("1.0 s")));

    // The spike is drawn in the alarm colour where it happened, calm bars elsewhere.
    ripen::ui::ConsistencyStrip& strip = view.consistencyStrip();
    const QImage drawn = strip.grab().toImage();
    const int bottom = drawn.height() - 1;
    const QColor spike =
        drawn.pixelColor(static_cast<int>(strip.xForSeconds(worst.seconds)) - 1, bottom);
    CHECK(spike.red() > 200);
    CHECK(spike.green() < 100);
    const QColor calm = drawn.pixelColor(static_cast<int>(strip.xForSeconds(0.4)) - 1, bottom);
    CHECK(calm != spike);
    ripen::test::renderWidget(view, QSize(1180, 720), QStringLiteral("motion-consistency.png"));

    // Clicking the worst moment shows that frame, paused; clicking the strip seeks too.
    view.player().setPlaying(true);
    QListWidget& list = view.worstMoments();
    QTest::mouseClick(list.viewport(), Qt::LeftButton, Qt::NoModifier,
                      list.visualItemRect(list.item(0)).center());
    CHECK_FALSE(view.player().isPlaying());
    CHECK(view.player().frameCount() == 50);
    CHECK(view.player().currentFrame() == worst.index); // the flagged frame itself
    QTest::mouseClick(&strip, Qt::LeftButton, Qt::NoModifier,
                      QPoint(static_cast<int>(strip.xForSeconds(0.5)), strip.height() / 2));
    CHECK(std::abs(view.player().currentFrame() - 12) <= 1);
}

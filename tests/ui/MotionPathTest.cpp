// The Motion view's keyframed path editor and its cutting: keys drawn with the mouse over
// the still, the route previewed as rectangles, the path saved, loaded and rendered as a
// clip; a clip cut at its scene change and at marked in/out points, reframed, into
// segment assets. Offscreen, through the CoreBridge, checked in the catalog and with
// core's probe.
#include "CoreBridge.h"
#include "EditorTestSupport.h"
#include "MotionRig.h"
#include "ProductionTestSupport.h"
#include "UiTestSupport.h"
#include "motion/ConsistencyStrip.h"
#include "motion/FramePlayer.h"
#include "motion/MotionView.h"
#include "motion/PathEditor.h"
#include "motion/PathPanel.h"
#include "providers/kling/KlingProvider.h"
#include "support/TestVideos.h"
#include "support/fakes/KlingFakeServer.h"
#include "video/CameraPath.h"
#include "video/VideoProbe.h"

#include <QApplication>
#include <QComboBox>
#include <QDoubleSpinBox>
#include <QLineEdit>
#include <QListWidget>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QSignalSpy>
#include <QTest>
#include <QWheelEvent>
#include <catch2/catch.hpp>
#include <fstream>
#include <iterator>

using ripen::test::MotionRig;
using ripen::test::openAndWait;
using ripen::test::waitUntil;
using ripen::ui::MotionView;
using ripen::ui::PathEditor;

namespace {

void openView(MotionView& view, ripen::AssetId id) {
    view.resize(1180, 720);
    view.show();
    REQUIRE(QTest::qWaitForWindowExposed(&view));
    openAndWait(view, id);
}

QPoint at(PathEditor& editor, double x, double y) {
    return editor.sourceToWidget(QPointF(x, y)).toPoint();
}

// A drag with the left button from `from` to `to` (widget pixels), in steps.
void drag(QWidget& widget, QPoint from, QPoint to) {
    QTest::mousePress(&widget, Qt::LeftButton, Qt::NoModifier, from);
    for (int i = 1; i <= 8; ++i) {
        const QPoint p = from + (to - from) * i / 8;
        QMouseEvent move(QEvent::MouseMove, p, widget.mapToGlobal(p), Qt::NoButton, Qt::LeftButton,
                         Qt::NoModifier);
        QApplication::sendEvent(&widget, &move);
    }
    QTest::mouseRelease(&widget, Qt::LeftButton, Qt::NoModifier, to);
}

void wheelUp(QWidget& widget, QPoint where) {
    QWheelEvent wheel(where, widget.mapToGlobal(where), QPoint(), QPoint(0, 120), Qt::NoButton,
                      Qt::NoModifier, Qt::NoScrollPhase, false);
    QApplication::sendEvent(&widget, &wheel);
}

void choose(QComboBox& box, const QString& text) {
    const int index = box.findText(text);
    REQUIRE(index >= 0);
    box.setCurrentIndex(index);
}

} // namespace

TEST_CASE("A keyframed path is drawn with the mouse, previewed, saved and rendered",
          "[ui][motion][path]") {
    MotionRig rig;
    MotionView view(*rig.library.bridge);
    openView(view, rig.library.image);

    choose(view.moveBox(), QStringLiteral("Keyframed path"));
    CHECK(view.isEditingPath());
    view.durationBox().setValue(2);
    view.sizeBox().setCurrentIndex(1); // 1280x720
    view.fpsBox().setCurrentIndex(0);  // 24 fps
    PathEditor& editor = view.pathEditor();
    REQUIRE(editor.sourceSize() == QSize(1600, 900));

    // Each click on the still adds a key where it was clicked, a second after the last.
    QTest::mouseClick(&editor, Qt::LeftButton, Qt::NoModifier, at(editor, 400, 225));
    QTest::mouseClick(&editor, Qt::LeftButton, Qt::NoModifier, at(editor, 1200, 600));
    CHECK(view.pathPanel().newKeyTimeBox().value() == 2);
    QTest::mouseClick(&editor, Qt::LeftButton, Qt::NoModifier, at(editor, 100, 800));
    REQUIRE(editor.keys().size() == 3);
    REQUIRE(view.pathPanel().keyList().count() == 3);
    // 60% of the still wide, 16:9, moved inside the still where the click was near an edge.
    CHECK(view.pathPanel().keyList().item(0)->text() ==
          QStringLiteral("1 · 0.0 s · linear\n960 × 540 at 0, 0"));
    CHECK(view.pathPanel().keyList().item(1)->text() ==
          QStringLiteral("2 · 1.0 s · linear\n960 × 540 at 640, 330"));
    CHECK(view.pathPanel().keyList().item(2)->text() ==
          QStringLiteral("3 · 2.0 s · linear\n960 × 540 at 0, 360"));

    // Dragging the last key moves it; the wheel over it zooms it about its centre.
    drag(editor, at(editor, 480, 630), at(editor, 780, 630));
    CHECK(editor.keys()[2].rect.x == Approx(300).margin(4));
    CHECK(editor.keys()[2].rect.y == Approx(360).margin(4));
    wheelUp(editor, at(editor, 780, 630));
    CHECK(editor.keys()[2].rect.width == Approx(960 / 1.1).margin(0.01));
    CHECK(editor.keys()[2].rect.height == Approx(960 / 1.1 * 9 / 16).margin(0.01));

    // The middle key, chosen in the list, eases in and out.
    view.pathPanel().keyList().setCurrentRow(1);
    CHECK(editor.selectedKey() == 1);
    CHECK(view.pathPanel().keyTimeBox().value() == 1);
    choose(view.pathPanel().keyEasingBox(), QStringLiteral("Ease in and out"));
    CHECK(editor.keys()[1].easing == ripen::Easing::EaseInOut);
    CHECK(view.pathPanel().keyList().item(1)->text().startsWith(
        QStringLiteral("2 · 1.0 s · ease-in-out\n")));

    // Delete removes the selected key (the last one, clicked first).
    QTest::mouseClick(&editor, Qt::LeftButton, Qt::NoModifier, at(editor, 500, 700));
    CHECK(editor.selectedKey() == 2);
    QTest::keyClick(&editor, Qt::Key_Delete);
    REQUIRE(editor.keys().size() == 2);
    CHECK(view.pathPanel().keyList().count() == 2);

    // The route between the keys is drawn as rectangles; half way it is half way, since
    // smoothstep is symmetric (the clicks land within a pixel of the screen's grid).
    const auto route = editor.routeRects();
    REQUIRE(route.size() == PathEditor::kRouteSamples - 1);
    const ripen::CropRect& second = editor.keys()[1].rect;
    CHECK(route[5].x == Approx(second.x / 2).margin(0.01));
    CHECK(route[5].y == Approx(second.y / 2).margin(0.01));
    CHECK(route[5].y == Approx(165).margin(1));
    CHECK(route[2].x < second.x / 4); // eased: a slow start
    const QImage drawn =
        ripen::test::renderWidget(view, QSize(1180, 720), QStringLiteral("motion-path-editor.png"));
    CHECK_FALSE(drawn.isNull());

    // The preview plays the path: 2 s at 24 fps, each frame's crop shown over the still.
    view.showPathPreview(true);
    CHECK_FALSE(view.isEditingPath());
    REQUIRE(waitUntil([&] { return view.player().frameCount() == 48 && !view.isBusy(); }, 30000));
    view.player().setPlaying(false);
    view.player().showFrame(12);
    ripen::test::renderWidget(view, QSize(1180, 720), QStringLiteral("motion-path-preview.png"));
    view.showPathPreview(false);
    CHECK(view.isEditingPath());

    // Saved as the path file the CLI reads, atomically and off the GUI thread.
    const auto file = rig.library.dir / "route.json";
    view.savePath(QString::fromStdString(file.string()));
    REQUIRE(waitUntil([&] { return !view.isBusy(); }));
    REQUIRE(std::filesystem::exists(file));
    std::ifstream in(file);
    const std::string json{std::istreambuf_iterator<char>(in), {}};
    auto saved = ripen::parseCameraPath(json, {1600, 900, 16.0 / 9, 2});
    INFO(json);
    REQUIRE(saved);
    REQUIRE(saved->keys().size() == 2);
    CHECK(saved->keys()[1].easing == ripen::Easing::EaseInOut);
    CHECK(saved->keys()[1].rect.x == editor.keys()[1].rect.x);

    // Rendered through the path file, as `video move path:FILE` does: a clip of the
    // keyframe at the asked size, rate and length, its keys in the provenance.
    QSignalSpy rendered(&view, &MotionView::clipRendered);
    view.renderMove();
    REQUIRE(rendered.wait(90000));
    const auto videos = rig.library.childrenOf(rig.library.image, ripen::AssetKind::Video);
    REQUIRE(videos.size() == 1);
    const ripen::Asset& clip = videos.front();
    CHECK(clip.stage == ripen::Stage::Clip);
    CHECK(clip.generation.params["move"] == "path");
    CHECK(clip.generation.params["path"]["keys"].size() == 2);
    CHECK(clip.generation.params["path"]["keys"][1]["ease"] == "ease-in-out");
    auto info = ripen::probeVideo(rig.library.blobOf(clip));
    REQUIRE(info);
    CHECK(info->width == 1280);
    CHECK(info->height == 720);
    CHECK(info->codecName == "h264");
    CHECK(info->frameRateNum == 24 * info->frameRateDen);
    CHECK(info->durationMicros == Approx(2'000'000).margin(42'000));
    if (const auto facts = ripen::test::ffprobe(rig.library.blobOf(clip))) {
        CHECK(facts->frames == 48);
    }

    // A fresh view loads the saved path back; a path that does not fit the still is refused
    // naming the key at fault, and the keys stay as they were.
    MotionView again(*rig.library.bridge);
    openView(again, rig.library.image);
    choose(again.moveBox(), QStringLiteral("Keyframed path"));
    again.durationBox().setValue(2);
    again.loadPath(QString::fromStdString(file.string()));
    REQUIRE(waitUntil([&] { return again.pathEditor().keys().size() == 2 && !again.isBusy(); }));
    CHECK(again.pathPanel().keyList().item(1)->text() ==
          view.pathPanel().keyList().item(1)->text());
    const auto outside = rig.library.dir / "outside.json";
    std::ofstream(outside) << R"({"keys":[{"t":0,"x":900,"y":0,"w":960,"h":540}]})";
    again.loadPath(QString::fromStdString(outside.string()));
    REQUIRE(waitUntil([&] { return !again.isBusy(); }));
    CHECK(again.statusText().contains(QStringLiteral("keys[0].x")));
    CHECK(again.pathEditor().keys().size() == 2);
}

TEST_CASE("A clip is cut at its scene change and at in/out points, reframed, into segments",
          "[ui][motion][cut]") {
    MotionRig rig;
    rig.kling.setProcessingPolls(0);
    // What Kling returns: 2.4 s at 25 fps, one scene for 1.2 s, then another.
    const cv::Mat first = ripen::test::makeTexturedStill(440, 180, 1);
    const cv::Mat second = ripen::test::makeTexturedStill(440, 180, 2);
    const auto clipFile = rig.library.dir / "two-scenes.mp4";
    ripen::test::writeTestClip(clipFile, 320, 180, 25, 60, [&](int i) {
        return (i < 30 ? first : second)(cv::Rect(2 * i, 0, 320, 180)).clone();
    });
    std::ifstream in(clipFile, std::ios::binary);
    rig.kling.setVideo(std::string(std::istreambuf_iterator<char>(in), {}));

    MotionView view(*rig.library.bridge);
    openView(view, rig.library.image);
    view.cloudPrompt().setPlainText(QStringLiteral("the camera glides right"));
    view.sendImageToVideo();
    REQUIRE(waitUntil([&] { return view.clips().count() == 1 && !view.isBusy(); }, 90000));
    const auto clips = rig.library.childrenOf(rig.library.image, ripen::AssetKind::Video);
    REQUIRE(clips.size() == 1);
    const ripen::AssetId clip = clips.front().id;

    // At the scene change, reframed to 9:16 keeping the left of the picture.
    view.clips().setCurrentRow(0);
    choose(view.cutModeBox(), QStringLiteral("Scene changes"));
    choose(view.reframeBox(), QStringLiteral("9:16"));
    choose(view.anchorBox(), QStringLiteral("Left"));
    auto* cut = view.findChild<QPushButton*>(QStringLiteral("motionCut"));
    REQUIRE(cut != nullptr);
    QSignalSpy derived(&view, &MotionView::clipDerived);
    QTest::mouseClick(cut, Qt::LeftButton);
    REQUIRE(derived.wait(90000));
    INFO(view.statusText().toStdString());
    auto segments = rig.library.childrenOf(clip, ripen::AssetKind::Video);
    REQUIRE(segments.size() == 2);
    std::ranges::sort(segments, {}, [](const ripen::Asset& a) {
        return a.generation.params["start_s"].get<double>();
    });
    double total = 0;
    for (const ripen::Asset& segment : segments) {
        CHECK(segment.stage == ripen::Stage::Clip);
        CHECK(segment.parents == std::vector<ripen::AssetId>{clip});
        CHECK(segment.generation.params["cut_by"] == "scenes");
        CHECK(segment.generation.params["aspect"] == "9:16");
        CHECK(segment.generation.params["anchor"] == "left");
        auto info = ripen::probeVideo(rig.library.blobOf(segment));
        REQUIRE(info);
        CHECK(info->height == 180);
        CHECK(std::abs(info->width - 180 * 9 / 16) <= 2);
        CHECK(info->codecName == "h264");
        total += info->durationMicros / 1e6;
    }
    CHECK(segments[0].generation.params["end_s"].get<double>() == Approx(1.2).margin(0.001));
    CHECK(total == Approx(2.4).margin(0.04));
    CHECK(view.clips().count() == 3);

    // In/out points: one marked at the player's position, one typed; the picture kept.
    view.playClip(0);
    REQUIRE(
        waitUntil([&] { return view.consistencyStrip().hasReport() && !view.isBusy(); }, 60000));
    view.player().setPlaying(false);
    view.player().showFrame(view.player().frameCount() / 6); // 0.4 s into 2.4 s
    auto* mark = view.findChild<QPushButton*>(QStringLiteral("motionMarkCut"));
    REQUIRE(mark != nullptr);
    QTest::mouseClick(mark, Qt::LeftButton);
    CHECK(view.cutModeBox().currentText() == QStringLiteral("In/out points"));
    CHECK(view.cutTimesField().text() == QStringLiteral("0.40"));
    view.cutTimesField().setFocus();
    view.cutTimesField().end(false);
    QTest::keyClicks(&view.cutTimesField(), QStringLiteral(", 2"));
    choose(view.reframeBox(), QStringLiteral("Keep"));
    view.clips().setCurrentRow(0);
    QTest::mouseClick(cut, Qt::LeftButton);
    REQUIRE(derived.wait(90000));
    ripen::test::renderWidget(view, QSize(1180, 720), QStringLiteral("motion-cut.png"));
    std::vector<ripen::Asset> marked;
    for (const ripen::Asset& segment : rig.library.childrenOf(clip, ripen::AssetKind::Video)) {
        if (segment.generation.params["cut_by"] == "at") {
            marked.push_back(segment);
        }
    }
    REQUIRE(marked.size() == 3);
    std::ranges::sort(marked, {}, [](const ripen::Asset& a) {
        return a.generation.params["start_s"].get<double>();
    });
    CHECK(marked[0].generation.params["end_s"].get<double>() == Approx(0.4).margin(0.001));
    CHECK(marked[1].generation.params["end_s"].get<double>() == Approx(2.0).margin(0.001));
    for (const ripen::Asset& segment : marked) {
        auto info = ripen::probeVideo(rig.library.blobOf(segment));
        REQUIRE(info);
        CHECK(info->width == 320);
        CHECK_FALSE(segment.generation.params.contains("aspect"));
    }
    CHECK(view.clips().count() == 6);

    // Points past the end are refused naming the time, and nothing is added.
    view.cutTimesField().setText(QStringLiteral("9"));
    view.clips().setCurrentRow(0);
    view.cutClip(0);
    REQUIRE(waitUntil([&] { return !view.isBusy(); }, 30000));
    CHECK(view.statusText().contains(QStringLiteral("is not inside the clip")));
    CHECK(rig.library.childrenOf(clip, ripen::AssetKind::Video).size() == 5);
}

// Curation in the main window as a user drives it: culling keys, filters, the inspector,
// the loupe and compare views and the export dialog, each checked against the catalog
// read back through core. The views are also rendered to PNG for people to look at.

#include "CoreBridge.h"
#include "DemoLibrary.h"
#include "MainWindow.h"
#include "UiTestSupport.h"
#include "catalog/Library.h"
#include "export/ExportDialog.h"
#include "filters/FilterBar.h"
#include "gallery/CullingController.h"
#include "gallery/GalleryModel.h"
#include "gallery/GalleryView.h"
#include "gallery/ThumbnailCache.h"
#include "inspector/AssetInspector.h"
#include "loupe/CompareView.h"
#include "loupe/CurationViews.h"
#include "loupe/ImageCanvas.h"
#include "loupe/LoupeView.h"
#include "support/TempDir.h"
#include "tools/WidgetScreenshot.h"

#include <QAbstractItemModelTester>
#include <QApplication>
#include <QComboBox>
#include <QDir>
#include <QImage>
#include <QLabel>
#include <QLineEdit>
#include <QListView>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QSettings>
#include <QSignalSpy>
#include <QSlider>
#include <QStackedWidget>
#include <QTest>
#include <catch2/catch.hpp>

using ripen::test::TempDir;
using ripen::test::uiApp;
using ripen::test::waitUntil;
using ripen::ui::CoreBridge;
using ripen::ui::GalleryModel;
using ripen::ui::MainWindow;

namespace {

// A library of generated assets open in a shown main window.
struct CurationFixture {
    explicit CurationFixture(int count, int imageSide = 96, QSize windowSize = {1280, 800}) {
        uiApp();
        {
            auto library = ripen::Library::open(dir / "library");
            REQUIRE(library);
            ids = ripen::test::addGeneratedAssets(**library, count, true, imageSide);
        }
        bridge = std::make_unique<CoreBridge>(dir / "library");
        window = std::make_unique<MainWindow>(*bridge);
        window->resize(windowSize);
        window->show();
        QSignalSpy opened(bridge.get(), &CoreBridge::libraryOpened);
        bridge->openLibrary();
        REQUIRE(opened.wait(10000));
        settle();
        REQUIRE(gallery().model().rowCount() == count);
    }
    ~CurationFixture() { window.reset(); }
    CurationFixture(const CurationFixture&) = delete;
    CurationFixture& operator=(const CurationFixture&) = delete;

    ripen::ui::GalleryView& gallery() { return window->gallery(); }
    GalleryModel& model() { return gallery().model(); }
    QListView& grid() { return gallery().grid(); }

    void settle() {
        REQUIRE(waitUntil([&] { return !window->isBusy() && !model().isSavingCuration(); }, 20000));
    }

    void select(std::initializer_list<int> rows) {
        auto* selection = grid().selectionModel();
        selection->clearSelection();
        for (const int row : rows) {
            selection->select(model().index(row), QItemSelectionModel::Select);
        }
        selection->setCurrentIndex(model().index(*rows.begin()), QItemSelectionModel::NoUpdate);
    }

    ripen::AssetId idAt(int row) {
        return model().index(row).data(GalleryModel::AssetIdRole).toLongLong();
    }

    // The asset as core has it now, through a connection of its own.
    ripen::Asset stored(ripen::AssetId id) {
        auto library = ripen::Library::open(dir / "library");
        REQUIRE(library);
        auto asset = (*library)->catalog().asset(id);
        REQUIRE(asset);
        return *asset;
    }

    std::int64_t storedCount(const ripen::AssetQuery& query) {
        auto library = ripen::Library::open(dir / "library");
        REQUIRE(library);
        auto count = (*library)->catalog().count(query);
        REQUIRE(count);
        return *count;
    }

    QString shoot(QWidget& widget, const QString& name) {
        settle();
        QTest::qWait(150);
        settle();
        const QString file = ripen::test::screenshotDir() + QLatin1Char('/') + name;
        REQUIRE(ripen::ui::WidgetScreenshot::save(widget, file));
        return file;
    }

    TempDir dir;
    std::vector<ripen::AssetId> ids;
    std::unique_ptr<CoreBridge> bridge;
    std::unique_ptr<MainWindow> window;
};

} // namespace

TEST_CASE("Culling keys change the catalog for every selected asset", "[ui][curation]") {
    CurationFixture f(8);
    QAbstractItemModelTester tester(&f.model(),
                                    QAbstractItemModelTester::FailureReportingMode::Fatal);
    f.gallery().culling().setAutoAdvance(false);
    f.select({0, 2});
    const ripen::AssetId a = f.idAt(0);
    const ripen::AssetId b = f.idAt(2);
    const ripen::Asset untouched = f.stored(f.idAt(1));

    QTest::keyClick(&f.grid(), Qt::Key_P);
    f.settle();
    CHECK(f.stored(a).flag == ripen::Flag::Pick);
    CHECK(f.stored(b).flag == ripen::Flag::Pick);
    CHECK(f.model().index(0).data(GalleryModel::FlagRole).toInt() ==
          static_cast<int>(ripen::Flag::Pick));

    QTest::keyClick(&f.grid(), Qt::Key_X);
    QTest::keyClick(&f.grid(), Qt::Key_3);
    QTest::keyClick(&f.grid(), Qt::Key_7);
    f.settle();
    for (const ripen::AssetId id : {a, b}) {
        const ripen::Asset asset = f.stored(id);
        CHECK(asset.flag == ripen::Flag::Reject);
        CHECK(asset.rating == 3);
        CHECK(asset.colorLabel == ripen::ColorLabel::Yellow);
    }
    CHECK(f.model().index(2).data(GalleryModel::RatingRole).toInt() == 3);
    CHECK(f.model().index(2).data(GalleryModel::ColorLabelRole).toInt() ==
          static_cast<int>(ripen::ColorLabel::Yellow));

    // The unselected asset between them is as it was.
    const ripen::Asset between = f.stored(f.idAt(1));
    CHECK(between.flag == untouched.flag);
    CHECK(between.rating == untouched.rating);
    CHECK(between.colorLabel == untouched.colorLabel);

    SECTION("the label's key again takes it off, U unflags, 0 clears the stars") {
        QTest::keyClick(&f.grid(), Qt::Key_7);
        QTest::keyClick(&f.grid(), Qt::Key_U);
        QTest::keyClick(&f.grid(), Qt::Key_0);
        f.settle();
        const ripen::Asset asset = f.stored(a);
        CHECK(asset.colorLabel == ripen::ColorLabel::None);
        CHECK(asset.flag == ripen::Flag::None);
        CHECK(asset.rating == 0);
    }
    SECTION("9 is blue; purple has no key") {
        QTest::keyClick(&f.grid(), Qt::Key_9);
        f.settle();
        CHECK(f.stored(b).colorLabel == ripen::ColorLabel::Blue);
    }
    SECTION("typing in the search field does not cull") {
        QTest::keyClicks(&f.gallery().searchField(), QStringLiteral("p5"));
        f.settle();
        CHECK(f.stored(a).rating == 3);
        CHECK(f.stored(a).flag == ripen::Flag::Reject);
    }
}

TEST_CASE("Auto-advance moves to the next asset after a rating", "[ui][curation]") {
    CurationFixture f(5);
    auto& culling = f.gallery().culling();
    culling.setAutoAdvance(true);
    f.select({1});
    const ripen::AssetId first = f.idAt(1);
    QTest::keyClick(&f.grid(), Qt::Key_4);
    f.settle();
    CHECK(f.grid().currentIndex().row() == 2);
    CHECK(f.stored(first).rating == 4);
    QTest::keyClick(&f.grid(), Qt::Key_P);
    f.settle();
    CHECK(f.stored(f.idAt(2)).flag == ripen::Flag::Pick);
    CHECK(f.grid().currentIndex().row() == 3);
    culling.setAutoAdvance(false);
    CHECK_FALSE(culling.autoAdvanceAction()->isChecked());
}

TEST_CASE("A write that fails leaves the rows as they were and says so", "[ui][curation]") {
    CurationFixture f(4);
    QSignalSpy failed(&f.model(), &GalleryModel::curationFailed);
    const int before = f.model().index(0).data(GalleryModel::RatingRole).toInt();
    ripen::ui::CurationChange change;
    change.ids = {f.idAt(0), 987654}; // the second does not exist: the transaction rolls back
    change.rating = before == 5 ? 1 : 5;
    f.model().applyCuration(change);
    REQUIRE(failed.wait(5000));
    CHECK(failed.front().front().toString().contains(QStringLiteral("987654")));
    CHECK(f.model().index(0).data(GalleryModel::RatingRole).toInt() == before);
    CHECK(f.stored(f.idAt(0)).rating == before);
    auto* error = f.gallery().findChild<QLabel*>(QStringLiteral("galleryError"));
    REQUIRE(error != nullptr);
    CHECK(error->isVisible());
    CHECK(error->text().startsWith(QStringLiteral("Not saved")));
}

TEST_CASE("Filters and search narrow the grid to what the catalog matches", "[ui][filters]") {
    CurationFixture f(18);
    auto& filters = f.gallery().filterBar();
    const auto rows = [&] {
        f.settle();
        return static_cast<std::int64_t>(f.model().rowCount());
    };

    ripen::AssetQuery picks;
    picks.flag = ripen::Flag::Pick;
    filters.setFlag(ripen::Flag::Pick);
    CHECK(rows() == f.storedCount(picks));
    CHECK(rows() > 0);
    CHECK(rows() < 18);

    filters.setFlag(std::nullopt);
    ripen::AssetQuery rated;
    rated.minRating = 4;
    filters.setMinimumRating(4);
    CHECK(rows() == f.storedCount(rated));
    for (int row = 0; row < f.model().rowCount(); ++row) {
        CHECK(f.model().index(row).data(GalleryModel::RatingRole).toInt() >= 4);
    }

    filters.setMinimumRating(0);
    ripen::AssetQuery green;
    green.colorLabel = ripen::ColorLabel::Green;
    filters.setColorLabel(ripen::ColorLabel::Green);
    CHECK(rows() == f.storedCount(green));

    filters.setColorLabel(std::nullopt);
    // The model list comes from the catalog.
    REQUIRE(waitUntil([&] {
        return f.gallery().findChild<QComboBox*>(QStringLiteral("filterModel"))->count() == 4;
    }));
    ripen::AssetQuery byModel;
    byModel.modelId = "gpt-image-1";
    filters.setModel(QStringLiteral("gpt-image-1"));
    CHECK(rows() == f.storedCount(byModel));
    CHECK(rows() == 6);

    // Search and filters combine.
    f.gallery().searchField().setText(QStringLiteral("lavender"));
    byModel.search = "lavender";
    CHECK(rows() == f.storedCount(byModel));
    CHECK(rows() == 3);

    filters.setStage(ripen::Stage::Final);
    CHECK(rows() == 0);
    CHECK(f.gallery().isShowingEmptyState());
    filters.clear();
    f.gallery().searchField().clear();
    CHECK(rows() == 18);
}

TEST_CASE("The thumbnail size follows the slider and is remembered", "[ui][filters]") {
    CurationFixture f(6);
    auto& slider = f.gallery().thumbnailSizeSlider();
    slider.setValue(ripen::ui::GalleryView::kSmallestThumbnail);
    f.settle();
    const int smallWidth = f.grid().gridSize().width();
    slider.setValue(240);
    f.settle();
    CHECK(f.grid().gridSize().width() > smallWidth);
    CHECK(QSettings().value(ripen::ui::GalleryView::kThumbnailSizeSetting).toInt() == 240);
    slider.setValue(160);
}

TEST_CASE("Thumbnails one screen past the view are loaded before the user scrolls there",
          "[ui][gallery]") {
    CurationFixture f(180);
    f.gallery().setThumbnailSize(ripen::ui::GalleryView::kSmallestThumbnail);
    f.settle();
    using State = ripen::ui::ThumbnailCache::State;
    const auto state = [&](int row) {
        return static_cast<State>(
            f.model().index(row).data(GalleryModel::ThumbnailStateRole).toInt());
    };
    const QRect view = f.grid().viewport()->rect();
    const int firstRow = f.grid().indexAt(view.topLeft() + QPoint(1, 1)).row();
    int lastRow = -1;
    for (int row = 0; row < f.model().rowCount(); ++row) {
        if (f.grid().visualRect(f.model().index(row)).intersects(view)) {
            lastRow = row;
        }
    }
    REQUIRE(firstRow == 0);
    REQUIRE(lastRow > 0);
    const int screen = lastRow + 1;
    REQUIRE(3 * screen < f.model().rowCount()); // rows beyond the prefetched screen exist

    // Nothing scrolled: the next screen down gets its pictures anyway, and no further.
    INFO("first screen: rows 0-" << lastRow);
    REQUIRE(waitUntil([&] { return state(lastRow + screen / 2) == State::Ready; }, 20000));
    f.settle();
    CHECK(state(lastRow + 1) == State::Ready);
    CHECK(state(3 * screen) == State::Loading); // never asked for

    // Scrolled to the end: the screen above the new view is ready too.
    f.grid().scrollToBottom();
    const int newFirst = f.grid().indexAt(view.topLeft() + QPoint(1, 1)).row();
    REQUIRE(newFirst > screen);
    REQUIRE(waitUntil([&] { return state(newFirst - 1) == State::Ready; }, 20000));
}

TEST_CASE("The inspector shows how an asset was made, its lineage, and saves notes",
          "[ui][inspector]") {
    uiApp();
    TempDir dir;
    std::vector<ripen::AssetId> ids;
    {
        auto library = ripen::Library::open(dir / "library");
        REQUIRE(library);
        ids = ripen::test::addGeneratedAssets(**library, 4, true, 64);
        REQUIRE((*library)->catalog().addParent(ids[3], ids[1], "edit"));
    }
    CoreBridge bridge(dir / "library");
    MainWindow window(bridge);
    window.resize(1280, 800);
    window.show();
    QSignalSpy opened(&bridge, &CoreBridge::libraryOpened);
    bridge.openLibrary();
    REQUIRE(opened.wait(10000));
    REQUIRE(waitUntil([&] { return !window.isBusy(); }, 20000));
    auto& inspector = window.inspector();
    CHECK(inspector.isShowingEmptyState());

    REQUIRE(window.gallery().selectAsset(ids[3]));
    REQUIRE(waitUntil([&] { return !inspector.isLoading() && !inspector.isShowingEmptyState(); }));
    CHECK(inspector.fieldText(QStringLiteral("title")) == QStringLiteral("render_1003.png"));
    CHECK(inspector.fieldText(QStringLiteral("prompt")).contains(QStringLiteral("fjord")));
    CHECK(inspector.fieldText(QStringLiteral("seed")) == QStringLiteral("4245"));
    CHECK(inspector.fieldText(QStringLiteral("model")) == QStringLiteral("gemini-3-pro-image"));
    CHECK(
        inspector.fieldText(QStringLiteral("parents")).contains(QStringLiteral("render_1001.png")));
    CHECK(inspector.fieldText(QStringLiteral("tags")) == QStringLiteral("landscape, cool"));
    CHECK(inspector.fieldText(QStringLiteral("cost")) == QStringLiteral("0.134 USD"));
    // Culling the current asset shows in the inspector once the catalog has it.
    window.gallery().culling().setAutoAdvance(false);
    QTest::keyClick(&window.gallery().grid(), Qt::Key_P);
    QTest::keyClick(&window.gallery().grid(), Qt::Key_2);
    REQUIRE(waitUntil([&] { return !window.gallery().model().isSavingCuration(); }));
    CHECK(inspector.fieldText(QStringLiteral("culling"))
              .startsWith(QStringLiteral("★★☆☆☆ · Picked")));
    CHECK(inspector.fieldText(QStringLiteral("parameters"))
              .contains(QStringLiteral("\"imageSize\": \"2K\"")));

    // Notes are saved through the bridge.
    inspector.notesEditor().setPlainText(QStringLiteral("client prefers this crop"));
    CHECK(inspector.saveNotesButton().isEnabled());
    QSignalSpy saved(&bridge, &CoreBridge::notesSaved);
    QTest::mouseClick(&inspector.saveNotesButton(), Qt::LeftButton);
    REQUIRE(saved.wait(5000));
    {
        auto library = ripen::Library::open(dir / "library");
        REQUIRE(library);
        CHECK((*library)->catalog().asset(ids[3])->notes == "client prefers this crop");
    }

    // The parent link selects the parent, whose children list the first.
    QLabel* parents = nullptr;
    for (QLabel* label : inspector.findChildren<QLabel*>()) {
        if (label->property("inspectorField").toString() == QStringLiteral("parents")) {
            parents = label;
        }
    }
    REQUIRE(parents != nullptr);
    emit parents->linkActivated(QStringLiteral("asset:%1").arg(ids[1]));
    CHECK(window.gallery().currentAssetId() == ids[1]);
    REQUIRE(waitUntil([&] { return !inspector.isLoading() && inspector.assetId() == ids[1]; }));
    CHECK(inspector.fieldText(QStringLiteral("children"))
              .contains(QStringLiteral("render_1003.png")));
    CHECK(inspector.fieldText(QStringLiteral("parents")) == QStringLiteral("—"));
}

TEST_CASE("The loupe opens on Enter, zooms to 100% at the click and pans", "[ui][loupe]") {
    CurationFixture f(3, 1600);
    f.select({0});
    QTest::keyClick(&f.grid(), Qt::Key_Return);
    auto& views = f.window->curationViews();
    auto& loupe = views.loupe();
    REQUIRE(f.window->views().currentWidget() == &loupe);
    auto& canvas = loupe.canvas();
    REQUIRE(waitUntil([&] { return !canvas.image().isNull(); }));
    CHECK(canvas.image().width() == 1600);
    CHECK_FALSE(canvas.isActualSize());
    CHECK(canvas.scale() < 1.0);

    // A double-click left of centre zooms to 100% around that point.
    const QPoint leftOfCentre(canvas.width() / 4, canvas.height() / 2);
    QTest::mouseDClick(&canvas, Qt::LeftButton, Qt::NoModifier, leftOfCentre);
    CHECK(canvas.isActualSize());
    CHECK(canvas.scale() == 1.0);
    const QPointF zoomed = canvas.center();
    CHECK(zoomed.x() < 0.5);

    // Dragging left moves the view right across the image.
    QTest::mousePress(&canvas, Qt::LeftButton, Qt::NoModifier, QPoint(300, 200));
    QTest::mouseMove(&canvas, QPoint(200, 200));
    QTest::mouseRelease(&canvas, Qt::LeftButton, Qt::NoModifier, QPoint(200, 200));
    CHECK(canvas.center().x() > zoomed.x());

    QTest::keyClick(&canvas, Qt::Key_Z);
    CHECK_FALSE(canvas.isActualSize());
    // Culling keys work in the loupe too, and the arrow moves along the filmstrip.
    QTest::keyClick(&canvas, Qt::Key_5);
    f.settle();
    CHECK(f.stored(f.idAt(0)).rating == 5);
    QTest::keyClick(&canvas, Qt::Key_Right);
    CHECK(f.grid().currentIndex().row() == 1);
    CHECK(loupe.currentFile() == f.model().recordAt(1)->blobFile);
    QTest::keyClick(&canvas, Qt::Key_Escape);
    CHECK(f.window->views().currentWidget() == &f.gallery());
}

TEST_CASE("Compare shows the selection side by side with zoom and pan in step", "[ui][loupe]") {
    CurationFixture f(4, 1600);
    // Rows 0 and 3 are both landscape renders of the same size.
    f.select({0, 3});
    QTest::keyClick(&f.grid(), Qt::Key_C);
    auto& compare = f.window->curationViews().compare();
    REQUIRE(f.window->views().currentWidget() == &compare);
    REQUIRE(compare.canvases().size() == 2);
    auto* left = compare.canvases()[0];
    auto* right = compare.canvases()[1];
    REQUIRE(waitUntil([&] { return !left->image().isNull() && !right->image().isNull(); }));

    QTest::mouseDClick(left, Qt::LeftButton, Qt::NoModifier,
                       QPoint(left->width() / 3, left->height() / 3));
    CHECK(left->isActualSize());
    CHECK(right->isActualSize());
    QTest::mousePress(left, Qt::LeftButton, Qt::NoModifier, QPoint(100, 100));
    QTest::mouseMove(left, QPoint(40, 70));
    QTest::mouseRelease(left, Qt::LeftButton, Qt::NoModifier, QPoint(40, 70));
    CHECK(right->center().x() == Approx(left->center().x()).margin(1e-6));
    CHECK(right->center().y() == Approx(left->center().y()).margin(1e-6));
    QTest::keyClick(right, Qt::Key_Z);
    CHECK_FALSE(left->isActualSize());
    CHECK_FALSE(right->isActualSize());

    SECTION("one asset is not enough, and the view says how to choose") {
        f.select({1});
        f.window->curationViews().openCompare();
        CHECK(compare.isShowingEmptyState());
    }
}

TEST_CASE("Culling keys in compare apply to the pane with focus", "[ui][loupe][curation]") {
    CurationFixture f(6, 256);
    f.gallery().culling().setAutoAdvance(true); // never moves panes in compare
    f.select({1, 2, 4});
    const ripen::AssetId first = f.idAt(1);
    const ripen::AssetId second = f.idAt(2);
    const ripen::AssetId third = f.idAt(4);
    const ripen::Asset thirdBefore = f.stored(third);
    const ripen::Asset firstBefore = f.stored(first);
    QTest::keyClick(&f.grid(), Qt::Key_C);
    auto& compare = f.window->curationViews().compare();
    REQUIRE(compare.canvases().size() == 3);
    f.settle();

    auto* middle = compare.canvases()[1];
    QTest::mouseClick(middle, Qt::LeftButton, {}, middle->rect().center());
    REQUIRE(middle->hasFocus());
    QTest::keyClick(middle, Qt::Key_P);
    QTest::keyClick(middle, Qt::Key_4);
    f.settle();
    CHECK(f.stored(second).flag == ripen::Flag::Pick);
    CHECK(f.stored(second).rating == 4);
    CHECK(f.stored(first).flag == firstBefore.flag); // the other panes are untouched
    CHECK(f.stored(first).rating == firstBefore.rating);
    CHECK(f.stored(third).rating == thirdBefore.rating);
    CHECK(compare.captions()[1].contains(QStringLiteral("Picked")));
    CHECK(compare.captions()[1].contains(QString(4, QChar(0x2605))));
    CHECK(f.window->views().currentWidget() == &compare); // still comparing the same three
    CHECK(compare.canvases().size() == 3);

    auto* last = compare.canvases()[2];
    QTest::mouseClick(last, Qt::LeftButton, {}, last->rect().center());
    QTest::keyClick(last, Qt::Key_X);
    f.settle();
    CHECK(f.stored(third).flag == ripen::Flag::Reject);
    CHECK(f.stored(second).flag == ripen::Flag::Pick);
    CHECK(compare.captions()[2].contains(QStringLiteral("Rejected")));
    f.shoot(*f.window, QStringLiteral("compare-culling.png"));
}

TEST_CASE("The export dialog writes the selection, PNG pixels exact", "[ui][export]") {
    CurationFixture f(3, 80);
    f.select({0, 1});
    const std::vector<ripen::AssetId> ids = f.gallery().selectedAssetIds();
    REQUIRE(ids.size() == 2);
    const QString out = QString::fromStdString((f.dir / "out").string());
    QDir().mkpath(out);

    ripen::ui::ExportDialog dialog(*f.bridge, ids, f.window.get());
    dialog.setFolder(out);
    dialog.setFormat(QStringLiteral("png"));
    dialog.setWriteMetadata(false);
    dialog.start();
    CHECK(dialog.isRunning());
    REQUIRE(waitUntil([&] { return !dialog.isRunning(); }));
    REQUIRE(dialog.summary().written.size() == 2);
    CHECK(dialog.summary().failures.isEmpty());
    for (int row : {0, 1}) {
        const QString name = f.model().index(row).data(Qt::DisplayRole).toString();
        const QImage exported(out + QLatin1Char('/') + name);
        const QImage original(f.model().recordAt(row)->blobFile);
        REQUIRE_FALSE(exported.isNull());
        CHECK(exported.convertToFormat(QImage::Format_ARGB32) ==
              original.convertToFormat(QImage::Format_ARGB32));
    }

    ripen::ui::ExportDialog jpeg(*f.bridge, ids, f.window.get());
    jpeg.setFolder(out);
    jpeg.setFormat(QStringLiteral("jpeg"));
    jpeg.setQuality(80);
    jpeg.setDpi(300);
    jpeg.start();
    REQUIRE(waitUntil([&] { return !jpeg.isRunning(); }));
    REQUIRE(jpeg.summary().written.size() == 2);
    for (const QString& file : jpeg.summary().written) {
        CHECK(file.endsWith(QStringLiteral(".jpg")));
        CHECK_FALSE(QImage(file).isNull());
    }
    CHECK(jpeg.statusText().contains(QStringLiteral("2 files written")));

    // The same names again: each is refused by name and nothing is overwritten.
    ripen::ui::ExportDialog again(*f.bridge, ids, f.window.get());
    again.setFolder(out);
    again.setFormat(QStringLiteral("jpeg"));
    again.start();
    REQUIRE(waitUntil([&] { return !again.isRunning(); }));
    CHECK(again.summary().written.isEmpty());
    CHECK(again.summary().failures.size() == 2);
    CHECK(again.statusText().contains(QStringLiteral("already exists")));
}

TEST_CASE("Curation views render for people to look at", "[ui][screenshot]") {
    CurationFixture f(24, 384, {1440, 900});
    f.gallery().culling().setAutoAdvance(false);
    {
        auto library = ripen::Library::open(f.dir / "library");
        REQUIRE(library);
        REQUIRE((*library)->catalog().addParent(f.idAt(1), f.idAt(5), "edit"));
        REQUIRE((*library)->catalog().addParent(f.idAt(9), f.idAt(1), "upscale"));
        REQUIRE(
            (*library)->catalog().setNotes(f.idAt(1), "Client liked the moon; try a warmer sky."));
    }
    f.select({1});
    REQUIRE(waitUntil([&] { return !f.window->inspector().isLoading(); }));
    f.shoot(*f.window, QStringLiteral("curation-gallery.png"));
    f.shoot(f.window->inspector(), QStringLiteral("inspector.png"));

    f.window->curationViews().openLoupe();
    REQUIRE(
        waitUntil([&] { return !f.window->curationViews().loupe().canvas().image().isNull(); }));
    f.shoot(*f.window, QStringLiteral("loupe.png"));

    f.select({0, 3, 6, 9});
    f.window->curationViews().openCompare();
    auto& compare = f.window->curationViews().compare();
    REQUIRE(waitUntil([&] { return !compare.isLoading(); }));
    f.shoot(*f.window, QStringLiteral("compare.png"));

    f.select({2});
    f.window->curationViews().openCompare();
    REQUIRE(compare.isShowingEmptyState());
    f.shoot(*f.window, QStringLiteral("compare-empty.png"));

    f.window->curationViews().showGrid();
    f.gallery().filterBar().setMinimumRating(3);
    f.gallery().filterBar().setColorLabel(ripen::ColorLabel::Green);
    f.shoot(*f.window, QStringLiteral("filters.png"));
    f.gallery().filterBar().setStage(ripen::Stage::Final);
    REQUIRE(waitUntil([&] { return f.gallery().isShowingEmptyState(); }));
    f.shoot(*f.window, QStringLiteral("filters-no-match.png"));
}

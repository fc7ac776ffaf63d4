#include "gallery/GalleryModel.h"

#include "CoreBridge.h"
#include "DemoLibrary.h"
#include "UiTestSupport.h"
#include "catalog/AssetIngest.h"
#include "gallery/ThumbnailCache.h"
#include "support/TempDir.h"
#include "support/TestImages.h"

#include <QAbstractItemModelTester>
#include <QApplication>
#include <QImage>
#include <QItemSelectionModel>
#include <QPixmap>
#include <QSignalSpy>
#include <catch2/catch.hpp>
#include <opencv2/imgcodecs.hpp>

using ripen::test::TempDir;
using ripen::test::uiApp;
using ripen::test::waitUntil;
using ripen::ui::CoreBridge;
using ripen::ui::GalleryModel;
using ripen::ui::ThumbnailCache;

namespace {

struct Fixture {
    explicit Fixture(int assets, bool thumbnails = false) {
        uiApp();
        {
            auto library = ripen::Library::open(dir / "library");
            REQUIRE(library);
            ripen::test::addGeneratedAssets(**library, assets, thumbnails, 24);
        }
        bridge = std::make_unique<CoreBridge>(dir / "library");
        QSignalSpy opened(bridge.get(), &CoreBridge::libraryOpened);
        bridge->openLibrary();
        REQUIRE(opened.wait(10000));
        cache = std::make_unique<ThumbnailCache>();
        model = std::make_unique<GalleryModel>(*bridge, *cache);
        tester = std::make_unique<QAbstractItemModelTester>(
            model.get(), QAbstractItemModelTester::FailureReportingMode::Fatal);
    }
    ~Fixture() {
        tester.reset();
        model.reset();
    }
    Fixture(const Fixture&) = delete;
    Fixture& operator=(const Fixture&) = delete;

    void load(const ripen::AssetQuery& query = {}) {
        model->setQuery(query);
        REQUIRE(waitUntil([&] { return !model->isLoading(); }));
    }

    TempDir dir;
    std::unique_ptr<CoreBridge> bridge;
    std::unique_ptr<ThumbnailCache> cache;
    std::unique_ptr<GalleryModel> model;
    std::unique_ptr<QAbstractItemModelTester> tester;
};

} // namespace

TEST_CASE("GalleryModel shows catalog assets under the model tester", "[ui][gallery]") {
    Fixture f(5);
    CHECK(f.model->rowCount() == 0);
    f.load();
    REQUIRE(f.model->rowCount() == 5);
    CHECK(f.model->totalCount() == 5);
    CHECK_FALSE(f.model->canFetchMore({}));

    // Newest first: the last generated asset leads.
    const QModelIndex first = f.model->index(0);
    CHECK(first.data(Qt::DisplayRole).toString() == QStringLiteral("render_1004.png"));
    CHECK(first.data(GalleryModel::RatingRole).toInt() == (4 * 7) % 6);
    CHECK(first.data(GalleryModel::PixelSizeRole).toSize() == QSize(18, 24));
    CHECK(first.data(GalleryModel::PromptRole).toString().contains("castle"));
    CHECK(first.data(Qt::ToolTipRole).toString().contains("render_1004.png"));
    CHECK(f.model->recordAt(0) != nullptr);
    CHECK(f.model->recordAt(5) == nullptr);
}

TEST_CASE("GalleryModel fetches large results in pages", "[ui][gallery]") {
    Fixture f(GalleryModel::kFirstPage + 50);
    f.load();
    CHECK(f.model->rowCount() == GalleryModel::kFirstPage);
    CHECK(f.model->totalCount() == GalleryModel::kFirstPage + 50);
    REQUIRE(f.model->canFetchMore({}));
    f.model->fetchMore({});
    CHECK(f.model->isLoading());
    CHECK_FALSE(f.model->canFetchMore({})); // one page at a time
    REQUIRE(waitUntil([&] { return !f.model->isLoading(); }));
    CHECK(f.model->rowCount() == GalleryModel::kFirstPage + 50);
    CHECK_FALSE(f.model->canFetchMore({}));

    // Rows are distinct assets, in order.
    QSet<qint64> ids;
    for (int row = 0; row < f.model->rowCount(); ++row) {
        ids.insert(f.model->index(row).data(GalleryModel::AssetIdRole).toLongLong());
    }
    CHECK(ids.size() == f.model->rowCount());
}

TEST_CASE("GalleryModel filters by search and scope", "[ui][gallery]") {
    Fixture f(12);
    ripen::AssetQuery query;
    query.search = "castle";
    f.load(query);
    CHECK(f.model->rowCount() == 2); // prompts cycle every 6 assets
    query.search = "cast";
    f.load(query);
    CHECK(f.model->rowCount() == 2);
    query.search.clear();
    query.project = "Concepts";
    f.load(query);
    CHECK(f.model->rowCount() == 3);
    query.search = "nothing-matches-this";
    f.load(query);
    CHECK(f.model->rowCount() == 0);
    CHECK(f.model->totalCount() == 0);
    CHECK(f.model->hasLoaded());
}

TEST_CASE("GalleryModel answers data() at once and repaints one row per thumbnail",
          "[ui][gallery][thumbnails]") {
    Fixture f(4);
    f.load();
    REQUIRE(f.model->rowCount() == 4);
    QSignalSpy changed(f.model.get(), &GalleryModel::dataChanged);

    const QModelIndex row2 = f.model->index(2);
    // A miss: a placeholder now, a load scheduled.
    CHECK(row2.data(GalleryModel::ThumbnailStateRole).toInt() ==
          static_cast<int>(ThumbnailCache::State::Loading));
    CHECK(row2.data(Qt::DecorationRole).canConvert<QPixmap>());
    REQUIRE(waitUntil([&] {
        return row2.data(GalleryModel::ThumbnailStateRole).toInt() ==
               static_cast<int>(ThumbnailCache::State::Ready);
    }));
    REQUIRE(changed.size() >= 1);
    for (const auto& signal : changed) {
        const auto topLeft = signal.at(0).value<QModelIndex>();
        const auto bottomRight = signal.at(1).value<QModelIndex>();
        CHECK(topLeft.row() == 2);
        CHECK(bottomRight.row() == 2);
    }
    // No thumbnail file was written, so this came from the blob at reduced size.
    const QPixmap pixmap = row2.data(Qt::DecorationRole).value<QPixmap>();
    CHECK(pixmap.size() == QSize(18, 24));
}

TEST_CASE("ThumbnailCache prefers the library's thumbnail and bounds the size",
          "[ui][thumbnails]") {
    uiApp();
    TempDir dir;
    const auto thumb = dir / "thumb.jpg";
    const auto blob = dir / "blob.png";
    ripen::test::writeTestImage(thumb, cv::Mat(64, 128, CV_8UC3, cv::Scalar(0, 0, 255)));
    ripen::test::writeTestImage(blob, cv::Mat(300, 600, CV_8UC3, cv::Scalar(255, 0, 0)));
    const QString thumbText = QString::fromStdString(thumb.string());
    const QString blobText = QString::fromStdString(blob.string());

    const QImage fromThumb = ThumbnailCache::decode(thumbText, blobText, 256);
    REQUIRE_FALSE(fromThumb.isNull());
    CHECK(fromThumb.size() == QSize(128, 64));
    CHECK(QColor(fromThumb.pixel(10, 10)).red() > 200);

    const QImage fromBlob = ThumbnailCache::decode(thumbText + "-missing", blobText, 256);
    REQUIRE_FALSE(fromBlob.isNull());
    CHECK(fromBlob.size() == QSize(256, 128));
    CHECK(QColor(fromBlob.pixel(10, 10)).blue() > 200);

    CHECK(ThumbnailCache::decode({}, thumbText + "-missing", 256).isNull());

    ThumbnailCache cache;
    QSignalSpy failed(&cache, &ThumbnailCache::thumbnailFailed);
    CHECK(cache.thumbnail("k", "/nonexistent/a.jpg", "/nonexistent/a.png").isNull());
    REQUIRE(failed.wait(10000));
    CHECK(cache.state("k") == ThumbnailCache::State::Failed);
    CHECK(cache.thumbnail("k", "/nonexistent/a.jpg", "/nonexistent/a.png").isNull());
    CHECK_FALSE(cache.isBusy()); // a failure is remembered, not retried in a loop
}

TEST_CASE("GalleryModel refresh merges landed assets without resetting the rows", "[ui][gallery]") {
    Fixture f(6);
    f.load();
    REQUIRE(f.model->rowCount() == 6);
    QItemSelectionModel selection(f.model.get());
    const QModelIndex picked = f.model->index(2);
    const qint64 pickedId = picked.data(GalleryModel::AssetIdRole).toLongLong();
    selection.select(picked, QItemSelectionModel::Select);
    QSignalSpy resets(f.model.get(), &GalleryModel::modelAboutToBeReset);
    QSignalSpy inserted(f.model.get(), &GalleryModel::rowsInserted);

    std::vector<ripen::AssetId> landed;
    {
        // Results landing through another connection, as the job runner writes them.
        auto library = ripen::Library::open(f.dir / "library");
        REQUIRE(library);
        landed = ripen::test::addGeneratedAssets(**library, 3, false, 26);
    }
    f.model->refresh();
    REQUIRE(waitUntil([&] { return !f.model->isLoading(); }));

    CHECK(f.model->rowCount() == 9);
    CHECK(f.model->totalCount() == 9);
    CHECK(resets.isEmpty()); // the view keeps its scroll position
    int insertedRows = 0;
    for (const auto& signal : inserted) {
        insertedRows += signal.at(2).toInt() - signal.at(1).toInt() + 1;
    }
    CHECK(insertedRows == 3); // only the new rows went in; the others stayed
    for (const ripen::AssetId id : landed) {
        CHECK(f.model->rowOf(id) >= 0);
    }
    // The user's selection still names the same asset, wherever the new rows went.
    const auto selected = selection.selectedIndexes();
    REQUIRE(selected.size() == 1);
    CHECK(selected.front().data(GalleryModel::AssetIdRole).toLongLong() == pickedId);
    CHECK(selected.front().row() == f.model->rowOf(pickedId));
}

namespace {

// Assets stored as results and imports are: stamped with the time they were added.
std::vector<ripen::AssetId> landNow(const std::filesystem::path& root, int count, int seed) {
    auto library = ripen::Library::open(root);
    REQUIRE(library);
    std::vector<ripen::AssetId> ids;
    for (int i = 0; i < count; ++i) {
        const auto file = root.parent_path() / ("landed-" + std::to_string(seed + i) + ".png");
        ripen::test::writeTestImage(file, ripen::test::makeTestImage(32, 24, seed + i));
        ripen::NullProgress progress;
        auto prepared = ripen::AssetIngest(**library).prepare(file, ripen::Asset{}, progress);
        REQUIRE(prepared);
        auto id = (*library)->catalog().addAsset(*prepared);
        REQUIRE(id);
        ids.push_back(*id);
    }
    return ids;
}

} // namespace

TEST_CASE("GalleryModel puts arrivals on top without fetching or re-announcing loaded rows",
          "[ui][gallery]") {
    Fixture f(6);
    f.load();
    REQUIRE(f.model->rowCount() == 6);
    QItemSelectionModel selection(f.model.get());
    const qint64 pickedId = f.model->index(2).data(GalleryModel::AssetIdRole).toLongLong();
    selection.select(f.model->index(2), QItemSelectionModel::Select);
    QSignalSpy resets(f.model.get(), &GalleryModel::modelAboutToBeReset);
    QSignalSpy inserted(f.model.get(), &GalleryModel::rowsInserted);
    QSignalSpy changed(f.model.get(), &GalleryModel::dataChanged);

    SECTION("results stamped now go on top, newest first") {
        const auto landed = landNow(f.dir / "library", 2, 40);
        f.model->fetchArrivals();
        REQUIRE(waitUntil([&] { return !f.model->isLoading(); }));
        CHECK(f.model->rowCount() == 8);
        CHECK(f.model->totalCount() == 8);
        CHECK(f.model->rowOf(landed[1]) == 0);
        CHECK(f.model->rowOf(landed[0]) == 1);
        REQUIRE(inserted.size() == 1);
        CHECK(inserted.front().at(1).toInt() == 0);
        CHECK(inserted.front().at(2).toInt() == 1);
        // Only thumbnails that finished loading repaint a row; no row is re-announced.
        for (const auto& signal : changed) {
            CHECK_FALSE(signal.at(2).value<QList<int>>().isEmpty());
        }
        // Nothing new: nothing moves.
        f.model->fetchArrivals();
        REQUIRE(waitUntil([&] { return !f.model->isLoading(); }));
        CHECK(f.model->rowCount() == 8);
        CHECK(inserted.size() == 1);
    }
    SECTION("arrivals that sort below the first row are merged where they belong") {
        // Dated before the loaded rows (a clock set back, say).
        std::vector<ripen::AssetId> landed;
        {
            auto library = ripen::Library::open(f.dir / "library");
            REQUIRE(library);
            landed = ripen::test::addGeneratedAssets(**library, 2, false, 26);
        }
        f.model->fetchArrivals();
        REQUIRE(waitUntil([&] { return !f.model->isLoading(); }));
        CHECK(f.model->rowCount() == 8);
        for (const ripen::AssetId id : landed) {
            CHECK(f.model->rowOf(id) > 0);
        }
    }
    CHECK(resets.isEmpty()); // the view keeps its scroll position
    const auto selected = selection.selectedIndexes();
    REQUIRE(selected.size() == 1);
    CHECK(selected.front().data(GalleryModel::AssetIdRole).toLongLong() == pickedId);
    CHECK(selected.front().row() == f.model->rowOf(pickedId));
}

TEST_CASE("GalleryModel refresh removes assets that left the query in place", "[ui][gallery]") {
    Fixture f(12);
    ripen::AssetQuery query;
    query.project = "Concepts";
    f.load(query);
    REQUIRE(f.model->rowCount() == 3);
    QSignalSpy resets(f.model.get(), &GalleryModel::modelAboutToBeReset);
    QSignalSpy removed(f.model.get(), &GalleryModel::rowsRemoved);
    const qint64 leaving = f.model->index(1).data(GalleryModel::AssetIdRole).toLongLong();
    {
        auto library = ripen::Library::open(f.dir / "library");
        REQUIRE(library);
        const std::vector<ripen::AssetId> moved{leaving};
        REQUIRE((*library)->catalog().setProject(moved, "Label series"));
    }
    f.model->refresh();
    REQUIRE(waitUntil([&] { return !f.model->isLoading(); }));
    CHECK(f.model->rowCount() == 2);
    CHECK(f.model->rowOf(leaving) == -1);
    CHECK(resets.isEmpty());
    CHECK(removed.size() == 1);
}

#pragma once

#include "catalog/AssetQuery.h"

#include <QTimer>
#include <QWidget>

class QLabel;
class QLineEdit;
class QListView;
class QSlider;
class QStackedWidget;

namespace ripen::ui {

class CoreBridge;
class CullingController;
class EmptyStateWidget;
class FilterBar;
class GalleryDelegate;
class GalleryModel;
class ThumbnailCache;

// The gallery: a search field over a virtualised thumbnail grid (QListView in icon mode,
// uniform sizes, batched layout) of a GalleryModel, or an empty state that says what to
// do when there is nothing to show. It owns its model and thumbnail cache; the window
// only tells it the scope (project or client) chosen in the sidebar.
//
// Thread affinity: GUI thread.
class GalleryView final : public QWidget {
    Q_OBJECT
public:
    static constexpr int kSearchDebounceMs = 250;
    static constexpr const char* kThumbnailSizeSetting = "gallery/thumbnailSize";
    static constexpr int kSmallestThumbnail = 96; // px, the slider's range
    // After scrolling rests this long, the thumbnails of one screen above and one below
    // the view are loaded, so the next page shows pictures instead of placeholders.
    static constexpr int kPrefetchDelayMs = 120;

    explicit GalleryView(CoreBridge& bridge, QWidget* parent = nullptr);
    ~GalleryView() override;

    // Called once the library is open; until then the view says it is opening.
    void setLibraryReady(bool ready);
    // Narrows the grid to a project, client or collection (only those fields of `scope`
    // are used).
    void setScope(const ripen::AssetQuery& scope);
    const ripen::AssetQuery& scope() const { return m_scope; }
    // Fetches the rows again (after an import, say), keeping selection and scroll position.
    void reload();
    // Shows the assets that arrived (results, imports) on top without fetching the loaded
    // rows again; GalleryModel::fetchArrivals says when it re-lists instead.
    void showArrivals();

    GalleryModel& model() { return *m_model; }
    QListView& grid() { return *m_grid; }
    QLineEdit& searchField() { return *m_search; }
    FilterBar& filterBar() { return *m_filters; }
    CullingController& culling() { return *m_culling; }
    QSlider& thumbnailSizeSlider() { return *m_sizeSlider; }
    // The square a thumbnail is fitted into at least, in px (the slider's value).
    int thumbnailSize() const;
    void setThumbnailSize(int side);
    // The asset in the grid's current row, or 0.
    ripen::AssetId currentAssetId() const;
    // The selected assets in grid order (the current one when nothing is selected).
    std::vector<ripen::AssetId> selectedAssetIds() const;
    // Makes the asset current and selected when its row is loaded; false otherwise.
    bool selectAsset(ripen::AssetId id);
    const EmptyStateWidget& emptyState() const { return *m_empty; }
    bool isShowingEmptyState() const;
    // Rows or thumbnails still on their way (for tests and the screenshot tool).
    bool isBusy() const;

signals:
    // The empty state's "Import Files…" button.
    void importRequested();
    // The current asset changed (0: none).
    void currentAssetChanged(qint64 assetId);
    // Enter or a double-click on a cell: show that asset large.
    void openRequested(int row);
    // C: compare the selected assets.
    void compareRequested();

protected:
    bool eventFilter(QObject* watched, QEvent* event) override;

private:
    void applyQuery();
    void updateGridSize();
    void updateState();
    void showCurationError(const QString& message);
    void prefetchNeighbours();

    CoreBridge& m_bridge;
    ThumbnailCache* m_thumbnails;
    GalleryModel* m_model;
    QLineEdit* m_search;
    QLabel* m_count;
    QSlider* m_sizeSlider;
    FilterBar* m_filters;
    QLabel* m_error;
    CullingController* m_culling;
    QStackedWidget* m_stack;
    QListView* m_grid;
    EmptyStateWidget* m_empty;
    GalleryDelegate* m_delegate;
    QTimer m_searchDebounce;
    QTimer m_prefetch;
    ripen::AssetQuery m_scope;
    bool m_ready = false;
};

} // namespace ripen::ui

#pragma once

#include "catalog/AssetQuery.h"

#include <QTimer>
#include <QWidget>

class QLabel;
class QLineEdit;
class QListView;
class QStackedWidget;

namespace ripen::ui {

class CoreBridge;
class EmptyStateWidget;
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

    explicit GalleryView(CoreBridge& bridge, QWidget* parent = nullptr);
    ~GalleryView() override;

    // Called once the library is open; until then the view says it is opening.
    void setLibraryReady(bool ready);
    // Narrows the grid to a project or client (only those fields of `scope` are used).
    void setScope(const ripen::AssetQuery& scope);
    // Fetches the rows again (after an import, say).
    void reload();

    GalleryModel& model() { return *m_model; }
    QListView& grid() { return *m_grid; }
    QLineEdit& searchField() { return *m_search; }
    const EmptyStateWidget& emptyState() const { return *m_empty; }
    bool isShowingEmptyState() const;
    // Rows or thumbnails still on their way (for tests and the screenshot tool).
    bool isBusy() const;

signals:
    // The empty state's "Import Files…" button.
    void importRequested();

protected:
    bool eventFilter(QObject* watched, QEvent* event) override;

private:
    void applyQuery();
    void updateGridSize();
    void updateState();

    CoreBridge& m_bridge;
    ThumbnailCache* m_thumbnails;
    GalleryModel* m_model;
    QLineEdit* m_search;
    QLabel* m_count;
    QStackedWidget* m_stack;
    QListView* m_grid;
    EmptyStateWidget* m_empty;
    GalleryDelegate* m_delegate;
    QTimer m_searchDebounce;
    ripen::AssetQuery m_scope;
    bool m_ready = false;
};

} // namespace ripen::ui

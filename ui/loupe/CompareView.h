#pragma once

#include "catalog/Asset.h"

#include <QList>
#include <QWidget>
#include <vector>

class QGridLayout;
class QLabel;

namespace ripen::ui {

class EmptyStateWidget;
class FullImageLoader;
class GalleryView;
class ImageCanvas;

// Two to four assets side by side with synchronised zoom and pan: zooming (Z or a
// double-click) or dragging one canvas moves the others to the same normalised place, so
// the same detail is compared across renders. Escape asks to go back to the grid. Images
// are decoded on a worker by the shared FullImageLoader. Culling keys (P, X, U, 0-9)
// apply to the pane that has focus (click it, or Tab between panes), whose caption is
// bold; every caption shows its asset's rating, flag and label as the catalog has them.
//
// Thread affinity: GUI thread.
class CompareView final : public QWidget {
    Q_OBJECT
public:
    static constexpr int kMaxAssets = 4;

    CompareView(GalleryView& gallery, FullImageLoader& loader, QWidget* parent = nullptr);

    // Shows these assets (the first kMaxAssets); fewer than two shows how to choose them.
    void setAssets(const std::vector<ripen::AssetId>& ids);
    QList<ImageCanvas*> canvases() const { return m_canvases; }
    bool isShowingEmptyState() const;
    bool isLoading() const;
    // The caption under each pane (file name, stars, flag, label).
    QStringList captions() const;

signals:
    void closeRequested();

protected:
    bool eventFilter(QObject* watched, QEvent* event) override;

private:
    void clear();
    void follow(ImageCanvas* leader, bool actualSize, QPointF center);
    void updateCaptions();
    bool cullPane(ImageCanvas* canvas, int key);

    GalleryView& m_gallery;
    FullImageLoader& m_loader;
    QWidget* m_panes;
    QGridLayout* m_grid;
    EmptyStateWidget* m_empty;
    QList<ImageCanvas*> m_canvases;
    QStringList m_files;               // per canvas
    std::vector<ripen::AssetId> m_ids; // per canvas
    QList<QLabel*> m_captions;         // per canvas
};

} // namespace ripen::ui

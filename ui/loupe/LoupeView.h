#pragma once

#include <QWidget>

class QLabel;
class QListView;

namespace ripen::ui {

class FullImageLoader;
class GalleryView;
class ImageCanvas;

// One asset large: the image fitted (Z or a double-click for 100% at the clicked point,
// drag to pan), a line naming it, and a filmstrip of the gallery's rows under it. It shares
// the gallery's model and selection, so culling keys, arrow keys and the filmstrip move
// through the same assets the grid shows; Escape asks to go back to the grid. The full
// image is decoded on a worker while the canvas says it is loading.
//
// Thread affinity: GUI thread.
class LoupeView final : public QWidget {
    Q_OBJECT
public:
    LoupeView(GalleryView& gallery, FullImageLoader& loader, QWidget* parent = nullptr);

    // Shows the gallery's current asset (call when the view is raised).
    void showCurrent();
    ImageCanvas& canvas() { return *m_canvas; }
    QListView& filmstrip() { return *m_filmstrip; }
    // The file shown or being loaded.
    QString currentFile() const { return m_file; }
    bool isLoading() const;

signals:
    void closeRequested();

protected:
    bool eventFilter(QObject* watched, QEvent* event) override;

private:
    void step(int delta);
    void updateCaption();

    GalleryView& m_gallery;
    FullImageLoader& m_loader;
    QLabel* m_caption;
    ImageCanvas* m_canvas;
    QListView* m_filmstrip;
    QString m_file;
};

} // namespace ripen::ui

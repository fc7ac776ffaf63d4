#pragma once

#include <QObject>

class QStackedWidget;

namespace ripen::ui {

class CompareView;
class FullImageLoader;
class GalleryView;
class LoupeView;

// Puts the loupe and the compare view into the main window's stack beside the gallery and
// switches between them: Enter or a double-click in the grid opens the loupe, C compares
// the selection, Escape in either goes back to the grid. They share one image loader.
//
// Thread affinity: GUI thread.
class CurationViews final : public QObject {
    Q_OBJECT
public:
    CurationViews(GalleryView& gallery, QStackedWidget& stack, QObject* parent = nullptr);

    void openLoupe();
    void openCompare();
    void showGrid();

    LoupeView& loupe() { return *m_loupe; }
    CompareView& compare() { return *m_compare; }
    bool isBusy() const;

private:
    GalleryView& m_gallery;
    QStackedWidget& m_stack;
    FullImageLoader* m_loader;
    LoupeView* m_loupe;
    CompareView* m_compare;
};

} // namespace ripen::ui

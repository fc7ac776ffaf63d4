#include "loupe/CurationViews.h"

#include "gallery/GalleryView.h"
#include "loupe/CompareView.h"
#include "loupe/FullImageLoader.h"
#include "loupe/ImageCanvas.h"
#include "loupe/LoupeView.h"

#include <QListView>
#include <QStackedWidget>

namespace ripen::ui {

CurationViews::CurationViews(GalleryView& gallery, QStackedWidget& stack, QObject* parent)
    : QObject(parent), m_gallery(gallery), m_stack(stack), m_loader(new FullImageLoader(this)),
      m_loupe(new LoupeView(gallery, *m_loader, &stack)),
      m_compare(new CompareView(gallery, *m_loader, &stack)) {
    m_stack.addWidget(m_loupe);
    m_stack.addWidget(m_compare);
    connect(&m_gallery, &GalleryView::openRequested, this, &CurationViews::openLoupe);
    connect(&m_gallery, &GalleryView::compareRequested, this, &CurationViews::openCompare);
    connect(m_loupe, &LoupeView::closeRequested, this, &CurationViews::showGrid);
    connect(m_compare, &CompareView::closeRequested, this, &CurationViews::showGrid);
}

void CurationViews::openLoupe() {
    m_stack.setCurrentWidget(m_loupe);
    m_loupe->showCurrent();
    m_loupe->canvas().setFocus();
}

void CurationViews::openCompare() {
    m_compare->setAssets(m_gallery.selectedAssetIds());
    m_stack.setCurrentWidget(m_compare);
    if (m_compare->isShowingEmptyState()) {
        m_compare->setFocus();
    }
}

void CurationViews::showGrid() {
    m_stack.setCurrentWidget(&m_gallery);
    m_gallery.grid().setFocus();
    if (m_gallery.grid().currentIndex().isValid()) {
        m_gallery.grid().scrollTo(m_gallery.grid().currentIndex());
    }
}

bool CurationViews::isBusy() const {
    return m_loader->isBusy();
}

} // namespace ripen::ui

#include "loupe/LoupeView.h"

#include "gallery/CullingController.h"
#include "gallery/GalleryModel.h"
#include "gallery/GalleryView.h"
#include "loupe/FilmstripDelegate.h"
#include "loupe/FullImageLoader.h"
#include "loupe/ImageCanvas.h"
#include "theme/Theme.h"

#include <QKeyEvent>
#include <QLabel>
#include <QListView>
#include <QScrollBar>
#include <QVBoxLayout>

namespace ripen::ui {

LoupeView::LoupeView(GalleryView& gallery, FullImageLoader& loader, QWidget* parent)
    : QWidget(parent), m_gallery(gallery), m_loader(loader), m_caption(new QLabel(this)),
      m_canvas(new ImageCanvas(this)), m_filmstrip(new QListView(this)) {
    setObjectName(QStringLiteral("loupeView"));
    m_caption->setObjectName(QStringLiteral("loupeCaption"));
    m_caption->setContentsMargins(2 * Theme::kGrid, Theme::kGrid, 2 * Theme::kGrid, Theme::kGrid);
    m_caption->setMinimumWidth(Theme::kGrid); // clipped rather than widening the window

    m_filmstrip->setObjectName(QStringLiteral("filmstrip"));
    m_filmstrip->setViewMode(QListView::IconMode);
    m_filmstrip->setFlow(QListView::LeftToRight);
    m_filmstrip->setWrapping(false);
    m_filmstrip->setMovement(QListView::Static);
    m_filmstrip->setUniformItemSizes(true);
    m_filmstrip->setHorizontalScrollMode(QAbstractItemView::ScrollPerPixel);
    m_filmstrip->setVerticalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    m_filmstrip->setSelectionMode(QAbstractItemView::ExtendedSelection);
    m_filmstrip->setItemDelegate(new FilmstripDelegate(m_filmstrip));
    m_filmstrip->setSpacing(0);
    const int stripHeight = FilmstripDelegate::kSide + 2 * FilmstripDelegate::kGap;
    m_filmstrip->setFixedHeight(stripHeight +
                                m_filmstrip->horizontalScrollBar()->sizeHint().height() +
                                2 * m_filmstrip->frameWidth());
    m_filmstrip->setModel(&m_gallery.model());
    m_filmstrip->setSelectionModel(m_gallery.grid().selectionModel());

    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(0);
    layout->addWidget(m_caption);
    layout->addWidget(m_canvas, 1);
    layout->addWidget(m_filmstrip);

    m_gallery.culling().watch(m_canvas);
    m_gallery.culling().watch(m_filmstrip);
    m_canvas->installEventFilter(this);
    m_filmstrip->installEventFilter(this);

    connect(m_gallery.grid().selectionModel(), &QItemSelectionModel::currentChanged, this, [this] {
        if (isVisible()) {
            showCurrent();
        }
    });
    connect(&m_gallery.model(), &GalleryModel::dataChanged, this, [this] { updateCaption(); });
    connect(&m_loader, &FullImageLoader::imageReady, this, [this](const QString& file) {
        if (file == m_file) {
            m_canvas->setImage(m_loader.image(file));
        }
    });
    connect(&m_loader, &FullImageLoader::imageFailed, this,
            [this](const QString& file, const QString& message) {
                if (file == m_file) {
                    m_canvas->setPlaceholder(
                        tr("This file cannot be shown here.\n%1").arg(message));
                }
            });
}

bool LoupeView::isLoading() const {
    return m_canvas->image().isNull() && m_loader.isBusy();
}

void LoupeView::showCurrent() {
    const QModelIndex current = m_gallery.grid().selectionModel()->currentIndex();
    const AssetRecord* record = m_gallery.model().recordAt(current.row());
    updateCaption();
    if (record == nullptr) {
        m_file.clear();
        m_canvas->setPlaceholder(tr("No asset to show. Press Esc to go back to the grid."));
        return;
    }
    m_filmstrip->scrollTo(current, QAbstractItemView::PositionAtCenter);
    if (record->asset.kind == ripen::AssetKind::Video) {
        m_file.clear();
        m_canvas->setPlaceholder(tr("Videos play in the Motion view."));
        return;
    }
    m_file = record->blobFile;
    const QImage image = m_loader.image(m_file);
    if (image.isNull()) {
        m_canvas->setPlaceholder(tr("Loading…"));
    } else {
        m_canvas->setImage(image);
    }
}

void LoupeView::updateCaption() {
    const QModelIndex current = m_gallery.grid().selectionModel()->currentIndex();
    if (!current.isValid()) {
        m_caption->setText(QString());
        return;
    }
    const QSize pixels = current.data(GalleryModel::PixelSizeRole).toSize();
    const int stars = current.data(GalleryModel::RatingRole).toInt();
    const auto flag = static_cast<ripen::Flag>(current.data(GalleryModel::FlagRole).toInt());
    QStringList parts{current.data(Qt::DisplayRole).toString(),
                      tr("%1 × %2 px").arg(pixels.width()).arg(pixels.height()),
                      tr("%1 of %2").arg(current.row() + 1).arg(m_gallery.model().rowCount()),
                      QString(stars, QChar(0x2605)) + QString(5 - stars, QChar(0x2606))};
    if (flag != ripen::Flag::None) {
        parts << (flag == ripen::Flag::Pick ? tr("Picked") : tr("Rejected"));
    }
    parts << tr("Z: fit or 100%   Esc: grid");
    m_caption->setText(parts.join(QStringLiteral("   ·   ")));
}

void LoupeView::step(int delta) {
    const QModelIndex current = m_gallery.grid().selectionModel()->currentIndex();
    const QModelIndex next = m_gallery.model().index(current.row() + delta, 0);
    if (next.isValid()) {
        m_gallery.grid().selectionModel()->setCurrentIndex(next,
                                                           QItemSelectionModel::ClearAndSelect);
    } else if (delta > 0 && m_gallery.model().canFetchMore({})) {
        m_gallery.model().fetchMore({});
    }
}

bool LoupeView::eventFilter(QObject* watched, QEvent* event) {
    if (event->type() == QEvent::KeyPress) {
        const auto* key = static_cast<QKeyEvent*>(event);
        switch (key->key()) {
        case Qt::Key_Escape:
            emit closeRequested();
            return true;
        case Qt::Key_Z:
            m_canvas->toggleZoom();
            return true;
        case Qt::Key_Left:
            step(-1);
            return true;
        case Qt::Key_Right:
            step(1);
            return true;
        default:
            break;
        }
    }
    return QWidget::eventFilter(watched, event);
}

} // namespace ripen::ui

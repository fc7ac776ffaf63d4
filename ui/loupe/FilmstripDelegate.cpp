#include "loupe/FilmstripDelegate.h"

#include "catalog/Asset.h"
#include "gallery/GalleryModel.h"
#include "gallery/ThumbnailCache.h"

#include <QPainter>
#include <QPixmap>

namespace ripen::ui {

FilmstripDelegate::FilmstripDelegate(QObject* parent) : QStyledItemDelegate(parent) {}

QSize FilmstripDelegate::sizeHint(const QStyleOptionViewItem&, const QModelIndex&) const {
    return {kSide + 2 * kGap, kSide + 2 * kGap};
}

void FilmstripDelegate::paint(QPainter* painter, const QStyleOptionViewItem& option,
                              const QModelIndex& index) const {
    painter->save();
    painter->setRenderHint(QPainter::Antialiasing);
    painter->setRenderHint(QPainter::SmoothPixmapTransform);
    const QRect box = option.rect.adjusted(kGap, kGap, -kGap, -kGap);
    painter->setPen(Qt::NoPen);
    painter->setBrush(option.palette.color(QPalette::Base));
    painter->drawRoundedRect(box, 3, 3);
    const QVariant decoration = index.data(Qt::DecorationRole);
    const auto state =
        static_cast<ThumbnailCache::State>(index.data(GalleryModel::ThumbnailStateRole).toInt());
    if (state == ThumbnailCache::State::Ready) {
        const QPixmap pixmap = decoration.value<QPixmap>();
        QRectF target(QPointF(0, 0),
                      QSizeF(pixmap.size()).scaled(QSizeF(box.size()), Qt::KeepAspectRatio));
        target.moveCenter(QRectF(box).center());
        const auto flag = static_cast<ripen::Flag>(index.data(GalleryModel::FlagRole).toInt());
        painter->setOpacity(flag == ripen::Flag::Reject ? 0.35 : 1.0);
        painter->drawPixmap(target, pixmap, QRectF(pixmap.rect()));
        painter->setOpacity(1.0);
    }
    if (option.state.testFlag(QStyle::State_Selected)) {
        painter->setBrush(Qt::NoBrush);
        painter->setPen(QPen(option.palette.color(QPalette::Highlight), 2));
        painter->drawRoundedRect(QRectF(box).adjusted(-1, -1, 1, 1), 3, 3);
    }
    painter->restore();
}

} // namespace ripen::ui

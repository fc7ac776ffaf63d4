#include "gallery/GalleryDelegate.h"

#include "catalog/Asset.h"
#include "gallery/GalleryModel.h"
#include "gallery/ThumbnailCache.h"
#include "theme/Theme.h"

#include <QPainter>
#include <QPainterPath>
#include <QPixmap>
#include <QtMath>
#include <algorithm>
#include <memory>

namespace ripen::ui {

namespace {

QPainterPath starPath(const QRectF& box) {
    QPainterPath path;
    const QPointF centre = box.center();
    const double outer = box.width() / 2.0;
    const double inner = outer * 0.45;
    for (int i = 0; i < 10; ++i) {
        const double radius = (i % 2 == 0) ? outer : inner;
        const double angle = qDegreesToRadians(-90.0 + i * 36.0);
        const QPointF point(centre.x() + radius * std::cos(angle),
                            centre.y() + radius * std::sin(angle));
        if (i == 0) {
            path.moveTo(point);
        } else {
            path.lineTo(point);
        }
    }
    path.closeSubpath();
    return path;
}

void drawFlagBadge(QPainter* painter, const QRectF& image, ripen::Flag flag) {
    if (flag == ripen::Flag::None) {
        return;
    }
    const QRectF badge(image.left() + 6, image.top() + 6, 20, 20);
    painter->setPen(Qt::NoPen);
    painter->setBrush(QColor(0, 0, 0, 150));
    painter->drawEllipse(badge);
    if (flag == ripen::Flag::Pick) {
        // A small pennant on a pole.
        QPainterPath pennant;
        pennant.moveTo(badge.left() + 7.5, badge.top() + 5);
        pennant.lineTo(badge.left() + 15, badge.top() + 8);
        pennant.lineTo(badge.left() + 7.5, badge.top() + 11);
        pennant.closeSubpath();
        painter->setBrush(QColor(0xf0f0f0));
        painter->drawPath(pennant);
        painter->setPen(QPen(QColor(0xf0f0f0), 1.5));
        painter->drawLine(QPointF(badge.left() + 7.5, badge.top() + 5),
                          QPointF(badge.left() + 7.5, badge.top() + 15.5));
    } else {
        painter->setPen(QPen(QColor(0xe07a76), 2.0, Qt::SolidLine, Qt::RoundCap));
        const QRectF cross = badge.adjusted(6.5, 6.5, -6.5, -6.5);
        painter->drawLine(cross.topLeft(), cross.bottomRight());
        painter->drawLine(cross.topRight(), cross.bottomLeft());
    }
}

void drawPlayBadge(QPainter* painter, const QRectF& image) {
    const QRectF badge(image.right() - 26, image.top() + 6, 20, 20);
    painter->setPen(Qt::NoPen);
    painter->setBrush(QColor(0, 0, 0, 150));
    painter->drawEllipse(badge);
    QPainterPath triangle;
    triangle.moveTo(badge.left() + 8, badge.top() + 5.5);
    triangle.lineTo(badge.left() + 15, badge.center().y());
    triangle.lineTo(badge.left() + 8, badge.bottom() - 5.5);
    triangle.closeSubpath();
    painter->setBrush(QColor(0xf0f0f0));
    painter->drawPath(triangle);
}

void drawPlaceholder(QPainter* painter, const QRect& box, const QPalette& palette,
                     ThumbnailCache::State state, ripen::AssetKind kind) {
    painter->setPen(Qt::NoPen);
    painter->setBrush(palette.color(QPalette::Base));
    painter->drawRoundedRect(box, 3, 3);
    if (state == ThumbnailCache::State::Loading) {
        return; // an empty tile: loads are quick and a spinner per cell would flicker
    }
    QFont font = painter->font();
    font.setPointSizeF(font.pointSizeF() * 0.9);
    painter->setFont(font);
    painter->setPen(palette.color(QPalette::PlaceholderText));
    const QString text = kind == ripen::AssetKind::Video ? QObject::tr("Video\nno preview")
                                                         : QObject::tr("No preview");
    painter->drawText(box, Qt::AlignCenter, text);
}

} // namespace

GalleryDelegate::GalleryDelegate(QObject* parent) : QStyledItemDelegate(parent) {}

QSize GalleryDelegate::cellSizeFor(int side) {
    return {2 * kInset + side + 2 * kPadding,
            2 * kInset + kPadding + side + kPadding + 2 * kLine + kPadding};
}

void GalleryDelegate::setCellSize(QSize size) {
    m_cellSize = size;
}

QPixmap GalleryDelegate::scaled(const QPixmap& pixmap, QSize size, qreal ratio) const {
    if (pixmap.size() == size && pixmap.devicePixelRatio() == ratio) {
        return pixmap;
    }
    const QPair<qint64, qint64> key(pixmap.cacheKey(),
                                    (qint64(size.width()) << 32) | qint64(size.height()));
    if (const QPixmap* hit = m_scaled.object(key)) {
        return *hit;
    }
    auto copy = std::make_unique<QPixmap>(
        pixmap.scaled(size, Qt::IgnoreAspectRatio, Qt::SmoothTransformation));
    copy->setDevicePixelRatio(ratio);
    const QPixmap result = *copy;
    const qint64 kib = std::max<qint64>(1, qint64(size.width()) * size.height() * 4 / 1024);
    m_scaled.insert(key, copy.release(), kib);
    return result;
}

QSize GalleryDelegate::sizeHint(const QStyleOptionViewItem&, const QModelIndex&) const {
    return m_cellSize;
}

void GalleryDelegate::paint(QPainter* painter, const QStyleOptionViewItem& option,
                            const QModelIndex& index) const {
    painter->save();
    painter->setRenderHint(QPainter::Antialiasing);
    painter->setRenderHint(QPainter::SmoothPixmapTransform);
    const QPalette& palette = option.palette;
    const bool selected = option.state.testFlag(QStyle::State_Selected);
    const bool hovered = option.state.testFlag(QStyle::State_MouseOver);

    // The card: the slot less half a gap all round, at most as wide as a full thumbnail.
    const int side = std::clamp(option.rect.width() - 2 * kInset - 2 * kPadding, 16, kMaxThumbnail);
    QRect card(0, 0, side + 2 * kPadding, option.rect.height() - 2 * kInset);
    card.moveCenter(option.rect.center());
    card.moveTop(option.rect.top() + kInset);
    const QRectF cell = QRectF(card).adjusted(0.5, 0.5, -0.5, -0.5);
    QColor background = palette.color(QPalette::AlternateBase);
    if (hovered) {
        background =
            Theme::current() == ThemeMode::Dark ? background.lighter(125) : background.darker(104);
    }
    painter->setPen(Qt::NoPen);
    painter->setBrush(background);
    painter->drawRoundedRect(cell, 4, 4);
    if (selected) {
        QColor tint = palette.color(QPalette::Highlight);
        tint.setAlpha(70);
        painter->setBrush(tint);
        painter->setPen(QPen(palette.color(QPalette::Highlight), 2));
        painter->drawRoundedRect(cell.adjusted(1, 1, -1, -1), 4, 4);
    }

    // The thumbnail, asked for first so that a miss schedules its load.
    const QVariant decoration = index.data(Qt::DecorationRole);
    const auto state =
        static_cast<ThumbnailCache::State>(index.data(GalleryModel::ThumbnailStateRole).toInt());
    const auto kind = static_cast<ripen::AssetKind>(index.data(GalleryModel::KindRole).toInt());
    const auto flag = static_cast<ripen::Flag>(index.data(GalleryModel::FlagRole).toInt());
    const QRect box(card.left() + kPadding, card.top() + kPadding, side, side);
    QRectF imageRect = box;
    if (state == ThumbnailCache::State::Ready) {
        const QPixmap pixmap = decoration.value<QPixmap>();
        // Whole device pixels at a whole-pixel position: the cached copy is then copied
        // as it is, with no filtering at paint time.
        const qreal ratio = painter->device()->devicePixelRatioF();
        const QSize fitted = pixmap.size().scaled(box.size(), Qt::KeepAspectRatio);
        QRect target(QPoint(0, 0), fitted);
        target.moveCenter(box.center());
        imageRect = target;
        if (flag == ripen::Flag::Reject) {
            painter->setOpacity(0.35);
        }
        painter->drawPixmap(target.topLeft(), scaled(pixmap, fitted * ratio, ratio));
        painter->setOpacity(1.0);
        if (kind == ripen::AssetKind::Video) {
            drawPlayBadge(painter, imageRect);
        }
    } else {
        drawPlaceholder(painter, box, palette, state, kind);
    }
    drawFlagBadge(painter, imageRect, flag);

    // The name.
    const QColor text = palette.color(selected ? QPalette::HighlightedText : QPalette::Text);
    QFont font = option.font;
    font.setPointSizeF(font.pointSizeF() * 0.9);
    painter->setFont(font);
    const QRect nameRect(box.left(), box.bottom() + 1 + kPadding, side, kLine);
    QColor nameColor = text;
    nameColor.setAlphaF(selected ? 1.0 : 0.75);
    painter->setPen(nameColor);
    painter->drawText(nameRect, Qt::AlignLeft | Qt::AlignVCenter,
                      painter->fontMetrics().elidedText(index.data(Qt::DisplayRole).toString(),
                                                        Qt::ElideMiddle, nameRect.width()));

    // Stars and the colour label.
    const int rating = index.data(GalleryModel::RatingRole).toInt();
    const QRect starsRect(box.left(), nameRect.bottom() + 1, side, kLine);
    QColor empty = text;
    empty.setAlphaF(0.3);
    painter->setPen(Qt::NoPen);
    for (int i = 0; i < 5; ++i) {
        const QRectF star(starsRect.left() + i * 14, starsRect.center().y() - 5.5, 11, 11);
        if (i < rating) {
            painter->setBrush(text);
            painter->drawPath(starPath(star));
        } else {
            painter->setBrush(empty);
            painter->drawEllipse(star.center(), 1.5, 1.5);
        }
    }
    const auto label =
        static_cast<ripen::ColorLabel>(index.data(GalleryModel::ColorLabelRole).toInt());
    if (const QColor swatch = Theme::labelColor(label); swatch.isValid()) {
        painter->setBrush(swatch);
        painter->drawRoundedRect(
            QRectF(starsRect.right() - 11, starsRect.center().y() - 5.5, 12, 12), 3, 3);
    }
    painter->restore();
}

} // namespace ripen::ui

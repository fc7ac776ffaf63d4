#pragma once

#include <QCache>
#include <QPair>
#include <QPixmap>
#include <QSize>
#include <QStyledItemDelegate>

namespace ripen::ui {

// Paints one gallery cell from GalleryModel's roles: the thumbnail fitted into a square,
// a pick/reject badge over it (rejects are dimmed, as in Lightroom), the file name, the
// star rating and the colour-label swatch. Colours come from the palette so the dark and
// light themes both work; the only saturated colours are the labels'. Each thumbnail is
// scaled to its cell once and kept (a bounded cache), so a repaint only copies pixels.
//
// Thread affinity: GUI thread.
class GalleryDelegate final : public QStyledItemDelegate {
    Q_OBJECT
public:
    static constexpr int kMinThumbnail = 160; // px, the smallest square an image fits into
    static constexpr int kMaxThumbnail = 256; // px, the thumbnails' own size
    static constexpr int kPadding = 8;
    static constexpr int kInset = 4; // half the gap between cards
    static constexpr int kLine = 16;

    explicit GalleryDelegate(QObject* parent = nullptr);

    // The grid slot for a thumbnail square of `side` px (card plus half a gap all round).
    static QSize cellSizeFor(int side);
    // Every cell has this size (the view uses uniform item sizes and sets it to its grid).
    void setCellSize(QSize size);
    QSize cellSize() const { return m_cellSize; }

    void paint(QPainter* painter, const QStyleOptionViewItem& option,
               const QModelIndex& index) const override;
    QSize sizeHint(const QStyleOptionViewItem& option, const QModelIndex& index) const override;

    // The most scaled thumbnails kept, in KiB of pixels (about 300 cells at 256 px).
    static constexpr int kScaledCacheKiB = 80 * 1024;

private:
    // `pixmap` smoothly scaled to `size` device pixels (for a device of pixel ratio
    // `ratio`), from the cache when it was scaled so before.
    QPixmap scaled(const QPixmap& pixmap, QSize size, qreal ratio) const;

    QSize m_cellSize = cellSizeFor(kMinThumbnail);
    // (QPixmap::cacheKey, width << 32 | height) -> the scaled copy; a thumbnail that is
    // loaded again gets a new cache key, so a stale copy is never shown.
    mutable QCache<QPair<qint64, qint64>, QPixmap> m_scaled{kScaledCacheKiB};
};

} // namespace ripen::ui

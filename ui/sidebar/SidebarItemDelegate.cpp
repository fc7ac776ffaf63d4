#include "sidebar/SidebarItemDelegate.h"

#include "theme/Theme.h"

#include <QPainter>

namespace ripen::ui {

SidebarItemDelegate::SidebarItemDelegate(QObject* parent) : QStyledItemDelegate(parent) {}

QSize SidebarItemDelegate::sizeHint(const QStyleOptionViewItem& option,
                                    const QModelIndex& index) const {
    const bool heading = index.data(kHeadingRole).toBool();
    return {option.rect.width(), heading ? 4 * Theme::kGrid : 3 * Theme::kGrid};
}

void SidebarItemDelegate::paint(QPainter* painter, const QStyleOptionViewItem& option,
                                const QModelIndex& index) const {
    painter->save();
    const QPalette& palette = option.palette;
    const bool heading = index.data(kHeadingRole).toBool();
    const bool selected = option.state.testFlag(QStyle::State_Selected);
    const bool hovered = option.state.testFlag(QStyle::State_MouseOver);
    const int depth = index.parent().isValid() ? 1 : 0;

    if (selected) {
        painter->fillRect(option.rect, palette.color(QPalette::Highlight));
    } else if (hovered && !heading) {
        QColor hover = palette.color(QPalette::WindowText);
        hover.setAlpha(18);
        painter->fillRect(option.rect, hover);
    }

    QRect text = option.rect.adjusted((2 + 2 * depth) * Theme::kGrid, 0, -2 * Theme::kGrid, 0);
    QFont font = option.font;
    if (heading) {
        font.setBold(true);
        font.setPointSizeF(font.pointSizeF() * 0.8);
        font.setLetterSpacing(QFont::PercentageSpacing, 108);
        text.setBottom(text.bottom() - Theme::kGrid / 2);
    }
    if (index.data(Qt::FontRole).isValid()) {
        font.setItalic(index.data(Qt::FontRole).value<QFont>().italic());
    }
    painter->setFont(font);

    const QColor dim = palette.color(QPalette::PlaceholderText);
    const QColor normal = palette.color(selected ? QPalette::HighlightedText : QPalette::Text);
    const QString count = index.data(kCountRole).toString();
    int countWidth = 0;
    if (!count.isEmpty()) {
        countWidth = painter->fontMetrics().horizontalAdvance(count) + Theme::kGrid;
        painter->setPen(selected ? normal : dim);
        painter->drawText(text, Qt::AlignRight | Qt::AlignVCenter, count);
    }
    const bool muted = heading || !(index.flags() & Qt::ItemIsSelectable);
    painter->setPen(muted && !selected ? dim : normal);
    const QRect nameRect = text.adjusted(0, 0, -countWidth, 0);
    painter->drawText(nameRect, Qt::AlignLeft | (heading ? Qt::AlignBottom : Qt::AlignVCenter),
                      painter->fontMetrics().elidedText(index.data(Qt::DisplayRole).toString(),
                                                        Qt::ElideRight, nameRect.width()));
    painter->restore();
}

} // namespace ripen::ui

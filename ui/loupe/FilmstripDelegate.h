#pragma once

#include <QStyledItemDelegate>

namespace ripen::ui {

// Paints one filmstrip cell under the loupe: the thumbnail fitted into a square, rejects
// dimmed, the current asset outlined in the selection colour.
//
// Thread affinity: GUI thread.
class FilmstripDelegate final : public QStyledItemDelegate {
    Q_OBJECT
public:
    static constexpr int kSide = 72; // px, the thumbnail square
    static constexpr int kGap = 4;

    explicit FilmstripDelegate(QObject* parent = nullptr);

    void paint(QPainter* painter, const QStyleOptionViewItem& option,
               const QModelIndex& index) const override;
    QSize sizeHint(const QStyleOptionViewItem& option, const QModelIndex& index) const override;
};

} // namespace ripen::ui

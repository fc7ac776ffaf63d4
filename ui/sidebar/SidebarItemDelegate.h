#pragma once

#include <QStyledItemDelegate>

namespace ripen::ui {

// Paints the sidebar's rows on the 8 px grid: a heading in small bold capitals, or an
// entry with its name on the left and its asset count right-aligned in a dimmer colour.
// The row is one column so the selection is one unbroken bar; children are indented here
// rather than by the view.
class SidebarItemDelegate final : public QStyledItemDelegate {
    Q_OBJECT
public:
    static constexpr int kCountRole = Qt::UserRole + 10;   // QString, empty for none
    static constexpr int kHeadingRole = Qt::UserRole + 11; // bool

    explicit SidebarItemDelegate(QObject* parent = nullptr);

    void paint(QPainter* painter, const QStyleOptionViewItem& option,
               const QModelIndex& index) const override;
    QSize sizeHint(const QStyleOptionViewItem& option, const QModelIndex& index) const override;
};

} // namespace ripen::ui

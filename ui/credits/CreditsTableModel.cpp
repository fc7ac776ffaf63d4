#include "credits/CreditsTableModel.h"

#include <QColor>

namespace ripen::ui {

CreditsTableModel::CreditsTableModel(QStringList headers, QObject* parent)
    : QAbstractTableModel(parent), m_headers(std::move(headers)) {}

bool CreditsTableModel::setRows(QVector<Row> rows) {
    for (auto& row : rows) {
        while (row.cells.size() < m_headers.size()) {
            row.cells.append(QString());
        }
    }
    if (rows == m_rows) {
        return false;
    }
    beginResetModel();
    m_rows = std::move(rows);
    endResetModel();
    return true;
}

int CreditsTableModel::rowCount(const QModelIndex& parent) const {
    return parent.isValid() ? 0 : static_cast<int>(m_rows.size());
}

int CreditsTableModel::columnCount(const QModelIndex& parent) const {
    return parent.isValid() ? 0 : static_cast<int>(m_headers.size());
}

QVariant CreditsTableModel::data(const QModelIndex& index, int role) const {
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid)) {
        return {};
    }
    const Row& row = m_rows[index.row()];
    switch (role) {
    case Qt::DisplayRole:
        return row.cells.value(index.column());
    case Qt::ToolTipRole:
        if (row.warning.isEmpty() && m_shortenedColumns.contains(index.column())) {
            return row.cells.value(index.column());
        }
        return row.warning.isEmpty() ? QVariant() : QVariant(row.warning);
    case Qt::ForegroundRole:
        return row.warning.isEmpty() ? QVariant() : QVariant(QColor(0xf2, 0xa3, 0x3a));
    case Qt::TextAlignmentRole:
        return index.column() == 0 || m_textColumns.contains(index.column())
                   ? QVariant(int(Qt::AlignLeft | Qt::AlignVCenter))
                   : QVariant(int(Qt::AlignRight | Qt::AlignVCenter));
    default:
        return {};
    }
}

QVariant CreditsTableModel::headerData(int section, Qt::Orientation orientation, int role) const {
    if (role != Qt::DisplayRole || orientation != Qt::Horizontal || section < 0 ||
        section >= m_headers.size()) {
        return {};
    }
    return m_headers[section];
}

} // namespace ripen::ui

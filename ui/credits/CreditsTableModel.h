#pragma once

#include <QAbstractTableModel>
#include <QStringList>
#include <QVariant>
#include <QVector>

namespace ripen::ui {

// A read-only table of figures for the credit dashboard: display texts (money already
// formatted exactly from micro-units), with optional per-row warnings shown in the
// warning colour and as a tooltip. Rows are replaced as a whole when a refresh lands.
//
// Thread affinity: GUI thread.
class CreditsTableModel final : public QAbstractTableModel {
    Q_OBJECT
public:
    struct Row {
        QStringList cells;
        QString warning; // empty: none
    };

    explicit CreditsTableModel(QStringList headers, QObject* parent = nullptr);

    void setRows(QVector<Row> rows);
    const QVector<Row>& rows() const { return m_rows; }

    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation,
                        int role = Qt::DisplayRole) const override;

private:
    QStringList m_headers;
    QVector<Row> m_rows;
};

} // namespace ripen::ui

#pragma once

#include <QAbstractTableModel>
#include <QStringList>
#include <QVariant>
#include <QVector>

namespace ripen::ui {

// A read-only table of figures for the credit dashboard: display texts (money already
// formatted exactly from micro-units), with optional per-row warnings shown in the
// warning colour and as a tooltip. Rows are replaced as a whole when a refresh lands, and
// only when they differ: a refresh that read the same figures resets nothing.
//
// Thread affinity: GUI thread.
class CreditsTableModel final : public QAbstractTableModel {
    Q_OBJECT
public:
    struct Row {
        QStringList cells;
        QString warning; // empty: none
        bool operator==(const Row&) const = default;
    };

    explicit CreditsTableModel(QStringList headers, QObject* parent = nullptr);

    // Replaces the rows (one model reset) unless they equal the current ones; whether it did.
    bool setRows(QVector<Row> rows);
    // Columns of words (names, sources) read from the left; the first column and these are
    // left-aligned, figures right-aligned.
    void setTextColumns(QList<int> columns) { m_textColumns = std::move(columns); }
    // Columns a narrow view may shorten: without a warning, a cell's tooltip is its text.
    void setShortenedColumns(QList<int> columns) { m_shortenedColumns = std::move(columns); }
    const QVector<Row>& rows() const { return m_rows; }

    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation,
                        int role = Qt::DisplayRole) const override;

private:
    QStringList m_headers;
    QVector<Row> m_rows;
    QList<int> m_textColumns;
    QList<int> m_shortenedColumns;
};

} // namespace ripen::ui

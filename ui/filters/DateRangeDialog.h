#pragma once

#include <QDate>
#include <QDialog>

class QDateEdit;

namespace ripen::ui {

// Asks for a span of days (both included) for the gallery's date filter. The end can
// not be set before the start: moving one past the other moves the other with it.
//
// Thread affinity: GUI thread.
class DateRangeDialog final : public QDialog {
    Q_OBJECT
public:
    DateRangeDialog(QDate from, QDate to, QWidget* parent = nullptr);

    QDate from() const;
    QDate to() const;
    QDateEdit& fromEdit() { return *m_from; }
    QDateEdit& toEdit() { return *m_to; }

private:
    QDateEdit* m_from;
    QDateEdit* m_to;
};

} // namespace ripen::ui

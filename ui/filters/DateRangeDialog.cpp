#include "filters/DateRangeDialog.h"

#include <QDateEdit>
#include <QDialogButtonBox>
#include <QFormLayout>

namespace ripen::ui {

DateRangeDialog::DateRangeDialog(QDate from, QDate to, QWidget* parent)
    : QDialog(parent), m_from(new QDateEdit(this)), m_to(new QDateEdit(this)) {
    setObjectName(QStringLiteral("dateRangeDialog"));
    setWindowTitle(tr("Added Between"));
    const QDate today = QDate::currentDate();
    for (QDateEdit* edit : {m_from, m_to}) {
        edit->setCalendarPopup(true);
        edit->setDisplayFormat(QLocale().dateFormat(QLocale::ShortFormat));
        edit->setMaximumDate(today);
    }
    m_from->setObjectName(QStringLiteral("dateRangeFrom"));
    m_to->setObjectName(QStringLiteral("dateRangeTo"));
    m_from->setDate(from.isValid() ? from : today.addDays(-6));
    m_to->setDate(to.isValid() ? to : today);
    connect(m_from, &QDateEdit::dateChanged, this, [this](QDate day) {
        if (m_to->date() < day) {
            m_to->setDate(day);
        }
    });
    connect(m_to, &QDateEdit::dateChanged, this, [this](QDate day) {
        if (m_from->date() > day) {
            m_from->setDate(day);
        }
    });

    auto* buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, this);
    connect(buttons, &QDialogButtonBox::accepted, this, &QDialog::accept);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    auto* form = new QFormLayout(this);
    form->addRow(tr("Added from"), m_from);
    form->addRow(tr("to"), m_to);
    form->addRow(buttons);
}

QDate DateRangeDialog::from() const {
    return m_from->date();
}

QDate DateRangeDialog::to() const {
    return m_to->date();
}

} // namespace ripen::ui

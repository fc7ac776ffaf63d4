#pragma once

#include <QLabel>
#include <QString>

namespace ripen::ui {

// The hidden, word-wrapped line in the dashboard's warning colour where a credits dialog
// (budget, price) says what is wrong with what was typed, until it is valid.
inline QLabel* makeDialogWarning(QWidget* parent, const QString& objectName) {
    auto* label = new QLabel(parent);
    label->setObjectName(objectName);
    label->setWordWrap(true);
    QPalette warn = label->palette();
    warn.setColor(QPalette::WindowText, QColor(0xf2, 0xa3, 0x3a)); // the dashboard's warning
    label->setPalette(warn);
    label->hide();
    return label;
}

} // namespace ripen::ui

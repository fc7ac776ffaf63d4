#include "MoneyText.h"

namespace ripen::ui {

QString MoneyText::format(ripen::Micros amount, const std::string& unit) {
    const QString digits = QString::fromStdString(ripen::formatMicros(amount));
    if (unit == "USD") {
        return digits.startsWith(QLatin1Char('-')) ? QStringLiteral("-$") + digits.mid(1)
                                                   : QStringLiteral("$") + digits;
    }
    return digits + QLatin1Char(' ') + QString::fromStdString(unit);
}

} // namespace ripen::ui

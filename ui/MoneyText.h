#pragma once

#include "credits/Money.h"

#include <QString>
#include <string>

namespace ripen::ui {

// Money as the interface shows it, from integer micro-units: "$0.134" for USD, "25 credits"
// for a credit account. Figures are meant for a label with tabular digits
// so columns of amounts line up.
class MoneyText {
public:
    static QString format(ripen::Micros amount, const std::string& unit);
    static QString usd(ripen::Micros amount) { return format(amount, "USD"); }
};

} // namespace ripen::ui

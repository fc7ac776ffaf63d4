#pragma once

#include "credits/PriceBook.h"

#include <QDialog>
#include <optional>

class QLabel;
class QLineEdit;

namespace ripen::ui {

// Changes one price of the price book: shows what it prices (provider, model, qualifiers,
// per image, second or call), where the current price came from and when, the shipped
// price a user's price replaced, and asks for the new amount in the price's unit. The
// amount is read exactly as `ripen-cli credits price set --amount` reads it (up to six
// decimals, never negative); OK stays on the dialog and says what is wrong until it is
// valid. The price is stored as the user's, dated today, by whoever opened the dialog.
//
// Thread affinity: GUI thread.
class PriceDialog final : public QDialog {
    Q_OBJECT
public:
    explicit PriceDialog(const Price& price, QWidget* parent = nullptr);

    // The price with the amount typed (key, per and unit unchanged).
    Price price() const;

    QLineEdit& amountEdit() { return *m_amount; }
    QString errorText() const;

    void accept() override;

private:
    std::optional<Micros> typedAmount(QString* problem) const;

    Price m_price;
    QLineEdit* m_amount;
    QLabel* m_error;
};

} // namespace ripen::ui

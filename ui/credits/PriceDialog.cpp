#include "credits/PriceDialog.h"

#include "credits/DialogWarning.h"

#include <QDialogButtonBox>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>

namespace ripen::ui {
namespace {

QString text(const std::string& s) {
    return QString::fromStdString(s);
}

QString describe(const Price& p) {
    QStringList parts{text(p.provider), text(p.model)};
    for (const auto* qualifier : {&p.imageSize, &p.quality, &p.mode}) {
        if (!qualifier->empty()) {
            parts << text(*qualifier);
        }
    }
    return parts.join(QLatin1Char(' '));
}

} // namespace

PriceDialog::PriceDialog(const Price& price, QWidget* parent)
    : QDialog(parent), m_price(price), m_amount(new QLineEdit(this)),
      m_error(makeDialogWarning(this, QStringLiteral("priceError"))) {
    setObjectName(QStringLiteral("priceDialog"));
    setWindowTitle(tr("Change Price"));
    m_amount->setText(text(formatMicros(price.amount)));
    m_amount->selectAll();
    m_amount->setToolTip(tr("Your price; the next estimate, reservation and budget check use it"));

    auto* amountRow = new QWidget(this);
    auto* amountLayout = new QHBoxLayout(amountRow);
    amountLayout->setContentsMargins(0, 0, 0, 0);
    amountLayout->addWidget(m_amount, 1);
    amountLayout->addWidget(
        new QLabel(tr("%1 per %2").arg(text(price.unit), text(toString(price.per))), amountRow));

    QString current = tr("%1 %2, from %3 on %4")
                          .arg(text(formatMicros(price.amount)), text(price.unit),
                               text(price.source), text(price.asOf));
    auto* buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, this);
    connect(buttons, &QDialogButtonBox::accepted, this, &PriceDialog::accept);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    auto* form = new QFormLayout(this);
    form->addRow(tr("Price of"), new QLabel(describe(price), this));
    auto* currentLabel = new QLabel(current, this);
    currentLabel->setWordWrap(true);
    form->addRow(tr("Now"), currentLabel);
    if (price.shippedAmount) {
        form->addRow(
            tr("Shipped"),
            new QLabel(tr("%1 %2").arg(text(formatMicros(*price.shippedAmount)), text(price.unit)),
                       this));
    }
    form->addRow(tr("New price"), amountRow);
    form->addRow(new QLabel(tr("Saved as your price (source \"user\"), dated today."), this));
    form->addRow(m_error);
    form->addRow(buttons);
}

std::optional<Micros> PriceDialog::typedAmount(QString* problem) const {
    auto parsed = parseMicros(m_amount->text().trimmed().toStdString(), "the price");
    if (!parsed) {
        *problem = text(parsed.error().message);
        return std::nullopt;
    }
    if (*parsed < 0) {
        *problem = tr("A price cannot be negative.");
        return std::nullopt;
    }
    return *parsed;
}

Price PriceDialog::price() const {
    Price p = m_price;
    QString ignored;
    p.amount = typedAmount(&ignored).value_or(m_price.amount);
    return p;
}

QString PriceDialog::errorText() const {
    return m_error->isVisible() ? m_error->text() : QString();
}

void PriceDialog::accept() {
    QString problem;
    if (!typedAmount(&problem)) {
        m_error->setText(problem);
        m_error->show();
        return;
    }
    m_error->hide();
    QDialog::accept();
}

} // namespace ripen::ui

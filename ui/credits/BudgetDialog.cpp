#include "credits/BudgetDialog.h"

#include "credits/DialogWarning.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDialogButtonBox>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>

namespace ripen::ui {

BudgetDialog::BudgetDialog(const QStringList& projects, const QStringList& clients, QWidget* parent)
    : QDialog(parent), m_projects(projects), m_clients(clients), m_scope(new QComboBox(this)),
      m_name(new QComboBox(this)), m_limit(new QLineEdit(this)),
      m_noCap(new QCheckBox(tr("No cap (remove the budget)"), this)),
      m_error(makeDialogWarning(this, QStringLiteral("budgetError"))) {
    setObjectName(QStringLiteral("budgetDialog"));
    setWindowTitle(tr("Set Budget"));
    m_scope->addItem(tr("Project"), QStringLiteral("project"));
    m_scope->addItem(tr("Client"), QStringLiteral("client"));
    m_name->setEditable(true);
    m_name->setInsertPolicy(QComboBox::NoInsert);
    m_name->setMinimumContentsLength(24);
    m_name->setToolTip(tr("An existing project or client, or a new name to create it"));
    m_limit->setPlaceholderText(tr("e.g. 250 or 12.50"));
    m_limit->setToolTip(tr("The hard cap in USD: the next job that would cross it is refused"));

    auto* limitRow = new QWidget(this);
    auto* limitLayout = new QHBoxLayout(limitRow);
    limitLayout->setContentsMargins(0, 0, 0, 0);
    limitLayout->addWidget(new QLabel(QStringLiteral("$"), limitRow));
    limitLayout->addWidget(m_limit, 1);
    limitLayout->addWidget(new QLabel(tr("USD"), limitRow));

    auto* buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, this);
    connect(buttons, &QDialogButtonBox::accepted, this, &BudgetDialog::accept);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    connect(m_scope, &QComboBox::currentIndexChanged, this, &BudgetDialog::fillNames);
    connect(m_noCap, &QCheckBox::toggled, m_limit, &QWidget::setDisabled);

    auto* form = new QFormLayout(this);
    form->addRow(tr("Budget for"), m_scope);
    form->addRow(tr("Name"), m_name);
    form->addRow(tr("Hard cap"), limitRow);
    form->addRow(QString(), m_noCap);
    form->addRow(m_error);
    form->addRow(buttons);
    fillNames();
}

void BudgetDialog::fillNames() {
    const QString typed = m_name->currentText();
    m_name->clear();
    m_name->addItems(scope() == QStringLiteral("client") ? m_clients : m_projects);
    if (!typed.isEmpty()) {
        m_name->setCurrentText(typed);
    }
}

void BudgetDialog::preset(const QString& scope, const QString& name,
                          std::optional<Micros> limitUsd) {
    m_scope->setCurrentIndex(std::max(0, m_scope->findData(scope)));
    m_name->setCurrentText(name);
    m_noCap->setChecked(!limitUsd.has_value());
    m_limit->setText(limitUsd ? QString::fromStdString(formatMicros(*limitUsd)) : QString());
}

QString BudgetDialog::scope() const {
    return m_scope->currentData().toString();
}

QString BudgetDialog::name() const {
    return m_name->currentText().trimmed();
}

std::optional<Micros> BudgetDialog::limitUsd() const {
    if (m_noCap->isChecked()) {
        return std::nullopt;
    }
    auto parsed = parseMicros(m_limit->text().trimmed().toStdString(), "the cap");
    return parsed && *parsed >= 0 ? std::optional<Micros>(*parsed) : std::nullopt;
}

QString BudgetDialog::errorText() const {
    return m_error->isVisible() ? m_error->text() : QString();
}

void BudgetDialog::accept() {
    QString problem;
    if (name().isEmpty()) {
        problem =
            scope() == QStringLiteral("client") ? tr("Name the client.") : tr("Name the project.");
    } else if (!m_noCap->isChecked()) {
        auto parsed = parseMicros(m_limit->text().trimmed().toStdString(), "the cap");
        if (!parsed) {
            problem = QString::fromStdString(parsed.error().message);
        } else if (*parsed < 0) {
            problem = tr("The cap cannot be negative.");
        }
    }
    if (!problem.isEmpty()) {
        m_error->setText(problem);
        m_error->show();
        return;
    }
    m_error->hide();
    QDialog::accept();
}

} // namespace ripen::ui

#pragma once

#include "credits/Money.h"

#include <QDialog>
#include <optional>

class QCheckBox;
class QComboBox;
class QLabel;
class QLineEdit;

namespace ripen::ui {

// Asks for a project's or client's hard cap in USD: the scope, its name (an existing
// project or client, or a new one), and the cap, or "No cap" to remove the budget. The
// cap is read exactly as `ripen-cli budget set --limit` reads it (up to six decimals, never
// negative); OK stays on the dialog and says what is wrong until it is valid.
//
// Thread affinity: GUI thread.
class BudgetDialog final : public QDialog {
    Q_OBJECT
public:
    BudgetDialog(const QStringList& projects, const QStringList& clients,
                 QWidget* parent = nullptr);

    // Starts on this budget (editing one already in the table).
    void preset(const QString& scope, const QString& name, std::optional<Micros> limitUsd);

    QString scope() const; // "project" or "client"
    QString name() const;
    std::optional<Micros> limitUsd() const; // nullopt: remove the cap

    QComboBox& scopeBox() { return *m_scope; }
    QComboBox& nameBox() { return *m_name; }
    QLineEdit& limitEdit() { return *m_limit; }
    QCheckBox& noCapBox() { return *m_noCap; }
    QString errorText() const;

    void accept() override;

private:
    void fillNames();

    QStringList m_projects;
    QStringList m_clients;
    QComboBox* m_scope;
    QComboBox* m_name;
    QLineEdit* m_limit;
    QCheckBox* m_noCap;
    QLabel* m_error;
};

} // namespace ripen::ui

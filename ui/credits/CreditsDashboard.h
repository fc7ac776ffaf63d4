#pragma once

#include "credits/CreditsDashboardLoader.h"

#include <QWidget>
#include <filesystem>
#include <memory>
#include <optional>

class QComboBox;
class QLabel;

class QChart;
class QChartView;

namespace ripen::ui {

class CreditsTableModel;

// The credit dashboard: balances per account (with renewals, grants and the effective
// cost per credit), spend over time stacked by a chosen grouping with the queued-jobs
// forecast as a last bar, budgets as bars of their cap with the soft-alert line, yield
// (cost per pick, discovery vs production) per project, and the price book with prices
// older than 90 days marked. Every figure is the one `ripen-cli credits report --format
// json` prints for the same bucket, grouping and as-of day.
//
// Plug it into the main window's central stack and call setLibraryRoot(); it loads on a
// worker (CreditsDashboardLoader) and never touches the catalog on the GUI thread.
//
// Thread affinity: GUI thread.
class CreditsDashboard final : public QWidget {
    Q_OBJECT
public:
    static constexpr int kStalePriceDays = 90;

    explicit CreditsDashboard(QWidget* parent = nullptr);
    ~CreditsDashboard() override;

    void setLibraryRoot(const std::filesystem::path& root);
    // Balances and price ages as of `day` (default: today).
    void setAsOf(std::optional<CalendarDay> day);
    void setGrouping(SpendGrouping grouping);
    void setBucket(SpendBucket bucket);
    void refresh();

    bool isBusy() const;
    const CreditsSnapshot* snapshot() const { return m_snapshot.get(); }
    CreditsTableModel& balancesModel() { return *m_balances; }
    CreditsTableModel& spendModel() { return *m_spend; }
    CreditsTableModel& budgetsModel() { return *m_budgets; }
    CreditsTableModel& yieldModel() { return *m_yield; }
    CreditsTableModel& priceBookModel() { return *m_priceBook; }

signals:
    void refreshed();

private:
    void apply(std::shared_ptr<const CreditsSnapshot> snapshot);
    void fillBalances(const CreditsSnapshot& s);
    void fillSpend(const CreditsSnapshot& s);
    void fillBudgets(const CreditsSnapshot& s);
    void fillYield(const CreditsSnapshot& s);
    void fillPriceBook(const CreditsSnapshot& s);

    CreditsDashboardLoader m_loader;
    std::filesystem::path m_root;
    std::optional<CalendarDay> m_asOf;
    std::shared_ptr<const CreditsSnapshot> m_snapshot;
    QComboBox* m_bucketBox = nullptr;
    QComboBox* m_groupBox = nullptr;
    QLabel* m_status = nullptr;
    QChartView* m_spendChart = nullptr;
    QChartView* m_budgetChart = nullptr;
    QChartView* m_yieldChart = nullptr;
    CreditsTableModel* m_balances = nullptr;
    CreditsTableModel* m_spend = nullptr;
    CreditsTableModel* m_budgets = nullptr;
    CreditsTableModel* m_yield = nullptr;
    CreditsTableModel* m_priceBook = nullptr;
};

} // namespace ripen::ui

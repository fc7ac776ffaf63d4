#pragma once

#include "credits/CreditsDashboardLoader.h"
#include "credits/CreditsDrillDown.h"

#include <QWidget>
#include <filesystem>
#include <memory>
#include <optional>

class QBarSet;
class QComboBox;
class QGridLayout;
class QLabel;
class QModelIndex;
class QTableView;
class QTabWidget;
class QTimer;

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
// A click on a bar, or a double-click on a table row, asks for the assets behind that
// figure (assetsRequested; the queued forecast asks for the jobs instead). Budgets are set
// from the Budgets tab (Set Budget…, or a double-click on a budget's cap): the dashboard
// asks (budgetChangeRequested) and whoever owns the catalog writes it, then refreshes.
// Prices are changed from the Price book tab (Change Price…, or a double-click on a price)
// and reverted to the shipped price there: the dashboard's loader stores them as the
// user's overrides in the library on its worker, reads again and says pricesChanged, so
// the queue can read its prices again (JobLane::reloadPrices) for the next estimate.
//
// Plug it into the main window's central stack and call setLibraryRoot(); it loads on a
// worker (CreditsDashboardLoader) and never touches the catalog on the GUI thread.
//
// Thread affinity: GUI thread.
class CreditsDashboard final : public QWidget {
    Q_OBJECT
public:
    static constexpr int kStalePriceDays = ripen::kStalePriceDays;
    // Narrower than this, the figures stack in one column.
    static constexpr int kTwoColumnWidth = 1100;
    static constexpr int kNarrowRowHeight = 260;
    // The price book's source column: the one that gives way when the view is narrow.
    static constexpr int kPriceSourceColumn = 7;

    explicit CreditsDashboard(QWidget* parent = nullptr);
    ~CreditsDashboard() override;

    void setLibraryRoot(const std::filesystem::path& root);
    // Balances and price ages as of `day` (default: today).
    void setAsOf(std::optional<CalendarDay> day);
    void setGrouping(SpendGrouping grouping);
    void setBucket(SpendBucket bucket);
    void refresh();
    // The projects and clients the budget dialog offers.
    void setBudgetTargets(const QStringList& projects, const QStringList& clients);
    // Opens the budget dialog (non-modal to the event loop), on `row` of the budgets table
    // when it is one.
    void editBudget(int row = -1);
    // Opens the price dialog on `row` of the price book (non-modal to the event loop).
    void editPrice(int row);
    // Drops the user's price on `row`, so the shipped one applies again.
    void revertPrice(int row);
    // The assets behind a row of a table, as a double-click there asks for them.
    std::optional<AssetsBehind> assetsBehindSpendRow(int row) const;
    std::optional<AssetsBehind> assetsBehindBudgetRow(int row) const;
    std::optional<AssetsBehind> assetsBehindYieldRow(int row) const;

    bool isBusy() const;
    bool isTwoColumn() const { return m_wide; }
    const CreditsSnapshot* snapshot() const { return m_snapshot.get(); }
    CreditsTableModel& balancesModel() { return *m_balances; }
    CreditsTableModel& spendModel() { return *m_spend; }
    CreditsTableModel& budgetsModel() { return *m_budgets; }
    CreditsTableModel& yieldModel() { return *m_yield; }
    CreditsTableModel& priceBookModel() { return *m_priceBook; }
    QTabWidget& tables() { return *m_tables; }
    QTableView& spendTable() { return *m_spendTable; }
    QTableView& budgetsTable() { return *m_budgetsTable; }
    QTableView& yieldTable() { return *m_yieldTable; }
    QTableView& priceBookTable() { return *m_priceTable; }
    QChartView& spendChart() { return *m_spendChart; }

signals:
    // A refresh has landed: every table and chart shows the new snapshot (they are filled
    // one per turn of the event loop after it arrives; isBusy() until then).
    void refreshed();
    void assetsRequested(const ripen::ui::AssetsBehind& assets);
    void jobsRequested();
    void budgetChangeRequested(const QString& scope, const QString& name,
                               std::optional<ripen::Micros> limitUsd);
    // The user's prices changed in the library (after the write, before the refresh lands).
    void pricesChanged();

protected:
    void resizeEvent(QResizeEvent* event) override;

private:
    // spend table, spend chart, budgets, yield, balances, price book
    static constexpr int kFillParts = 6;

    void apply(std::shared_ptr<const CreditsSnapshot> snapshot);
    void fillNextPart();
    void fillBalances(const CreditsSnapshot& s);
    void fillSpend(const CreditsSnapshot& s);
    void fillSpendChart(const CreditsSnapshot& s);
    void fillBudgets(const CreditsSnapshot& s);
    void fillYield(const CreditsSnapshot& s);
    void fillPriceBook(const CreditsSnapshot& s);
    QWidget* makeBudgetsTab();
    QWidget* makePriceBookTab();
    void onPricesWritten(int count, const QString& error);
    void arrange(bool wide);
    void onSpendBarClicked(int index, QBarSet* set);
    void connectDrillDowns();

    CreditsDashboardLoader m_loader;
    std::filesystem::path m_root;
    std::optional<CalendarDay> m_asOf;
    std::shared_ptr<const CreditsSnapshot> m_snapshot;
    QTimer* m_fillTimer = nullptr;
    int m_fillStep = kFillParts; // the next part apply() fills; kFillParts: none pending
    bool m_chartsDrawn = false;  // unchanged rows may then keep their charts
    SpendBucket m_spendChartBucket = SpendBucket::Week;
    bool m_spendChartStale = false; // the spend table changed: its chart is drawn next
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
    QTabWidget* m_tables = nullptr;
    QTableView* m_balancesTable = nullptr;
    QGridLayout* m_grid = nullptr;
    bool m_wide = true;
    QTableView* m_spendTable = nullptr;
    QTableView* m_budgetsTable = nullptr;
    QTableView* m_yieldTable = nullptr;
    QTableView* m_priceTable = nullptr;
    QString m_priceError; // shown by the refresh that follows a refused price change
    QStringList m_projects;
    QStringList m_clients;
    std::vector<CalendarDay> m_spendBuckets; // the spend chart's categories, in order
    std::vector<std::string> m_yieldNames;   // the yield chart's categories, in order
};

} // namespace ripen::ui

#pragma once

#include "credits/CreditReport.h"
#include "credits/PriceBook.h"

#include <QFutureWatcher>
#include <QObject>
#include <QString>
#include <filesystem>
#include <memory>

namespace ripen::ui {

// What one dashboard refresh read: the overview (balances, spend over time, forecast,
// budgets, yield) and the price book, or the error that stopped it.
struct CreditsSnapshot {
    CreditOverview overview;
    std::vector<Price> prices;
    CalendarDay today = 0;
    QString error;
    qint64 loadMs = 0;
};

// Loads CreditsSnapshots off the GUI thread. Each load opens its own Library on the worker
// (a catalog connection has thread affinity) and reads the ledger's roll-up through
// buildCreditOverview; the GUI thread only receives the finished snapshot. This lives in
// ui/credits/ rather than in CoreBridge so the dashboard can be plugged in without
// changing the bridge; a newer load supersedes an older one still running.
//
// Thread affinity: GUI thread (the work itself runs on Qt's global thread pool).
class CreditsDashboardLoader final : public QObject {
    Q_OBJECT
public:
    explicit CreditsDashboardLoader(QObject* parent = nullptr);
    ~CreditsDashboardLoader() override;

    void load(const std::filesystem::path& libraryRoot, const CreditReportRequest& request);
    bool isBusy() const { return m_watcher.isRunning() || m_pending; }

signals:
    void loaded(std::shared_ptr<const ripen::ui::CreditsSnapshot> snapshot);
    void busyChanged(bool busy);

private:
    void start();
    void onFinished();

    QFutureWatcher<std::shared_ptr<const CreditsSnapshot>> m_watcher;
    std::filesystem::path m_root;
    CreditReportRequest m_request;
    bool m_pending = false;
};

} // namespace ripen::ui

#pragma once

#include "credits/CreditReport.h"
#include "credits/PriceBook.h"

#include <QFutureWatcher>
#include <QObject>
#include <QString>
#include <filesystem>
#include <memory>

namespace ripen::ui {

// A user's edit of the price book: `price` (its key, per, unit and amount) becomes the
// user's price from today, or with `revert` its override is removed.
struct PriceChange {
    Price price;
    bool revert = false;
};

// What one dashboard refresh read: the overview (balances, spend over time, forecast,
// budgets, yield) and the price book (loadLibraryPriceBook, user overrides included), or
// the error that stopped it; and how the price changes written just before it went.
struct CreditsSnapshot {
    CreditOverview overview;
    std::vector<Price> prices;
    CalendarDay today = 0;
    QString error;
    qint64 loadMs = 0;
    int pricesChanged = 0; // price changes written before this read
    QString priceError;    // why a price change was not written
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
    // Writes `change` to the library's catalog on the worker (one transaction), then loads
    // the dashboard again with the last request.
    void changePrice(const PriceChange& change);
    bool isBusy() const { return m_watcher.isRunning() || m_pending; }

signals:
    void loaded(std::shared_ptr<const ripen::ui::CreditsSnapshot> snapshot);
    void busyChanged(bool busy);
    // Price changes were written (count) or refused (error), before the read that follows.
    void pricesWritten(int count, const QString& error);

private:
    void start();
    void onFinished();

    QFutureWatcher<std::shared_ptr<const CreditsSnapshot>> m_watcher;
    std::filesystem::path m_root;
    CreditReportRequest m_request;
    std::vector<PriceChange> m_changes; // to write before the next read
    bool m_pending = false;
};

} // namespace ripen::ui

#include "credits/CreditsDashboardLoader.h"

#include "catalog/Library.h"
#include "credits/LibraryPriceBook.h"
#include "credits/PriceOverrides.h"

#include <QElapsedTimer>
#include <QtConcurrent/QtConcurrentRun>

namespace ripen::ui {
namespace {

// Writes the price changes in one transaction; the count written, or why none was.
Result<int> writePriceChanges(Library& library, const std::vector<PriceChange>& changes,
                              CalendarDay on) {
    auto& db = library.catalog().database();
    auto tx = sqlite::Transaction::begin(db);
    if (!tx) {
        return std::unexpected(tx.error());
    }
    PriceOverrides overrides(db);
    for (const auto& change : changes) {
        if (change.revert) {
            if (auto reverted = overrides.reset(change.price); !reverted) {
                return std::unexpected(reverted.error());
            }
        } else if (auto set = overrides.set(change.price, on); !set) {
            return std::unexpected(set.error());
        }
    }
    if (auto committed = tx->commit(); !committed) {
        return std::unexpected(committed.error());
    }
    return static_cast<int>(changes.size());
}

std::shared_ptr<const CreditsSnapshot> readSnapshot(const std::filesystem::path& root,
                                                    const CreditReportRequest& request,
                                                    const std::vector<PriceChange>& changes) {
    auto snapshot = std::make_shared<CreditsSnapshot>();
    QElapsedTimer timer;
    timer.start();
    snapshot->today = today();
    auto library = Library::open(root);
    if (!library) {
        snapshot->error = QString::fromStdString(library.error().message);
        return snapshot;
    }
    if (!changes.empty()) {
        auto written = writePriceChanges(**library, changes, snapshot->today);
        snapshot->pricesChanged = written.value_or(0);
        snapshot->priceError =
            written ? QString() : QString::fromStdString(written.error().message);
    }
    // Only a speed-up: without the map the same figures come through read().
    (void)mapCatalogForCreditReads((*library)->catalog().database());
    auto overview = buildCreditOverview((*library)->catalog().database(), request);
    if (!overview) {
        snapshot->error = QString::fromStdString(overview.error().message);
        return snapshot;
    }
    snapshot->overview = std::move(*overview);
    // The prices the queue estimates with, as of the dashboard's day (that of the balances).
    auto prices = loadLibraryPriceBook(**library, snapshot->overview.balances);
    if (prices) {
        snapshot->prices = prices->prices();
    } else {
        snapshot->error = QString::fromStdString(prices.error().message);
    }
    snapshot->loadMs = timer.elapsed();
    return snapshot;
}

} // namespace

CreditsDashboardLoader::CreditsDashboardLoader(QObject* parent) : QObject(parent) {
    connect(&m_watcher, &QFutureWatcherBase::finished, this, &CreditsDashboardLoader::onFinished);
}

CreditsDashboardLoader::~CreditsDashboardLoader() {
    m_watcher.waitForFinished();
}

void CreditsDashboardLoader::load(const std::filesystem::path& libraryRoot,
                                  const CreditReportRequest& request) {
    const bool wasBusy = isBusy();
    m_root = libraryRoot;
    m_request = request;
    m_pending = true;
    if (!m_watcher.isRunning()) {
        start();
    }
    if (!wasBusy) {
        emit busyChanged(true);
    }
}

void CreditsDashboardLoader::changePrice(const PriceChange& change) {
    m_changes.push_back(change);
    load(m_root, m_request);
}

void CreditsDashboardLoader::start() {
    m_pending = false;
    m_watcher.setFuture(
        QtConcurrent::run(readSnapshot, m_root, m_request, std::exchange(m_changes, {})));
}

void CreditsDashboardLoader::onFinished() {
    const auto& finished = m_watcher.result();
    if (finished->pricesChanged > 0 || !finished->priceError.isEmpty()) {
        emit pricesWritten(finished->pricesChanged, finished->priceError);
    }
    if (m_pending) {
        start(); // the settings changed while this one ran: its result is stale
        return;
    }
    emit loaded(m_watcher.result());
    emit busyChanged(false);
}

} // namespace ripen::ui

#include "credits/CreditsDashboardLoader.h"

#include "catalog/Library.h"
#include "common/ResourceLocator.h"

#include <QElapsedTimer>
#include <QtConcurrent/QtConcurrentRun>

namespace ripen::ui {
namespace {

std::shared_ptr<const CreditsSnapshot> readSnapshot(const std::filesystem::path& root,
                                                    const CreditReportRequest& request) {
    auto snapshot = std::make_shared<CreditsSnapshot>();
    QElapsedTimer timer;
    timer.start();
    snapshot->today = today();
    auto library = Library::open(root);
    if (!library) {
        snapshot->error = QString::fromStdString(library.error().message);
        return snapshot;
    }
    auto overview = buildCreditOverview((*library)->catalog().database(), request);
    if (!overview) {
        snapshot->error = QString::fromStdString(overview.error().message);
        return snapshot;
    }
    snapshot->overview = std::move(*overview);
    // The library's own price book wins over the shipped one, as in ripen-cli.
    std::error_code ec;
    const auto own = root / "pricebook.json";
    auto prices =
        PriceBook::load(std::filesystem::exists(own, ec) ? own : resourceFile("pricebook.json"));
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

void CreditsDashboardLoader::start() {
    m_pending = false;
    m_watcher.setFuture(QtConcurrent::run(readSnapshot, m_root, m_request));
}

void CreditsDashboardLoader::onFinished() {
    if (m_pending) {
        start(); // the settings changed while this one ran: its result is stale
        return;
    }
    emit loaded(m_watcher.result());
    emit busyChanged(false);
}

} // namespace ripen::ui

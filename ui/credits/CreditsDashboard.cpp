#include "credits/CreditsDashboard.h"

#include "credits/BudgetDialog.h"
#include "credits/CreditsTableModel.h"
#include "credits/PriceDialog.h"

#include <QBarCategoryAxis>
#include <QBarSet>
#include <QChart>
#include <QChartView>
#include <QComboBox>
#include <QGridLayout>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QHorizontalStackedBarSeries>
#include <QLabel>
#include <QLineSeries>
#include <QPushButton>
#include <QResizeEvent>
#include <QStackedBarSeries>
#include <QTabWidget>
#include <QTableView>
#include <QTimer>
#include <QVBoxLayout>
#include <QValueAxis>
#include <algorithm>
#include <cmath>
#include <map>
#include <set>

namespace ripen::ui {
namespace {

QString money(Micros micros) {
    return QString::fromStdString(formatMicros(micros));
}
QString dollars(Micros micros) {
    return QStringLiteral("$") + money(micros);
}
QString optionalDollars(const std::optional<Micros>& micros) {
    return micros ? dollars(*micros) : QStringLiteral("-");
}
// Charts draw doubles; the tables beside them carry the exact figures.
double chartDollars(Micros micros) {
    return static_cast<double>(micros) / kMicrosPerUnit;
}

QString unitOf(const CreditAccounts::Balance& b) {
    return b.account.currency == "USD" ? QStringLiteral("USD") : QStringLiteral("credits");
}

QChartView* makeChartView(const QString& title) {
    auto* chart = new QChart;
    chart->setTheme(QChart::ChartThemeDark);
    chart->setTitle(title);
    chart->setBackgroundRoundness(4);
    chart->legend()->setAlignment(Qt::AlignBottom);
    chart->setAnimationOptions(QChart::NoAnimation);
    auto* view = new QChartView(chart);
    view->setRenderHint(QPainter::Antialiasing);
    view->setMinimumHeight(220);
    return view;
}

// Replaces the chart's series and axes.
QChart* resetChart(QChartView* view) {
    QChart* chart = view->chart();
    chart->removeAllSeries();
    for (QAbstractAxis* axis : chart->axes()) {
        chart->removeAxis(axis);
        delete axis;
    }
    return chart;
}

QTableView* makeTable(CreditsTableModel* model) {
    auto* table = new QTableView;
    table->setModel(model);
    table->verticalHeader()->hide();
    table->horizontalHeader()->setStretchLastSection(true);
    table->horizontalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
    // Fitting columns to every row measures thousands of spend rows on the GUI thread at
    // each refresh; the first rows' figures are as wide as the rest's.
    table->horizontalHeader()->setResizeContentsPrecision(64);
    table->setSelectionBehavior(QAbstractItemView::SelectRows);
    table->setEditTriggers(QAbstractItemView::NoEditTriggers);
    table->setAlternatingRowColors(true);
    return table;
}

QString qualifiers(const Price& p) {
    QStringList parts;
    for (const auto* text : {&p.imageSize, &p.quality, &p.mode}) {
        if (!text->empty()) {
            parts << QString::fromStdString(*text);
        }
    }
    return parts.join(QLatin1Char(' '));
}

// A price's source as the price book lists it: without the URL's scheme, which every web
// source shares and which would widen the table past a 1280 px window. The stale-price
// warning and the price dialog quote it whole.
QString sourceForDisplay(const std::string& source) {
    QString text = QString::fromStdString(source);
    for (const auto scheme : {QLatin1String("https://"), QLatin1String("http://")}) {
        if (text.startsWith(scheme)) {
            return text.mid(scheme.size());
        }
    }
    return text;
}

// From this many bars on, the spend chart's dates are written upright.
constexpr qsizetype kUprightLabelsFrom = 12;

// How many of the latest buckets the spend chart draws: a month of days, half a year of
// weeks, two years of months.
int chartBuckets(SpendBucket bucket) {
    switch (bucket) {
    case SpendBucket::Day:
        return 31;
    case SpendBucket::Week:
        return 26;
    case SpendBucket::Month:
        return 24;
    }
    return 26;
}

} // namespace

CreditsDashboard::CreditsDashboard(QWidget* parent) : QWidget(parent) {
    m_balances = new CreditsTableModel(
        {tr("Account"), tr("Balance"), tr("Unit"), tr("Subscription"), tr("Grants"), tr("Charged"),
         tr("Reserved"), tr("Per credit"), tr("Next renewal"), tr("Worth")},
        this);
    m_spend = new CreditsTableModel(
        {tr("Bucket"), tr("Group"), tr("Spend"), tr("Entries"), tr("In units")}, this);
    m_budgets = new CreditsTableModel(
        {tr("Budget"), tr("Cap"), tr("Spent"), tr("Reserved"), tr("Used"), tr("Soft alert")}, this);
    m_yield = new CreditsTableModel({tr("Project"), tr("Picks"), tr("Rejects"), tr("Discovery"),
                                     tr("Production"), tr("Total"), tr("Per pick")},
                                    this);
    m_priceBook =
        new CreditsTableModel({tr("Provider"), tr("Model"), tr("Qualifiers"), tr("Per"),
                               tr("Price"), tr("Unit"), tr("As of"), tr("Source"), tr("Shipped")},
                              this);
    m_priceBook->setTextColumns({1, 2, kPriceSourceColumn});
    m_priceBook->setShortenedColumns({kPriceSourceColumn});

    auto* title = new QLabel(tr("Credits"));
    title->setObjectName(QStringLiteral("creditsTitle"));
    QFont titleFont = title->font();
    titleFont.setPointSizeF(titleFont.pointSizeF() * 1.4);
    titleFont.setBold(true);
    title->setFont(titleFont);
    m_status = new QLabel;
    m_bucketBox = new QComboBox;
    for (auto b : {SpendBucket::Day, SpendBucket::Week, SpendBucket::Month}) {
        m_bucketBox->addItem(QString::fromStdString(toString(b)), static_cast<int>(b));
    }
    m_bucketBox->setCurrentIndex(1);
    m_bucketBox->setToolTip(tr("Spend over time by day, week (from Monday) or month, UTC"));
    m_groupBox = new QComboBox;
    for (auto g : {SpendGrouping::Provider, SpendGrouping::Model, SpendGrouping::Project,
                   SpendGrouping::Client, SpendGrouping::Stage}) {
        m_groupBox->addItem(QString::fromStdString(toString(g)), static_cast<int>(g));
    }
    m_groupBox->setToolTip(tr("Stack spend by provider, model, project, client or stage "
                              "(concept = discovery, later stages = production)"));
    auto* refreshButton = new QPushButton(tr("Refresh"));
    refreshButton->setShortcut(QKeySequence::Refresh);
    refreshButton->setToolTip(
        tr("Read the ledger again (%1)")
            .arg(QKeySequence(QKeySequence::Refresh).toString(QKeySequence::NativeText)));

    // The status sentence wraps on its own line, so it never sets the view's width.
    m_status->setWordWrap(true);
    auto* header = new QHBoxLayout;
    header->addWidget(title);
    header->addStretch(1);
    header->addWidget(new QLabel(tr("Spend by")));
    header->addWidget(m_groupBox);
    header->addWidget(new QLabel(tr("per")));
    header->addWidget(m_bucketBox);
    header->addWidget(refreshButton);

    m_spendChart = makeChartView(tr("Spend over time (USD)"));
    m_budgetChart = makeChartView(tr("Budgets (% of cap)"));
    m_yieldChart = makeChartView(tr("Cost per pick (USD)"));
    m_tables = new QTabWidget;
    m_tables->setObjectName(QStringLiteral("creditsTables"));
    m_tables->addTab(makePriceBookTab(), tr("Price book"));
    m_yieldTable = makeTable(m_yield);
    m_tables->addTab(m_yieldTable, tr("Yield"));
    m_tables->addTab(makeBudgetsTab(), tr("Budgets"));
    m_spendTable = makeTable(m_spend);
    m_tables->addTab(m_spendTable, tr("Spend"));

    m_balancesTable = makeTable(m_balances);
    auto* layout = new QVBoxLayout(this);
    layout->addLayout(header);
    layout->addWidget(m_status);
    m_grid = new QGridLayout;
    layout->addLayout(m_grid, 1);
    arrange(true);
    connectDrillDowns();
    m_fillTimer = new QTimer(this);
    m_fillTimer->setSingleShot(true);
    m_fillTimer->setInterval(0);
    connect(m_fillTimer, &QTimer::timeout, this, &CreditsDashboard::fillNextPart);
    connect(&m_loader, &CreditsDashboardLoader::loaded, this, &CreditsDashboard::apply);
    connect(&m_loader, &CreditsDashboardLoader::pricesWritten, this,
            &CreditsDashboard::onPricesWritten);
    connect(refreshButton, &QPushButton::clicked, this, &CreditsDashboard::refresh);
    connect(m_bucketBox, &QComboBox::currentIndexChanged, this, &CreditsDashboard::refresh);
    connect(m_groupBox, &QComboBox::currentIndexChanged, this, &CreditsDashboard::refresh);
    m_status->setText(tr("Open a library to see its credits."));
}

CreditsDashboard::~CreditsDashboard() = default;

void CreditsDashboard::setLibraryRoot(const std::filesystem::path& root) {
    m_root = root;
    refresh();
}

void CreditsDashboard::setAsOf(std::optional<CalendarDay> day) {
    m_asOf = day;
    refresh();
}

void CreditsDashboard::setGrouping(SpendGrouping grouping) {
    m_groupBox->setCurrentIndex(m_groupBox->findData(static_cast<int>(grouping)));
}

void CreditsDashboard::setBucket(SpendBucket bucket) {
    m_bucketBox->setCurrentIndex(m_bucketBox->findData(static_cast<int>(bucket)));
}

bool CreditsDashboard::isBusy() const {
    return m_loader.isBusy() || m_fillStep < kFillParts;
}

void CreditsDashboard::refresh() {
    if (m_root.empty()) {
        return;
    }
    CreditReportRequest request;
    request.asOf = m_asOf.value_or(today());
    request.bucket = static_cast<SpendBucket>(m_bucketBox->currentData().toInt());
    request.grouping = static_cast<SpendGrouping>(m_groupBox->currentData().toInt());
    m_status->setText(tr("Reading the ledger…"));
    m_loader.load(m_root, request);
}

void CreditsDashboard::apply(std::shared_ptr<const CreditsSnapshot> snapshot) {
    m_snapshot = std::move(snapshot);
    const CreditsSnapshot& s = *m_snapshot;
    if (!s.error.isEmpty()) {
        m_status->setText(tr("Could not read the credits: %1").arg(s.error));
    } else {
        m_status->setText(
            tr("Spent %1, %2 reserved by queued jobs; as of %3")
                .arg(dollars(s.overview.spentUsd), dollars(s.overview.reservedUsd),
                     QString::fromStdString(formatCalendarDay(s.overview.request.asOf))));
    }
    if (!m_priceError.isEmpty()) { // the refresh after a refused price change
        m_status->setText(std::exchange(m_priceError, {}));
    }
    m_fillStep = 0;
    fillNextPart();
}

// One part per turn of the event loop, each laid out and painted before the next is filled:
// the GUI thread never holds a whole refresh (model resets, chart rebuilds, their layout
// and paint) in one go. refreshed() follows the last part.
void CreditsDashboard::fillNextPart() {
    using Fill = void (CreditsDashboard::*)(const CreditsSnapshot&);
    static constexpr Fill kParts[kFillParts] = {
        &CreditsDashboard::fillSpend,    &CreditsDashboard::fillSpendChart,
        &CreditsDashboard::fillBudgets,  &CreditsDashboard::fillYield,
        &CreditsDashboard::fillBalances, &CreditsDashboard::fillPriceBook};
    if (!m_snapshot || m_fillStep >= kFillParts) {
        return;
    }
    (this->*kParts[m_fillStep++])(*m_snapshot);
    if (m_fillStep < kFillParts) {
        // A timer, not a queued call: it fires after the posted (low-priority) repaint.
        m_fillTimer->start();
        return;
    }
    m_chartsDrawn = true;
    emit refreshed();
}

void CreditsDashboard::fillBalances(const CreditsSnapshot& s) {
    QVector<CreditsTableModel::Row> rows;
    for (const auto& b : s.overview.balances) {
        const QString subscription =
            b.subscription ? tr("%1 %2 / month for %3")
                                 .arg(money(b.subscription->monthlyCredits), unitOf(b),
                                      dollars(b.subscription->monthlyPriceUsd))
                           : QString();
        rows.push_back(
            {{QString::fromStdString(b.account.provider), money(b.balance), unitOf(b), subscription,
              money(b.granted), money(b.charged), money(b.reserved),
              b.account.currency == "USD" ? QString() : optionalDollars(b.effectiveUsdPerCredit),
              b.nextRenewal ? QString::fromStdString(formatCalendarDay(*b.nextRenewal)) : QString(),
              b.account.currency == "USD" ? QString() : optionalDollars(b.valueUsd)},
             b.balance < 0 && b.account.currency != "USD"
                 ? tr("More credits were spent than received")
                 : QString()});
    }
    m_balances->setRows(std::move(rows));
}

void CreditsDashboard::fillSpend(const CreditsSnapshot& s) {
    QVector<CreditsTableModel::Row> rows;
    rows.reserve(static_cast<qsizetype>(s.overview.series.size() + s.overview.forecast.size()));
    for (const auto& p : s.overview.series) {
        rows.push_back({{QString::fromStdString(formatCalendarDay(p.bucket)),
                         QString::fromStdString(p.group), money(p.usd), QString::number(p.charges),
                         money(p.amount) + QLatin1Char(' ') + QString::fromStdString(p.unit)},
                        {}});
    }
    for (const auto& f : s.overview.forecast) {
        rows.push_back({{tr("queued"), QString::fromStdString(f.group), money(f.usd),
                         QString::number(f.charges),
                         money(f.amount) + QLatin1Char(' ') + QString::fromStdString(f.unit)},
                        tr("Reserved by queued and running jobs: the forecast")});
    }
    // Same rows and bucket, same chart: a refresh that read the same spend redraws nothing.
    // (Stale stays set until the chart is drawn, should a refresh land in between.)
    const bool changed = m_spend->setRows(std::move(rows));
    m_spendChartStale = m_spendChartStale || changed || !m_chartsDrawn ||
                        m_spendChartBucket != s.overview.request.bucket;
}

// The spend chart, in the turn after the table: a new grouping or bucket rebuilds both, and
// each is a GUI-thread beat of its own.
void CreditsDashboard::fillSpendChart(const CreditsSnapshot& s) {
    if (!std::exchange(m_spendChartStale, false)) {
        return;
    }
    m_spendChartBucket = s.overview.request.bucket;
    std::vector<CalendarDay> buckets;
    std::vector<std::string> groups;
    std::map<std::pair<CalendarDay, std::string>, Micros> values;
    for (const auto& p : s.overview.series) {
        buckets.push_back(p.bucket);
        groups.push_back(p.group);
        values[{p.bucket, p.group}] += p.usd;
    }
    for (const auto& f : s.overview.forecast) {
        groups.push_back(f.group);
    }
    std::ranges::sort(buckets);
    buckets.erase(std::unique(buckets.begin(), buckets.end()), buckets.end());
    // The chart draws the latest buckets only: hundreds of bars and axis labels are
    // unreadable and cost the GUI thread most of a refresh; the table keeps every bucket.
    const auto shown = static_cast<std::size_t>(chartBuckets(s.overview.request.bucket));
    const bool truncated = buckets.size() > shown;
    if (truncated) {
        buckets.erase(buckets.begin(), buckets.end() - static_cast<std::ptrdiff_t>(shown));
    }
    m_spendBuckets = buckets;
    m_spendChart->chart()->setTitle(
        truncated ? tr("Spend over time (USD), the last %1 %2s; every %2 in the Spend tab")
                        .arg(shown)
                        .arg(QString::fromStdString(toString(s.overview.request.bucket)))
                  : tr("Spend over time (USD)"));
    std::ranges::sort(groups);
    groups.erase(std::unique(groups.begin(), groups.end()), groups.end());

    QChart* chart = resetChart(m_spendChart);
    auto* series = new QStackedBarSeries;
    connect(series, &QStackedBarSeries::clicked, this, &CreditsDashboard::onSpendBarClicked);
    QStringList categories;
    for (CalendarDay b : buckets) {
        categories << QString::fromStdString(formatCalendarDay(b));
    }
    if (!s.overview.forecast.empty()) {
        categories << tr("queued");
    }
    double top = 0;
    std::vector<double> totals(static_cast<std::size_t>(categories.size()), 0.0);
    for (const auto& g : groups) {
        auto* set = new QBarSet(QString::fromStdString(g));
        for (std::size_t i = 0; i < buckets.size(); ++i) {
            const double v = chartDollars(values[{buckets[i], g}]);
            *set << v;
            totals[i] += std::max(0.0, v);
        }
        if (!s.overview.forecast.empty()) {
            Micros queued = 0;
            for (const auto& f : s.overview.forecast) {
                queued += f.group == g ? f.usd : 0;
            }
            *set << chartDollars(queued);
            totals.back() += chartDollars(queued);
        }
        series->append(set);
    }
    for (double t : totals) {
        top = std::max(top, t);
    }
    chart->addSeries(series);
    auto* x = new QBarCategoryAxis;
    x->append(categories);
    // A month of days side by side would be cut to "2026-10-..."; upright they stay whole.
    x->setLabelsAngle(categories.size() > kUprightLabelsFrom ? -90 : 0);
    auto* y = new QValueAxis;
    y->setRange(0, top > 0 ? top * 1.05 : 1);
    y->applyNiceNumbers();
    y->setLabelFormat(QStringLiteral("$%.2f"));
    chart->addAxis(x, Qt::AlignBottom);
    chart->addAxis(y, Qt::AlignLeft);
    series->attachAxis(x);
    series->attachAxis(y);
}

void CreditsDashboard::fillBudgets(const CreditsSnapshot& s) {
    QVector<CreditsTableModel::Row> rows;
    for (const auto& b : s.overview.budgets) {
        const Micros used = b.spentUsd + b.reservedUsd;
        const bool alert = b.limitUsd > 0 && used * 100 >= b.limitUsd * b.softPercent;
        rows.push_back({{QString::fromStdString(b.scope + " " + b.name), dollars(b.limitUsd),
                         dollars(b.spentUsd), dollars(b.reservedUsd),
                         b.limitUsd > 0 ? QStringLiteral("%1%").arg(used * 100 / b.limitUsd)
                                        : QStringLiteral("-"),
                         QStringLiteral("%1%").arg(b.softPercent)},
                        alert ? tr("Past the %1% soft alert: %2 of %3 used")
                                    .arg(b.softPercent)
                                    .arg(dollars(used), dollars(b.limitUsd))
                              : QString()});
    }
    // The rows carry every figure the chart draws (exact amounts): same rows, same chart.
    if (!m_budgets->setRows(std::move(rows)) && m_chartsDrawn) {
        return;
    }
    QChart* chart = resetChart(m_budgetChart);
    auto* series = new QHorizontalStackedBarSeries;
    connect(series, &QHorizontalStackedBarSeries::clicked, this, [this](int index, QBarSet*) {
        if (auto behind = assetsBehindBudgetRow(index)) {
            emit assetsRequested(*behind);
        }
    });
    auto* spent = new QBarSet(tr("spent"));
    auto* reserved = new QBarSet(tr("reserved"));
    QStringList categories;
    double top = 100;
    int soft = 80;
    for (const auto& b : s.overview.budgets) {
        const double cap = b.limitUsd > 0 ? static_cast<double>(b.limitUsd) : 1.0;
        const double spentPercent = 100.0 * static_cast<double>(b.spentUsd) / cap;
        const double reservedPercent = 100.0 * static_cast<double>(b.reservedUsd) / cap;
        categories << QString::fromStdString(b.scope + " " + b.name);
        *spent << spentPercent;
        *reserved << reservedPercent;
        top = std::max(top, spentPercent + reservedPercent);
        soft = b.softPercent;
    }
    series->append(spent);
    series->append(reserved);
    chart->addSeries(series);
    auto* y = new QBarCategoryAxis;
    y->append(categories);
    auto* x = new QValueAxis;
    // Steps of 20% up to the first one past the fullest bar (at least 120%, so the cap shows).
    const double axisTop = std::max(120.0, 20.0 * std::ceil(top * 1.05 / 20.0));
    x->setRange(0, axisTop);
    x->setTickCount(static_cast<int>(axisTop / 20.0) + 1);
    x->setLabelFormat(QStringLiteral("%d%%"));
    chart->addAxis(y, Qt::AlignLeft);
    chart->addAxis(x, Qt::AlignBottom);
    series->attachAxis(y);
    series->attachAxis(x);
    // The soft alert and the hard cap as vertical lines across every bar.
    const double bottom = -0.5;
    const double upper = std::max<double>(0.5, static_cast<double>(categories.size()) - 0.5);
    for (const auto& [at, label, color] :
         {std::tuple{static_cast<double>(soft), tr("soft alert %1%").arg(soft),
                     QColor(0xf2, 0xa3, 0x3a)},
          std::tuple{100.0, tr("hard cap"), QColor(0xe0, 0x4f, 0x4f)}}) {
        auto* line = new QLineSeries;
        line->setName(label);
        line->append(at, bottom);
        line->append(at, upper);
        QPen pen(color);
        pen.setWidth(2);
        pen.setStyle(Qt::DashLine);
        line->setPen(pen);
        chart->addSeries(line);
        line->attachAxis(x);
        auto* lineY = new QValueAxis;
        lineY->setRange(bottom, upper);
        lineY->setVisible(false);
        chart->addAxis(lineY, Qt::AlignRight);
        line->attachAxis(lineY);
    }
}

void CreditsDashboard::fillYield(const CreditsSnapshot& s) {
    QVector<CreditsTableModel::Row> rows;
    for (const auto& y : s.overview.yieldByProject) {
        rows.push_back(
            {{QString::fromStdString(y.name), QString::number(y.picks), QString::number(y.rejects),
              dollars(y.discoveryUsd), dollars(y.productionUsd), dollars(y.totalUsd()),
              optionalDollars(y.costPerPickUsd())},
             y.picks == 0 && y.totalUsd() > 0 ? tr("Spend without a pick yet") : QString()});
    }
    if (!m_yield->setRows(std::move(rows)) && m_chartsDrawn) {
        return; // the chart draws the rows' picks and spend
    }
    QChart* chart = resetChart(m_yieldChart);
    auto* series = new QHorizontalStackedBarSeries;
    m_yieldNames.clear();
    connect(series, &QHorizontalStackedBarSeries::clicked, this, [this](int index, QBarSet*) {
        if (index >= 0 && static_cast<std::size_t>(index) < m_yieldNames.size()) {
            emit assetsRequested(
                assetsBehindProject(m_yieldNames[static_cast<std::size_t>(index)]));
        }
    });
    auto* discovery = new QBarSet(tr("discovery per pick"));
    auto* production = new QBarSet(tr("production per pick"));
    QStringList categories;
    double top = 0;
    for (const auto& y : s.overview.yieldByProject) {
        if (y.picks == 0) {
            continue;
        }
        categories << QString::fromStdString(y.name);
        m_yieldNames.push_back(y.name);
        const double d = chartDollars(y.discoveryUsd) / static_cast<double>(y.picks);
        const double p = chartDollars(y.productionUsd) / static_cast<double>(y.picks);
        *discovery << d;
        *production << p;
        top = std::max(top, d + p);
    }
    series->append(discovery);
    series->append(production);
    chart->addSeries(series);
    auto* y = new QBarCategoryAxis;
    y->append(categories);
    auto* x = new QValueAxis;
    x->setRange(0, top > 0 ? top * 1.05 : 1);
    x->applyNiceNumbers();
    x->setLabelFormat(QStringLiteral("$%.3f"));
    chart->addAxis(y, Qt::AlignLeft);
    chart->addAxis(x, Qt::AlignBottom);
    series->attachAxis(y);
    series->attachAxis(x);
}

void CreditsDashboard::fillPriceBook(const CreditsSnapshot& s) {
    QVector<CreditsTableModel::Row> rows;
    const CalendarDay asOf = s.overview.request.asOf;
    for (const auto& p : s.prices) {
        QString warning;
        if (const auto age = priceAgeDays(p, asOf); !age) {
            warning = tr("The price has no valid date; check it against %1")
                          .arg(QString::fromStdString(p.source));
        } else if (isStalePrice(p, asOf)) {
            warning = tr("This price is %1 days old: check it against %2")
                          .arg(*age)
                          .arg(QString::fromStdString(p.source));
        }
        const QString shipped = p.shippedAmount  ? money(*p.shippedAmount)
                                : p.userOverride ? tr("(none)")
                                                 : QString();
        rows.push_back({{QString::fromStdString(p.provider), QString::fromStdString(p.model),
                         qualifiers(p), QString::fromStdString(toString(p.per)), money(p.amount),
                         QString::fromStdString(p.unit),
                         (warning.isEmpty() ? QString() : QStringLiteral("⚠ ")) +
                             QString::fromStdString(p.asOf),
                         sourceForDisplay(p.source), shipped},
                        warning});
    }
    m_priceBook->setRows(std::move(rows));
}

} // namespace ripen::ui

namespace ripen::ui {

QWidget* CreditsDashboard::makeBudgetsTab() {
    auto* tab = new QWidget;
    m_budgetsTable = makeTable(m_budgets);
    m_budgetsTable->setSelectionMode(QAbstractItemView::SingleSelection);
    auto* add = new QPushButton(tr("New Budget…"));
    add->setObjectName(QStringLiteral("newBudget"));
    add->setToolTip(tr("Cap a project's or client's spend; the next job that would cross "
                       "the cap is refused"));
    auto* change = new QPushButton(tr("Change…"));
    change->setObjectName(QStringLiteral("changeBudget"));
    change->setToolTip(tr("Change or remove the selected budget's cap"));
    change->setEnabled(false);
    auto* hint = new QLabel(tr("Double-click a row to see its assets"));
    hint->setEnabled(false); // dimmed
    auto* buttons = new QHBoxLayout;
    buttons->addWidget(add);
    buttons->addWidget(change);
    buttons->addStretch(1);
    buttons->addWidget(hint);
    auto* layout = new QVBoxLayout(tab);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_budgetsTable, 1);
    layout->addLayout(buttons);
    connect(add, &QPushButton::clicked, this, [this] { editBudget(-1); });
    connect(change, &QPushButton::clicked, this,
            [this] { editBudget(m_budgetsTable->currentIndex().row()); });
    connect(
        m_budgetsTable->selectionModel(), &QItemSelectionModel::selectionChanged, change,
        [this, change] { change->setEnabled(m_budgetsTable->selectionModel()->hasSelection()); });
    connect(m_budgets, &QAbstractItemModel::modelReset, change,
            [change] { change->setEnabled(false); });
    return tab;
}

QWidget* CreditsDashboard::makePriceBookTab() {
    auto* tab = new QWidget;
    m_priceTable = makeTable(m_priceBook);
    m_priceTable->setSelectionMode(QAbstractItemView::SingleSelection);
    m_priceTable->setToolTip(tr("Double-click a price to change it"));
    // The shipped price beside the price in force, so an override reads at a glance; the
    // source last, where the row's remaining width goes: in a narrow view it is shortened
    // (its whole text in the tooltip) instead of pushing the table into sideways scrolling.
    m_priceTable->horizontalHeader()->moveSection(8, 5);
    m_priceTable->horizontalHeader()->setSectionResizeMode(kPriceSourceColumn,
                                                           QHeaderView::Stretch);
    m_priceTable->setTextElideMode(Qt::ElideMiddle);
    auto* change = new QPushButton(tr("Change Price…"));
    change->setObjectName(QStringLiteral("changePrice"));
    change->setToolTip(tr("Set your own price for the selected model; the next estimate, "
                          "reservation and budget check use it"));
    auto* revert = new QPushButton(tr("Revert to Shipped"));
    revert->setObjectName(QStringLiteral("revertPrice"));
    revert->setToolTip(tr("Drop your price for the selected model: the price book's applies"));
    auto* hint = new QLabel(tr("⚠: older than %1 days").arg(kStalePriceDays));
    hint->setEnabled(false); // dimmed
    auto* buttons = new QHBoxLayout;
    buttons->addWidget(change);
    buttons->addWidget(revert);
    buttons->addStretch(1);
    buttons->addWidget(hint);
    auto* layout = new QVBoxLayout(tab);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_priceTable, 1);
    layout->addLayout(buttons);
    const auto selectedRow = [this] {
        return m_priceTable->selectionModel()->hasSelection() ? m_priceTable->currentIndex().row()
                                                              : -1;
    };
    const auto updateButtons = [this, change, revert, selectedRow] {
        const int row = selectedRow();
        const bool valid =
            m_snapshot && row >= 0 && static_cast<std::size_t>(row) < m_snapshot->prices.size();
        change->setEnabled(valid);
        revert->setEnabled(valid && m_snapshot->prices[static_cast<std::size_t>(row)].userOverride);
    };
    connect(change, &QPushButton::clicked, this, [this, selectedRow] { editPrice(selectedRow()); });
    connect(revert, &QPushButton::clicked, this,
            [this, selectedRow] { revertPrice(selectedRow()); });
    connect(m_priceTable, &QTableView::doubleClicked, this,
            [this](const QModelIndex& index) { editPrice(index.row()); });
    connect(m_priceTable->selectionModel(), &QItemSelectionModel::selectionChanged, this,
            updateButtons);
    connect(m_priceBook, &QAbstractItemModel::modelReset, this, updateButtons);
    updateButtons();
    return tab;
}

void CreditsDashboard::editPrice(int row) {
    if (!m_snapshot || row < 0 || static_cast<std::size_t>(row) >= m_snapshot->prices.size()) {
        return;
    }
    auto* dialog = new PriceDialog(m_snapshot->prices[static_cast<std::size_t>(row)], this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    connect(dialog, &QDialog::accepted, this, [this, dialog] {
        m_status->setText(tr("Saving your price…"));
        m_loader.changePrice({dialog->price(), false});
    });
    dialog->open();
}

void CreditsDashboard::revertPrice(int row) {
    if (!m_snapshot || row < 0 || static_cast<std::size_t>(row) >= m_snapshot->prices.size() ||
        !m_snapshot->prices[static_cast<std::size_t>(row)].userOverride) {
        return;
    }
    m_status->setText(tr("Reverting to the shipped price…"));
    m_loader.changePrice({m_snapshot->prices[static_cast<std::size_t>(row)], true});
}

void CreditsDashboard::onPricesWritten(int count, const QString& error) {
    if (!error.isEmpty()) {
        m_priceError = tr("Could not save the price: %1").arg(error);
        m_status->setText(m_priceError);
        return;
    }
    if (count > 0) {
        emit pricesChanged();
    }
}

void CreditsDashboard::connectDrillDowns() {
    connect(m_spendTable, &QTableView::doubleClicked, this, [this](const QModelIndex& index) {
        if (auto behind = assetsBehindSpendRow(index.row())) {
            emit assetsRequested(*behind);
        } else if (m_snapshot && index.isValid()) {
            emit jobsRequested(); // the forecast: queued and running jobs
        }
    });
    connect(m_budgetsTable, &QTableView::doubleClicked, this, [this](const QModelIndex& index) {
        if (auto behind = assetsBehindBudgetRow(index.row())) {
            emit assetsRequested(*behind);
        }
    });
    connect(m_yieldTable, &QTableView::doubleClicked, this, [this](const QModelIndex& index) {
        if (auto behind = assetsBehindYieldRow(index.row())) {
            emit assetsRequested(*behind);
        }
    });
    for (QTableView* table : {m_spendTable, m_budgetsTable, m_yieldTable}) {
        table->setToolTip(tr("Double-click a row to see the assets behind it in the gallery"));
    }
    m_spendChart->setToolTip(tr("Click a bar to see the assets behind it in the gallery"));
    m_budgetChart->setToolTip(m_spendChart->toolTip());
    m_yieldChart->setToolTip(m_spendChart->toolTip());
}

void CreditsDashboard::onSpendBarClicked(int index, QBarSet* set) {
    if (!m_snapshot || set == nullptr || index < 0) {
        return;
    }
    const auto& request = m_snapshot->overview.request;
    if (static_cast<std::size_t>(index) >= m_spendBuckets.size()) {
        emit jobsRequested(); // the "queued" bar
        return;
    }
    emit assetsRequested(assetsBehindSpend(request.grouping, request.bucket,
                                           m_spendBuckets[static_cast<std::size_t>(index)],
                                           set->label().toStdString()));
}

std::optional<AssetsBehind> CreditsDashboard::assetsBehindSpendRow(int row) const {
    if (!m_snapshot || row < 0 ||
        static_cast<std::size_t>(row) >= m_snapshot->overview.series.size()) {
        return std::nullopt;
    }
    const auto& overview = m_snapshot->overview;
    const auto& point = overview.series[static_cast<std::size_t>(row)];
    return assetsBehindSpend(overview.request.grouping, overview.request.bucket, point.bucket,
                             point.group);
}

std::optional<AssetsBehind> CreditsDashboard::assetsBehindBudgetRow(int row) const {
    if (!m_snapshot || row < 0 ||
        static_cast<std::size_t>(row) >= m_snapshot->overview.budgets.size()) {
        return std::nullopt;
    }
    return assetsBehindBudget(m_snapshot->overview.budgets[static_cast<std::size_t>(row)]);
}

std::optional<AssetsBehind> CreditsDashboard::assetsBehindYieldRow(int row) const {
    if (!m_snapshot || row < 0 ||
        static_cast<std::size_t>(row) >= m_snapshot->overview.yieldByProject.size()) {
        return std::nullopt;
    }
    return assetsBehindProject(
        m_snapshot->overview.yieldByProject[static_cast<std::size_t>(row)].name);
}

void CreditsDashboard::setBudgetTargets(const QStringList& projects, const QStringList& clients) {
    m_projects = projects;
    m_clients = clients;
}

void CreditsDashboard::editBudget(int row) {
    auto* dialog = new BudgetDialog(m_projects, m_clients, this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    if (m_snapshot && row >= 0 &&
        static_cast<std::size_t>(row) < m_snapshot->overview.budgets.size()) {
        const auto& budget = m_snapshot->overview.budgets[static_cast<std::size_t>(row)];
        dialog->preset(QString::fromStdString(budget.scope), QString::fromStdString(budget.name),
                       budget.limitUsd);
    }
    connect(dialog, &QDialog::accepted, this, [this, dialog] {
        emit budgetChangeRequested(dialog->scope(), dialog->name(), dialog->limitUsd());
    });
    dialog->open();
}

} // namespace ripen::ui

namespace ripen::ui {

// Two columns when the view is wide; one below kTwoColumnWidth (a 1280 px window with the
// side docks open), scrolling down rather than squeezing charts and tables sideways.
void CreditsDashboard::arrange(bool wide) {
    m_wide = wide;
    QWidget* parts[] = {m_balancesTable, m_budgetChart, m_spendChart, m_yieldChart, m_tables};
    for (QWidget* part : parts) {
        m_grid->removeWidget(part);
    }
    for (int i = 0; i < 6; ++i) {
        m_grid->setRowStretch(i, 0);
        m_grid->setRowMinimumHeight(i, 0);
    }
    if (wide) {
        // The tables span the width: the price book's source, date and override columns
        // need all of a 1280 px window.
        m_grid->addWidget(m_balancesTable, 0, 0);
        m_grid->addWidget(m_budgetChart, 0, 1);
        m_grid->addWidget(m_spendChart, 1, 0);
        m_grid->addWidget(m_yieldChart, 1, 1);
        m_grid->addWidget(m_tables, 2, 0, 1, 2);
        m_grid->setRowStretch(0, 2);
        m_grid->setRowStretch(1, 3);
        m_grid->setRowStretch(2, 3);
        m_grid->setColumnStretch(0, 2);
        m_grid->setColumnStretch(1, 1);
        return;
    }
    for (int row = 0; QWidget * part : parts) {
        m_grid->addWidget(part, row, 0, 1, 2);
        m_grid->setRowStretch(row, 1);
        m_grid->setRowMinimumHeight(row, kNarrowRowHeight);
        ++row;
    }
    m_grid->setColumnStretch(0, 1);
    m_grid->setColumnStretch(1, 0);
}

void CreditsDashboard::resizeEvent(QResizeEvent* event) {
    QWidget::resizeEvent(event);
    if (const bool wide = width() >= kTwoColumnWidth; wide != m_wide) {
        arrange(wide);
    }
}

} // namespace ripen::ui

#include "credits/CreditReportPdf.h"

#include "common/FileIo.h"
#include "credits/CreditReportFormat.h"

#include <QBuffer>
#include <QColor>
#include <QFont>
#include <QGuiApplication>
#include <QPageSize>
#include <QPainter>
#include <QPdfWriter>
#include <algorithm>
#include <cstdio>
#include <memory>

namespace ripen {
namespace {

constexpr double kPageWidth = 595; // A4 in points
constexpr double kMargin = 48;
constexpr double kLine = 16;

// ripen-cli has no QGuiApplication; text layout needs one.
void ensureGuiApplication() {
    if (QCoreApplication::instance()) {
        return;
    }
    static int argc = 3;
    static char name[] = "ripen-cli";
    static char platformFlag[] = "-platform";
    static char platform[] = "offscreen";
    static char* argv[] = {name, platformFlag, platform, nullptr};
    // The offscreen platform warns about a missing XDG_RUNTIME_DIR, which a command-line
    // user neither needs nor can act on.
    const QtMessageHandler previous = qInstallMessageHandler(
        [](QtMsgType type, const QMessageLogContext&, const QString& message) {
            if (type != QtDebugMsg && type != QtInfoMsg && type != QtWarningMsg) {
                fprintf(stderr, "%s\n", qPrintable(message));
            }
        });
    static auto* app = new QGuiApplication(argc, argv); // lives until exit, as Qt expects
    (void)app;
    qInstallMessageHandler(previous);
}

QString money(Micros usd) {
    return QStringLiteral("$") + QString::fromStdString(formatMicros(usd));
}

QString optionalMoney(const std::optional<Micros>& usd) {
    return usd ? money(*usd) : QStringLiteral("-");
}

class PageWriter {
public:
    explicit PageWriter(QPainter& painter) : m_painter(painter) {}

    void heading(const QString& text, int size) {
        QFont font = m_painter.font();
        font.setPointSizeF(size);
        font.setBold(true);
        m_painter.setFont(font);
        m_y += size * 1.6;
        m_painter.drawText(QPointF(kMargin, m_y), text);
        m_y += size * 0.6;
        plain();
    }
    void row(const QString& label, const QString& value) {
        m_y += kLine;
        m_painter.drawText(QPointF(kMargin, m_y), label);
        m_painter.drawText(QRectF(kMargin, m_y - kLine + 3, kPageWidth - 2 * kMargin, kLine),
                           Qt::AlignRight | Qt::AlignVCenter, value);
    }
    void skip(double points) { m_y += points; }
    double y() const { return m_y; }
    void plain() {
        QFont font = m_painter.font();
        font.setPointSizeF(10);
        font.setBold(false);
        m_painter.setFont(font);
    }

private:
    QPainter& m_painter;
    double m_y = kMargin;
};

// At most this many bars to a chart; the smaller lines beyond share one "others" bar, so
// a studio with dozens of models still gets a chart that fits its page.
constexpr std::size_t kChartBars = 10;

std::vector<SpendQuery::Line> chartLines(const std::vector<SpendQuery::Line>& lines) {
    if (lines.size() <= kChartBars) {
        return lines;
    }
    std::vector<SpendQuery::Line> shown(lines.begin(), lines.begin() + (kChartBars - 1));
    SpendQuery::Line others;
    others.group = std::to_string(lines.size() - (kChartBars - 1)) + " others";
    for (auto it = lines.begin() + (kChartBars - 1); it != lines.end(); ++it) {
        others.usd += it->usd;
        others.charges += it->charges;
    }
    shown.push_back(others);
    return shown;
}

// Horizontal bars of spend (largest first, as the report sorts them), scaled to the
// largest; returns the y below the last bar.
double drawBars(QPainter& painter, const std::vector<SpendQuery::Line>& all, double top) {
    const auto lines = chartLines(all);
    const double labelWidth = 170;
    const double barLeft = kMargin + labelWidth;
    const double barMax = kPageWidth - kMargin - barLeft - 70;
    Micros largest = 1;
    for (const auto& l : lines) {
        largest = std::max(largest, l.usd);
    }
    const QColor colors[] = {QColor(0x4c, 0x9a, 0xff), QColor(0x38, 0xb2, 0x7c),
                             QColor(0xf2, 0xa3, 0x3a), QColor(0xd9, 0x5c, 0x8a)};
    double y = top;
    int i = 0;
    for (const auto& l : lines) {
        const double width =
            barMax * static_cast<double>(std::max<Micros>(0, l.usd)) / static_cast<double>(largest);
        painter.drawText(QRectF(kMargin, y, labelWidth - 8, 18), Qt::AlignLeft | Qt::AlignVCenter,
                         QString::fromStdString(l.group));
        painter.fillRect(QRectF(barLeft, y + 3, std::max(1.0, width), 12), colors[i++ % 4]);
        painter.drawText(QRectF(barLeft + width + 6, y, 70, 18), Qt::AlignLeft | Qt::AlignVCenter,
                         money(l.usd));
        y += 22;
    }
    if (lines.empty()) {
        painter.drawText(QPointF(kMargin, y + 14), QStringLiteral("nothing spent in this period"));
        y += 22;
    }
    return y;
}

void drawSummary(QPainter& painter, const ClientReport& r) {
    PageWriter page(painter);
    page.heading(QStringLiteral("Credit report"), 18);
    page.row(QString::fromStdString(clientReportTitle(r)), QString());
    page.skip(8);
    page.row(QStringLiteral("Deliverables (picks)"), QString::number(r.deliverables.size()));
    page.row(QStringLiteral("Attempts"), QStringLiteral("%1 jobs, %2 submissions, %3 failed")
                                             .arg(r.attempts.jobs)
                                             .arg(r.attempts.submissions)
                                             .arg(r.attempts.failed));
    page.row(QStringLiteral("Spent"), money(r.overview.spentUsd));
    page.row(QStringLiteral("  of it through subscriptions"), money(r.subscriptionUsd));
    page.row(QStringLiteral("Cost behind the deliverables"), money(r.costBehindDeliverablesUsd));
    page.row(QStringLiteral("Cost per deliverable"), optionalMoney(r.costPerDeliverableUsd));
    page.row(QStringLiteral("Suggested fee at %1% margin").arg(r.overview.request.marginPercent),
             money(r.suggestedFeeUsd));
    page.row(QStringLiteral("  per deliverable"), optionalMoney(r.suggestedFeePerDeliverableUsd));
    page.heading(QStringLiteral("Spend by stage"), 13);
    page.skip(drawBars(painter, r.byStage, page.y() + 8) - page.y());
    page.heading(QStringLiteral("Spend by model"), 13);
    drawBars(painter, r.byModel, page.y() + 8);
}

void drawSpendTables(QPainter& painter, const ClientReport& r) {
    PageWriter page(painter);
    for (const auto& [title, lines] :
         {std::pair{"Spend by stage", &r.byStage}, std::pair{"Spend by model", &r.byModel}}) {
        page.heading(QString::fromUtf8(title), 13);
        if (lines->empty()) {
            page.row(QStringLiteral("nothing spent in this period"), QString());
        }
        for (const auto& l : *lines) {
            page.row(QStringLiteral("%1 (%2 charges)")
                         .arg(QString::fromStdString(l.group))
                         .arg(l.charges),
                     money(l.usd));
        }
        page.skip(12);
    }
}

void drawDeliverables(QPainter& painter, const ClientReport& r, std::size_t first) {
    PageWriter page(painter);
    page.heading(QStringLiteral("Deliverables %1-%2 of %3")
                     .arg(first + 1)
                     .arg(std::min(first + kDeliverablesPerPage, r.deliverables.size()))
                     .arg(r.deliverables.size()),
                 13);
    for (std::size_t i = first; i < std::min(first + kDeliverablesPerPage, r.deliverables.size());
         ++i) {
        const auto& d = r.deliverables[i];
        page.row(QStringLiteral("#%1  %2  %3 %4")
                     .arg(d.assetId)
                     .arg(QString::fromStdString(d.stage), QString::fromStdString(d.provider),
                          QString::fromStdString(d.model)),
                 QString::fromStdString(formatCalendarDay(d.on)));
    }
}

} // namespace

int creditReportPdfPageCount(const ClientReport& report) {
    const auto n = static_cast<int>(report.deliverables.size());
    return 2 + (n + kDeliverablesPerPage - 1) / kDeliverablesPerPage;
}

void paintCreditReportPage(QPainter& painter, const ClientReport& report, int page) {
    if (page == 0) {
        drawSummary(painter, report);
    } else if (page == 1) {
        drawSpendTables(painter, report);
    } else {
        drawDeliverables(painter, report,
                         static_cast<std::size_t>(page - 2) * kDeliverablesPerPage);
    }
}

Status writeCreditReportPdf(const ClientReport& report, const std::filesystem::path& file) {
    ensureGuiApplication();
    QBuffer buffer;
    buffer.open(QIODevice::WriteOnly);
    {
        QPdfWriter pdf(&buffer);
        pdf.setPageSize(QPageSize(QPageSize::A4));
        // One device unit per point: the pages are drawn in points, and fonts sized in
        // points then come out at their size (at 300 dpi with the painter scaled to points,
        // every font was drawn 300/72 times too large and the text ran over itself).
        pdf.setResolution(72);
        pdf.setTitle(QString::fromStdString("Credit report: " + clientReportTitle(report)));
        pdf.setCreator(QStringLiteral("Ripen"));
        QPainter painter;
        if (!painter.begin(&pdf)) {
            return fail(ErrorCode::Io, "cannot start a PDF for " + file.string());
        }
        for (int page = 0; page < creditReportPdfPageCount(report); ++page) {
            if (page > 0) {
                pdf.newPage();
            }
            painter.save();
            paintCreditReportPage(painter, report, page);
            painter.restore();
        }
        painter.end();
    }
    const QByteArray bytes = buffer.data();
    return writeFileAtomically(
        file, std::string_view(bytes.constData(), static_cast<std::size_t>(bytes.size())));
}

} // namespace ripen

#pragma once

#include "common/Error.h"
#include "credits/CreditReport.h"

#include <filesystem>

class QPainter;

namespace ripen {

// The client report as an A4 PDF drawn with Qt's QPdfWriter: page 1 holds the summary,
// the fee line and bar charts of spend by stage and by model (the ten largest models, the
// rest in one bar); page 2 the spend by stage and by model as tables;
// then the deliverables, kDeliverablesPerPage to a page. Written through
// writeFileAtomically, so a reader never sees half a file.
//
// Works without a running GUI: when no QGuiApplication exists (ripen-cli) one is created
// on the offscreen platform for fonts. Thread affinity: the thread that owns (or may
// create) the QGuiApplication.
inline constexpr int kDeliverablesPerPage = 40;

int creditReportPdfPageCount(const ClientReport& report);
// Draws page `page` (0-based) in points (1/72 inch, A4 = 595 x 842) on `painter`: what
// the PDF holds, for a preview or a test image.
void paintCreditReportPage(QPainter& painter, const ClientReport& report, int page);
Status writeCreditReportPdf(const ClientReport& report, const std::filesystem::path& file);

} // namespace ripen

#include "CreditsSubcommands.h"
#include "LibraryAccess.h"
#include "common/FileIo.h"
#include "credits/CreditReportFormat.h"

#ifdef RIPEN_CLI_WITH_PDF
#include "credits/CreditReportPdf.h"
#endif

#include <iostream>

namespace ripen::cli {
namespace {

// Fills `out` from a DATE option; false (with the message printed) when it is malformed.
bool readDay(const ArgParser& args, const char* option, std::optional<CalendarDay>& out) {
    const auto text = args.value(option);
    if (!text) {
        return true;
    }
    auto day = parseCalendarDay(*text, std::string("--") + option);
    if (!day) {
        std::cerr << "ripen-cli credits report: " << day.error().message << "\n";
        return false;
    }
    out = *day;
    return true;
}

std::optional<CreditReportRequest> requestFrom(const ArgParser& args) {
    CreditReportRequest request;
    request.project = args.value("project").value_or("");
    request.client = args.value("client").value_or("");
    std::optional<CalendarDay> asOf;
    if (!readDay(args, "from", request.from) || !readDay(args, "to", request.to) ||
        !readDay(args, "as-of", asOf)) {
        return std::nullopt;
    }
    request.asOf = asOf.value_or(today());
    auto bucket = spendBucketFromString(args.value("bucket").value_or("week"));
    auto grouping = spendGroupingFromString(args.value("group").value_or("provider"));
    if (!bucket || !grouping) {
        std::cerr << "ripen-cli credits report: "
                  << (!bucket ? bucket.error() : grouping.error()).message << "\n";
        return std::nullopt;
    }
    request.bucket = *bucket;
    request.grouping = *grouping;
    if (const auto margin = args.value("margin")) {
        try {
            std::size_t used = 0;
            request.marginPercent = std::stoi(*margin, &used);
            if (used != margin->size()) {
                throw std::invalid_argument(*margin);
            }
        } catch (const std::exception&) {
            std::cerr << "ripen-cli credits report: --margin '" << *margin
                      << "' is not a whole percent (0-95)\n";
            return std::nullopt;
        }
    }
    return request;
}

int writeOutput(const std::string& text, const std::optional<std::string>& out) {
    if (!out) {
        std::cout << text;
        return kExitOk;
    }
    if (auto written = writeFileAtomically(*out, text); !written) {
        std::cerr << "ripen-cli credits report: " << written.error().message << "\n";
        return kExitFailure;
    }
    return kExitOk;
}

int writePdf(const ClientReport& report, const std::optional<std::string>& out) {
    if (!out) {
        std::cerr << "ripen-cli credits report: --format pdf needs --out FILE\n";
        return kExitUsage;
    }
#ifdef RIPEN_CLI_WITH_PDF
    if (auto written = writeCreditReportPdf(report, *out); !written) {
        std::cerr << "ripen-cli credits report: " << written.error().message << "\n";
        return kExitFailure;
    }
    return kExitOk;
#else
    (void)report;
    std::cerr << "ripen-cli credits report: this ripen-cli was built without the UI "
                 "(RIPEN_BUILD_UI=OFF), and PDF reports are drawn with Qt; use --format csv "
                 "or json here, or a ripen-cli built with the UI\n";
    return kExitFailure;
#endif
}

} // namespace

void declareCreditsReportOptions(ArgParser& p) {
    p.addOption("project", true, "NAME", "report: one project");
    p.addOption("client", true, "NAME", "report: one client");
    p.addOption("from", true, "DATE", "report: first day (YYYY-MM-DD, UTC)");
    p.addOption("to", true, "DATE", "report: last day, included");
    p.addOption("format", true, "FORMAT", "report: table (default), csv, json or pdf");
    p.addOption("out", true, "FILE", "report: write here instead of stdout (atomically)");
    p.addOption("margin", true, "PERCENT", "report: margin of the suggested fee (default 30)");
    p.addOption("bucket", true, "BUCKET",
                "report: spend over time by day, week (default) or month");
    p.addOption("group", true, "GROUP",
                "report: stack spend by provider (default), model, project, client or stage");
    p.addOption("as-of", true, "DATE", "report, account list: balances as of this day");
}

int runCreditsReport(const CommandContext& context, const ArgParser& args) {
    const std::string format = args.value("format").value_or("table");
    if (format != "table" && format != "csv" && format != "json" && format != "pdf") {
        std::cerr << "ripen-cli credits report: --format is table, csv, json or pdf, not '"
                  << format << "'\n";
        return kExitUsage;
    }
    const auto request = requestFrom(args);
    if (!request) {
        return kExitUsage;
    }
    auto library = openLibraryOrReport(context.library);
    if (!library) {
        return kExitFailure;
    }
    auto report = buildClientReport(library->catalog().database(), *request);
    if (!report) {
        std::cerr << "ripen-cli credits report: " << report.error().message << "\n";
        return report.error().code == ErrorCode::NotFound ? kExitUsage : kExitFailure;
    }
    const auto out = args.value("out");
    if (format == "pdf") {
        return writePdf(*report, out);
    }
    const std::string text = format == "json"  ? clientReportJson(*report).dump(2) + "\n"
                             : format == "csv" ? clientReportCsv(*report)
                                               : clientReportTable(*report);
    return writeOutput(text, out);
}

} // namespace ripen::cli

#include "batch/PrintReadiness.h"

#include "catalog/EmbeddedProvenance.h"
#include "imaging/ImageHeader.h"
#include "imaging/PngChunks.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <regex>

namespace ripen {
namespace {

constexpr double kMillimetresPerInch = 25.4;

struct PaperSize {
    const char* name;
    double widthMm;
    double heightMm;
};

constexpr PaperSize kPapers[] = {
    {"A5", 148, 210}, {"A4", 210, 297},         {"A3", 297, 420},         {"A2", 420, 594},
    {"A1", 594, 841}, {"Letter", 215.9, 279.4}, {"Tabloid", 279.4, 431.8}};

std::string lower(std::string_view text) {
    std::string out(text);
    std::ranges::transform(out, out.begin(), [](unsigned char c) { return std::tolower(c); });
    return out;
}

std::string figure(double value, int decimals = 0) {
    char text[32];
    std::snprintf(text, sizeof text, "%.*f", decimals, value);
    return text;
}

// The colour space the file declares: an ICC profile (by its description) or PNG's sRGB chunk.
void readProfile(std::string_view bytes, MediaFormat format, PrintReadiness& report) {
    const std::string formatName = catalogFormatName(format);
    if (auto found = EmbeddedProvenance::read(bytes, formatName)) {
        report.profileName = found->iccDescription;
        report.statedDpi = found->dpi;
    }
    if (format == MediaFormat::Png && report.profileName.empty()) {
        if (auto chunks = PngChunks::parse(bytes)) {
            for (const auto& chunk : *chunks) {
                if (chunk.type == "sRGB" && chunk.crcValid) {
                    report.profileName = "sRGB chunk";
                }
            }
        }
    }
    if (report.profileName.empty()) {
        report.profile = PrintReadiness::Profile::Missing;
    } else if (lower(report.profileName).find("srgb") != std::string::npos) {
        report.profile = PrintReadiness::Profile::Srgb;
    } else {
        report.profile = PrintReadiness::Profile::Other;
    }
}

void judge(PrintReadiness& r) {
    using Verdict = PrintReadiness::Verdict;
    std::vector<std::string> bad;
    std::vector<std::string> doubtful;
    const std::string pixels = std::to_string(r.widthPixels) + "x" + std::to_string(r.heightPixels);
    const std::string needed =
        std::to_string(r.neededWidthPixels) + "x" + std::to_string(r.neededHeightPixels) + " px";
    if (r.effectiveDpi < r.targetDpi * 2.0 / 3.0) {
        bad.push_back(pixels + " px give " + figure(r.effectiveDpi) +
                      " DPI at this size, far below " + std::to_string(r.targetDpi) +
                      ": upscale to at least " + needed);
    } else if (r.effectiveDpi < r.targetDpi) {
        doubtful.push_back(pixels + " px give " + figure(r.effectiveDpi) +
                           " DPI at this size, below " + std::to_string(r.targetDpi) +
                           ": upscale to " + needed + " to be safe");
    }
    if (r.profile == PrintReadiness::Profile::Missing) {
        doubtful.push_back("no colour profile: the print service will guess; export with sRGB "
                           "(ripen-cli export embeds it)");
    }
    if (r.croppedPercent > 2.0) {
        doubtful.push_back("the print's aspect ratio crops " + figure(r.croppedPercent, 1) +
                           "% of the image");
    }
    std::vector<std::string> notes;
    if (r.profile == PrintReadiness::Profile::Other) {
        notes.push_back("colour profile '" + r.profileName +
                        "' (not sRGB): check the service accepts it");
    }
    if (r.statedDpi && std::abs(*r.statedDpi - r.effectiveDpi) > 1.0) {
        notes.push_back("the file states " + figure(*r.statedDpi) +
                        " DPI; at this print size it is " + figure(r.effectiveDpi));
    }
    r.verdict = !bad.empty()        ? Verdict::NotReady
                : !doubtful.empty() ? Verdict::Marginal
                                    : Verdict::Ready;
    r.findings = bad;
    r.findings.insert(r.findings.end(), doubtful.begin(), doubtful.end());
    r.findings.insert(r.findings.end(), notes.begin(), notes.end());
}

} // namespace

const char* toString(PrintReadiness::Verdict verdict) {
    switch (verdict) {
    case PrintReadiness::Verdict::Ready:
        return "ready";
    case PrintReadiness::Verdict::Marginal:
        return "marginal";
    case PrintReadiness::Verdict::NotReady:
        break;
    }
    return "not ready";
}

const char* toString(PrintReadiness::Profile profile) {
    switch (profile) {
    case PrintReadiness::Profile::Srgb:
        return "sRGB";
    case PrintReadiness::Profile::Other:
        return "other";
    case PrintReadiness::Profile::Missing:
        break;
    }
    return "missing";
}

Result<PrintSize> parsePrintSize(std::string_view text) {
    for (const auto& paper : kPapers) {
        if (lower(text) == lower(paper.name)) {
            return PrintSize{paper.widthMm / kMillimetresPerInch,
                             paper.heightMm / kMillimetresPerInch};
        }
    }
    static const std::regex pattern(R"((\d+(?:\.\d+)?)x(\d+(?:\.\d+)?)(in|cm|mm))");
    std::cmatch m;
    if (std::regex_match(text.data(), text.data() + text.size(), m, pattern)) {
        const double unit = m[3] == "in" ? 1.0 : m[3] == "cm" ? 1 / 2.54 : 1 / kMillimetresPerInch;
        const PrintSize size{std::stod(m[1]) * unit, std::stod(m[2]) * unit};
        if (size.widthInches > 0 && size.heightInches > 0 && size.widthInches <= 1000 &&
            size.heightInches <= 1000) {
            return size;
        }
    }
    return fail(ErrorCode::InvalidArgument,
                "print size '" + std::string(text) +
                    "' is not WIDTHxHEIGHT with in, cm or mm (8x10in, 20x30cm) or a paper name "
                    "(A5, A4, A3, A2, A1, Letter, Tabloid)");
}

Result<PrintReadiness> checkPrintReadiness(std::string_view fileBytes, const std::string& name,
                                           const PrintSize& print, int targetDpi) {
    if (!(print.widthInches > 0) || !(print.heightInches > 0) || targetDpi <= 0 ||
        targetDpi > 10000) {
        return fail(ErrorCode::InvalidArgument,
                    "the print size and DPI must be positive (DPI up to 10000)");
    }
    auto header = readImageHeader(fileBytes);
    if (!header) {
        return std::unexpected(withContext(header.error(), name));
    }
    PrintReadiness report;
    const bool landscapeImage = header->width > header->height;
    const bool landscapePrint = print.widthInches > print.heightInches;
    report.print = landscapeImage == landscapePrint || header->width == header->height
                       ? print
                       : PrintSize{print.heightInches, print.widthInches};
    report.widthPixels = static_cast<int>(header->width);
    report.heightPixels = static_cast<int>(header->height);
    report.targetDpi = targetDpi;
    const double dpiX = report.widthPixels / report.print.widthInches;
    const double dpiY = report.heightPixels / report.print.heightInches;
    report.effectiveDpi = std::min(dpiX, dpiY);
    report.croppedPercent = (1.0 - std::min(dpiX, dpiY) / std::max(dpiX, dpiY)) * 100.0;
    report.neededWidthPixels =
        static_cast<int>(std::ceil(report.print.widthInches * targetDpi - 1e-9));
    report.neededHeightPixels =
        static_cast<int>(std::ceil(report.print.heightInches * targetDpi - 1e-9));
    readProfile(fileBytes, header->format, report);
    judge(report);
    return report;
}

} // namespace ripen

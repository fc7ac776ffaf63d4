#include "batch/PdfWriter.h"

#include "common/TextEncoding.h"

#include <array>
#include <cstdio>

namespace ripen {
namespace {

// Helvetica's advance widths (thousandths of the size) for ASCII 32-126, from its AFM.
constexpr std::array<short, 95> kHelveticaWidths = {
    278, 278, 355, 556, 556, 889, 667, 191, 333, 333, 389, 584, 278, 333,  278, 278, 556, 556, 556,
    556, 556, 556, 556, 556, 556, 556, 278, 278, 584, 584, 584, 556, 1015, 667, 667, 722, 722, 667,
    611, 778, 722, 278, 500, 667, 556, 833, 722, 778, 667, 778, 722, 667,  611, 722, 667, 944, 667,
    667, 611, 278, 278, 278, 469, 556, 333, 556, 556, 500, 556, 556, 278,  556, 556, 222, 222, 500,
    222, 833, 556, 556, 556, 556, 333, 500, 278, 556, 500, 722, 500, 500,  500, 334, 260, 334, 584};

// UTF-8 to Latin-1 code points (WinAnsi agrees with Latin-1 from 160 up); others are '?'.
std::string toLatin1(std::string_view utf8) {
    const std::string clean = sanitizeUtf8(utf8);
    std::string out;
    for (std::size_t i = 0; i < clean.size();) {
        const auto c = static_cast<unsigned char>(clean[i]);
        if (c < 0x80) {
            out += c >= 0x20 && c < 0x7F ? static_cast<char>(c) : '?';
            ++i;
        } else if ((c & 0xE0) == 0xC0 && i + 1 < clean.size()) {
            const int code = ((c & 0x1F) << 6) | (static_cast<unsigned char>(clean[i + 1]) & 0x3F);
            out += code >= 0xA0 && code <= 0xFF ? static_cast<char>(code) : '?';
            i += 2;
        } else {
            out += '?';
            i += (c & 0xF0) == 0xE0 ? 3 : (c & 0xF8) == 0xF0 ? 4 : 1;
        }
    }
    return out;
}

// A PDF literal string: parentheses and backslashes escaped, bytes above 126 in octal.
std::string literal(std::string_view latin1) {
    std::string out = "(";
    for (const char ch : latin1) {
        const auto c = static_cast<unsigned char>(ch);
        if (ch == '(' || ch == ')' || ch == '\\') {
            out += '\\';
            out += ch;
        } else if (c < 0x20 || c > 0x7E) {
            char octal[8];
            std::snprintf(octal, sizeof octal, "\\%03o", c);
            out += octal;
        } else {
            out += ch;
        }
    }
    return out + ")";
}

std::string number(double value) {
    char text[32];
    std::snprintf(text, sizeof text, "%.3f", value);
    return text;
}

} // namespace

PdfWriter::PdfWriter(std::string title) : m_title(std::move(title)) {}

void PdfWriter::beginPage(double widthPoints, double heightPoints) {
    m_pages.push_back(Page{widthPoints, heightPoints, {}, {}});
}

void PdfWriter::drawJpeg(std::string_view jpeg, int widthPixels, int heightPixels, int components,
                         double x, double y, double width, double height) {
    if (m_pages.empty()) {
        return;
    }
    m_images.push_back(Image{std::string(jpeg), widthPixels, heightPixels, components});
    const std::size_t index = m_images.size() - 1;
    m_pages.back().images.push_back(index);
    m_pages.back().content += "q " + number(width) + " 0 0 " + number(height) + " " + number(x) +
                              " " + number(y) + " cm /Im" + std::to_string(index) + " Do Q\n";
}

void PdfWriter::drawText(double x, double y, double size, std::string_view utf8, double grey) {
    if (m_pages.empty()) {
        return;
    }
    m_pages.back().content += "BT " + number(grey) + " g /F1 " + number(size) + " Tf " + number(x) +
                              " " + number(y) + " Td " + literal(toLatin1(utf8)) + " Tj ET\n";
}

void PdfWriter::fillRectangle(double x, double y, double width, double height, double grey) {
    if (m_pages.empty()) {
        return;
    }
    m_pages.back().content += number(grey) + " g " + number(x) + " " + number(y) + " " +
                              number(width) + " " + number(height) + " re f\n";
}

double PdfWriter::textWidth(std::string_view utf8, double size) {
    double thousandths = 0;
    for (const char ch : toLatin1(utf8)) {
        const auto c = static_cast<unsigned char>(ch);
        thousandths += c >= 32 && c <= 126 ? kHelveticaWidths[c - 32] : 556;
    }
    return thousandths * size / 1000.0;
}

Result<std::string> PdfWriter::finish() {
    if (m_pages.empty()) {
        return fail(ErrorCode::InvalidArgument, "a PDF needs at least one page");
    }
    // Objects: 1 catalog, 2 page tree, 3 font, 4 info, then the images, then per page its
    // page object and its content stream.
    const std::size_t firstImage = 5;
    const std::size_t firstPage = firstImage + m_images.size();
    const std::size_t objectCount = firstPage + 2 * m_pages.size(); // including object 0
    std::vector<std::size_t> offsets(objectCount, 0);
    std::string out = "%PDF-1.4\n%\xE2\xE3\xCF\xD3\n";
    const auto begin = [&](std::size_t id) {
        offsets[id] = out.size();
        out += std::to_string(id) + " 0 obj\n";
    };
    begin(1);
    out += "<< /Type /Catalog /Pages 2 0 R >>\nendobj\n";
    begin(2);
    out += "<< /Type /Pages /Count " + std::to_string(m_pages.size()) + " /Kids [";
    for (std::size_t i = 0; i < m_pages.size(); ++i) {
        out += " " + std::to_string(firstPage + 2 * i) + " 0 R";
    }
    out += " ] >>\nendobj\n";
    begin(3);
    out += "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>\n"
           "endobj\n";
    begin(4);
    out += "<< /Title " + literal(toLatin1(m_title)) + " /Producer (Ripen) >>\nendobj\n";
    for (std::size_t i = 0; i < m_images.size(); ++i) {
        const Image& image = m_images[i];
        begin(firstImage + i);
        out += "<< /Type /XObject /Subtype /Image /Width " + std::to_string(image.width) +
               " /Height " + std::to_string(image.height) + " /ColorSpace " +
               (image.components == 1 ? "/DeviceGray" : "/DeviceRGB") +
               " /BitsPerComponent 8 /Filter /DCTDecode /Length " +
               std::to_string(image.jpeg.size()) + " >>\nstream\n" + image.jpeg +
               "\nendstream\nendobj\n";
    }
    for (std::size_t i = 0; i < m_pages.size(); ++i) {
        const Page& page = m_pages[i];
        const std::size_t id = firstPage + 2 * i;
        begin(id);
        out += "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 " + number(page.width) + " " +
               number(page.height) + "] /Resources << /Font << /F1 3 0 R >> /XObject <<";
        for (const std::size_t image : page.images) {
            out +=
                " /Im" + std::to_string(image) + " " + std::to_string(firstImage + image) + " 0 R";
        }
        out += " >> >> /Contents " + std::to_string(id + 1) + " 0 R >>\nendobj\n";
        begin(id + 1);
        out += "<< /Length " + std::to_string(page.content.size()) + " >>\nstream\n" +
               page.content + "\nendstream\nendobj\n";
    }
    const std::size_t xref = out.size();
    out += "xref\n0 " + std::to_string(objectCount) + "\n0000000000 65535 f \n";
    for (std::size_t id = 1; id < objectCount; ++id) {
        char entry[24];
        std::snprintf(entry, sizeof entry, "%010zu 00000 n \n", offsets[id]);
        out += entry;
    }
    out += "trailer\n<< /Size " + std::to_string(objectCount) +
           " /Root 1 0 R /Info 4 0 R >>\nstartxref\n" + std::to_string(xref) + "\n%%EOF\n";
    return out;
}

} // namespace ripen

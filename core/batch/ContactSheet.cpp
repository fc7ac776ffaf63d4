#include "batch/ContactSheet.h"

#include "batch/PdfWriter.h"
#include "common/FileIo.h"
#include "imaging/ImageDecoder.h"
#include "imaging/ImageEncoder.h"
#include "imaging/ImageHeader.h"
#include "imaging/ImageLimits.h"

#include <algorithm>
#include <cmath>
#include <opencv2/imgproc.hpp>

namespace ripen {
namespace {

constexpr int kMargin = 32;
constexpr int kGap = 16;
constexpr int kLabelHeight = 28;
constexpr int kTitleHeight = 56;
const cv::Scalar kGround(242, 242, 242);
const cv::Scalar kInk(40, 40, 40);

constexpr double kA4Width = 595.28;
constexpr double kA4Height = 841.89;
constexpr double kPageMargin = 36;

Status checkLayout(const std::vector<ContactSheetItem>& items, const ContactSheetLayout& layout) {
    if (items.empty()) {
        return fail(ErrorCode::InvalidArgument, "a contact sheet needs at least one image");
    }
    if (layout.columns < 1 || layout.columns > 12 || layout.cellPixels < 64 ||
        layout.cellPixels > 1024) {
        return fail(ErrorCode::InvalidArgument,
                    "contact sheet columns must be 1 to 12 and cells 64 to 1024 pixels");
    }
    for (const auto& item : items) {
        if (item.image.empty() || item.image.depth() != CV_8U || item.image.channels() == 2) {
            return fail(ErrorCode::InvalidArgument, "'" + item.label + "' is not an 8-bit image");
        }
    }
    return {};
}

// The picture on white, BGR, fitted inside `side` x `side` keeping its aspect ratio.
cv::Mat fittedThumbnail(const cv::Mat& image, int side) {
    cv::Mat bgr;
    if (image.channels() == 4) {
        cv::Mat white(image.size(), CV_8UC3, cv::Scalar::all(255));
        bgr = white;
        image.forEach<cv::Vec4b>([&](const cv::Vec4b& p, const int* pos) {
            auto& out = bgr.at<cv::Vec3b>(pos[0], pos[1]);
            for (int c = 0; c < 3; ++c) {
                out[c] = static_cast<std::uint8_t>((p[c] * p[3] + 255 * (255 - p[3]) + 127) / 255);
            }
        });
    } else if (image.channels() == 1) {
        cv::cvtColor(image, bgr, cv::COLOR_GRAY2BGR);
    } else {
        bgr = image;
    }
    const double scale = std::min(1.0, static_cast<double>(side) / std::max(bgr.cols, bgr.rows));
    if (scale >= 1.0) {
        return bgr;
    }
    cv::Mat out;
    cv::resize(bgr, out,
               {std::max(1, cvRound(bgr.cols * scale)), std::max(1, cvRound(bgr.rows * scale))}, 0,
               0, cv::INTER_AREA);
    return out;
}

// Hershey fonts draw ASCII only; anything else would be garbage.
std::string asciiOnly(const std::string& text) {
    std::string out;
    for (const char c : text) {
        const auto u = static_cast<unsigned char>(c);
        if (u >= 0x80 && (u & 0xC0) == 0x80) {
            continue; // UTF-8 continuation byte: the lead byte already became '?'
        }
        out += u >= 0x20 && u < 0x7F ? c : '?';
    }
    return out;
}

void drawLabel(cv::Mat& sheet, const std::string& label, cv::Point origin, int width) {
    constexpr double kScale = 0.45;
    std::string text = asciiOnly(label);
    int baseline = 0;
    while (text.size() > 3 &&
           cv::getTextSize(text, cv::FONT_HERSHEY_SIMPLEX, kScale, 1, &baseline).width > width) {
        text = text.substr(0, text.size() - 4) + "...";
    }
    const int textWidth =
        cv::getTextSize(text, cv::FONT_HERSHEY_SIMPLEX, kScale, 1, &baseline).width;
    cv::putText(sheet, text, {origin.x + (width - textWidth) / 2, origin.y + 18},
                cv::FONT_HERSHEY_SIMPLEX, kScale, kInk, 1, cv::LINE_AA);
}

// A label that fits `width` points, shortened with "..." when it does not.
std::string fittedPdfLabel(const std::string& label, double size, double width) {
    std::string text = label;
    while (text.size() > 3 && PdfWriter::textWidth(text, size) > width) {
        text = text.substr(0, text.size() - 4) + "...";
    }
    return text;
}

} // namespace

Result<cv::Mat> renderContactSheetImage(const std::vector<ContactSheetItem>& items,
                                        const ContactSheetLayout& layout) {
    if (auto ok = checkLayout(items, layout); !ok) {
        return std::unexpected(ok.error());
    }
    const int columns = std::min<int>(layout.columns, static_cast<int>(items.size()));
    const int rows = static_cast<int>((items.size() + columns - 1) / columns);
    const int cellWidth = layout.cellPixels;
    const int cellHeight = layout.cellPixels + kLabelHeight;
    const int titleHeight = layout.title.empty() ? 0 : kTitleHeight;
    const long long height =
        2LL * kMargin + titleHeight + static_cast<long long>(rows) * (cellHeight + kGap) - kGap;
    if (height > kMaxImageSide) {
        return fail(ErrorCode::LimitExceeded,
                    "a contact sheet of " + std::to_string(items.size()) + " images in " +
                        std::to_string(columns) + " columns would be " + std::to_string(height) +
                        " pixels high; use more columns, smaller cells or the PDF");
    }
    const int width = 2 * kMargin + columns * (cellWidth + kGap) - kGap;
    cv::Mat sheet(static_cast<int>(height), width, CV_8UC3, kGround);
    if (!layout.title.empty()) {
        cv::putText(sheet, asciiOnly(layout.title), {kMargin, kMargin + 28},
                    cv::FONT_HERSHEY_SIMPLEX, 0.9, kInk, 2, cv::LINE_AA);
    }
    for (std::size_t i = 0; i < items.size(); ++i) {
        const int column = static_cast<int>(i) % columns;
        const int row = static_cast<int>(i) / columns;
        const cv::Point cell(kMargin + column * (cellWidth + kGap),
                             kMargin + titleHeight + row * (cellHeight + kGap));
        const cv::Mat thumb = fittedThumbnail(items[i].image, layout.cellPixels);
        const cv::Rect at(cell.x + (cellWidth - thumb.cols) / 2,
                          cell.y + (layout.cellPixels - thumb.rows) / 2, thumb.cols, thumb.rows);
        thumb.copyTo(sheet(at));
        drawLabel(sheet, items[i].label, {cell.x, cell.y + layout.cellPixels}, cellWidth);
    }
    return sheet;
}

Result<std::string> renderContactSheetPdf(const std::vector<ContactSheetItem>& items,
                                          const ContactSheetLayout& layout) {
    if (auto ok = checkLayout(items, layout); !ok) {
        return std::unexpected(ok.error());
    }
    constexpr double kGapPoints = 10;
    constexpr double kLabelPoints = 14;
    constexpr double kTitlePoints = 30;
    const int columns = layout.columns;
    const double cell = (kA4Width - 2 * kPageMargin - (columns - 1) * kGapPoints) / columns;
    const double top = kA4Height - kPageMargin - (layout.title.empty() ? 0 : kTitlePoints);
    const int rowsPerPage = std::max(1, static_cast<int>((top - kPageMargin - 14 + kGapPoints) /
                                                         (cell + kLabelPoints + kGapPoints)));
    const int perPage = rowsPerPage * columns;
    const int pages = static_cast<int>((items.size() + perPage - 1) / perPage);
    PdfWriter pdf(layout.title.empty() ? "Contact sheet" : layout.title);
    for (std::size_t i = 0; i < items.size(); ++i) {
        const int onPage = static_cast<int>(i) % perPage;
        if (onPage == 0) {
            const int page = static_cast<int>(i) / perPage + 1;
            pdf.beginPage(kA4Width, kA4Height);
            if (!layout.title.empty()) {
                pdf.drawText(kPageMargin, kA4Height - kPageMargin - 16, 16, layout.title);
            }
            const std::string footer =
                "page " + std::to_string(page) + " of " + std::to_string(pages);
            pdf.drawText(kA4Width - kPageMargin - PdfWriter::textWidth(footer, 8), kPageMargin - 16,
                         8, footer, 0.4);
        }
        const cv::Mat thumb = fittedThumbnail(items[i].image, layout.cellPixels);
        auto jpeg = encodeImage(thumb, EncodeOptions{"jpeg", 88, 0});
        if (!jpeg) {
            return std::unexpected(withContext(jpeg.error(), items[i].label));
        }
        const double scale = cell / std::max(thumb.cols, thumb.rows);
        const double w = thumb.cols * scale;
        const double h = thumb.rows * scale;
        const double x = kPageMargin + (onPage % columns) * (cell + kGapPoints);
        const double y = top - (onPage / columns + 1) * (cell + kLabelPoints + kGapPoints) +
                         kGapPoints + kLabelPoints;
        pdf.fillRectangle(x, y, cell, cell, 0.95);
        pdf.drawJpeg(*jpeg, thumb.cols, thumb.rows, 3, x + (cell - w) / 2, y + (cell - h) / 2, w,
                     h);
        const std::string label = fittedPdfLabel(items[i].label, 7, cell);
        pdf.drawText(x + (cell - PdfWriter::textWidth(label, 7)) / 2, y - 10, 7, label, 0.15);
    }
    return pdf.finish();
}

Result<std::vector<ContactSheetItem>>
loadContactSheetItems(const std::vector<std::filesystem::path>& files, int side) {
    std::vector<ContactSheetItem> items;
    for (const auto& file : files) {
        auto bytes = readFileBounded(file, kMaxImageFileBytes);
        if (!bytes) {
            return std::unexpected(bytes.error());
        }
        auto header = readImageHeader(*bytes);
        if (!header) {
            return std::unexpected(withContext(header.error(), file.string()));
        }
        DecodeOptions options;
        options.reducedForThumbnailSide = side;
        auto image = decodeImage(*bytes, options);
        if (!image) {
            return std::unexpected(withContext(image.error(), file.string()));
        }
        items.push_back({fittedThumbnail(*image, side).clone(),
                         file.filename().string() + "  " + std::to_string(header->width) + "x" +
                             std::to_string(header->height)});
    }
    return items;
}

} // namespace ripen

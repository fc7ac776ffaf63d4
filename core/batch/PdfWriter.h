#pragma once

#include "common/Error.h"

#include <string>
#include <string_view>
#include <vector>

namespace ripen {

// A small PDF 1.4 writer for documents made of pictures and labels (contact sheets): pages,
// JPEG images embedded as they are (DCTDecode, no re-encoding), text in the standard
// Helvetica font and grey rectangles. Coordinates are PDF points (1/72 inch) from the
// page's bottom-left corner. Builds the document in memory; finish() returns its bytes with
// an exact cross-reference table. Not thread-safe; one document per writer.
class PdfWriter {
public:
    explicit PdfWriter(std::string title);

    void beginPage(double widthPoints, double heightPoints);

    // `jpeg` is a baseline or progressive JPEG file of `widthPixels` x `heightPixels` with 3
    // (RGB/YCbCr) or 1 (grey) components. Drawn into the rectangle given.
    void drawJpeg(std::string_view jpeg, int widthPixels, int heightPixels, int components,
                  double x, double y, double width, double height);

    // One line of text; UTF-8 is mapped to the font's WinAnsi (Latin-1) characters, others
    // become '?'. `grey` 0 black to 1 white.
    void drawText(double x, double y, double size, std::string_view utf8, double grey = 0);

    void fillRectangle(double x, double y, double width, double height, double grey);

    // Helvetica's advance width of `utf8` at `size`, in points, to centre or clip labels.
    static double textWidth(std::string_view utf8, double size);

    // The finished file. Errors: InvalidArgument when no page was begun.
    Result<std::string> finish();

private:
    struct Page {
        double width = 0;
        double height = 0;
        std::string content;             // the page's content stream
        std::vector<std::size_t> images; // indices into m_images
    };
    struct Image {
        std::string jpeg;
        int width = 0;
        int height = 0;
        int components = 3;
    };

    std::string m_title;
    std::vector<Page> m_pages;
    std::vector<Image> m_images;
};

} // namespace ripen

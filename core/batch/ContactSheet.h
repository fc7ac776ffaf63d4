#pragma once

#include "common/Error.h"

#include <filesystem>
#include <opencv2/core/mat.hpp>
#include <string>
#include <vector>

namespace ripen {

// One picture on a contact sheet and the line under it.
struct ContactSheetItem {
    cv::Mat image;     // 8-bit grey, BGR or BGRA (transparency shows as white)
    std::string label; // UTF-8; the PNG shows ASCII only (other characters become '?')
};

struct ContactSheetLayout {
    std::string title;    // printed above the grid; may be empty
    int columns = 4;      // 1 to 12
    int cellPixels = 320; // PNG: each picture fits a square this big (64 to 1024)
};

// A PNG-ready BGR sheet: the title, then the pictures in a grid, each letterboxed in its
// cell with its label under it, on a light neutral ground. Pure.
// Errors: InvalidArgument for no items or a layout out of range; LimitExceeded when the
// sheet would pass 16384 pixels high (fewer items or smaller cells, or use the PDF).
Result<cv::Mat> renderContactSheetImage(const std::vector<ContactSheetItem>& items,
                                        const ContactSheetLayout& layout);

// The same sheet as an A4 portrait PDF, as many pages as the items need, each picture a JPEG
// (DCTDecode) of at most `cellPixels` a side with its label in Helvetica, "page N of M" at
// the foot. Pure. Errors as above, less the height limit.
Result<std::string> renderContactSheetPdf(const std::vector<ContactSheetItem>& items,
                                          const ContactSheetLayout& layout);

// Reads image files as contact sheet items: each decoded through the image limits (JPEGs at a
// reduced scale), shrunk to at most `side` pixels, labelled "<file name>  <W>x<H>" with the
// full size. Errors name the file that cannot be read.
Result<std::vector<ContactSheetItem>>
loadContactSheetItems(const std::vector<std::filesystem::path>& files, int side);

} // namespace ripen

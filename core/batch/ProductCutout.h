#pragma once

#include "common/Error.h"

#include <opencv2/core/mat.hpp>
#include <optional>
#include <string>

namespace ripen {

// Where the product is, as the user said it: a painted seed mask or a box around it.
//
// A painted mask has the image's size and is read as grey (colour is converted, alpha is
// ignored). Its values mean:
//   224-255 (white)        product, for certain
//   128-223 (light grey)   probably product
//    32-127 (dark grey)    probably background
//     0-31  (black)        background, for certain
// so a quick sketch works: a white stroke inside the product, black strokes on the
// background and mid grey (128) or darker grey everywhere else. The mask must mark some
// product (white or light grey) and some background (black or dark grey).
//
// A box holds the whole product; everything outside it is background for certain.
struct CutoutSeed {
    std::optional<cv::Mat> paintedMask; // 8-bit, 1, 3 or 4 channels
    std::optional<cv::Rect> box;        // image pixels
    std::string nameForErrors = "mask"; // the mask file or argument, quoted in errors
};

struct CutoutSettings {
    int iterations = 5;         // GrabCut rounds
    double featherPixels = 1.0; // Gaussian sigma of the alpha edge, 0 for a hard edge
    // GrabCut runs on the image shrunk to at most this many pixels a side (it is O(pixels)
    // per round and its graph needs ~100 bytes a pixel); the mask is scaled back up.
    int workingSide = 1280;
};

// Cuts the product out of `image` (8-bit BGR or BGRA) with OpenCV's GrabCut seeded by
// `seed` (exactly one of the mask or the box). Returns BGRA of the image's size: alpha is the
// product, feathered by `featherPixels`; specks smaller than 1% of the product are dropped;
// colours along the edge are decontaminated (replaced by the product's own nearby colour,
// so no fringe of the old background shows on a new one), and colour under alpha 0 is
// black. Pure: nothing is read or written.
// Errors: InvalidArgument naming the seed when the mask has another size, marks no product
// or no background, or the box is empty, outside the image or covers all of it.
Result<cv::Mat> cutOutProduct(const cv::Mat& image, const CutoutSeed& seed,
                              const CutoutSettings& settings = {});

// The GrabCut labels (cv::GC_BGD, GC_FGD, GC_PR_BGD, GC_PR_FGD) a painted mask stands for,
// by the table above. Errors as cutOutProduct's for the mask.
Result<cv::Mat> grabCutLabelsFromPaintedMask(const cv::Mat& painted, cv::Size imageSize,
                                             const std::string& nameForErrors);

// Parses "X,Y,W,H" (whole pixels) as given to --box. Errors: InvalidArgument.
Result<cv::Rect> parseBox(const std::string& text);

} // namespace ripen

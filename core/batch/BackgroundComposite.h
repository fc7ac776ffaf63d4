#pragma once

#include "common/Error.h"

#include <opencv2/core/mat.hpp>
#include <string_view>

namespace ripen {

// Where the product sits on the canvas.
enum class ProductAnchor { BottomCentre, Centre, BottomLeft, BottomRight };

struct ProductPlacement {
    // The product's bounding box (its opaque part) is scaled to fit this fraction of the
    // canvas's width and height, keeping its aspect ratio. 0.05 to 1.
    double scale = 0.6;
    ProductAnchor anchor = ProductAnchor::BottomCentre;
    // Gap between the product and the canvas edges it is anchored to, as a fraction of the
    // canvas height (bottom) or width (sides). 0 to 0.45.
    double margin = 0.08;
};

// A soft shadow where the product meets the ground: its silhouette flattened to a thin band
// at its base and blurred, darkening the background by multiplication — a tight dark line
// right under the base and a softer band offset along the shadow's direction.
struct ContactShadow {
    double opacity = 0.55;    // 0 (none) to 1 (black at the core)
    double angleDegrees = 90; // direction the soft band falls: 0 right, 90 down, 180 left
    double distance = 0.01;   // offset in that direction, fraction of the product height
    double softness = 0.04;   // blur sigma, fraction of the product width
    double flatten = 0.12;    // band height, fraction of the product height
};

struct CompositeSettings {
    ProductPlacement placement;
    ContactShadow shadow;
    // How far the product's colour statistics (mean and spread of L, a and b in CIE Lab)
    // move towards the background's, so it sits in the scene's light: 0 keeps the product as
    // shot, 1 takes the background's statistics. 0 to 1.
    double colourMatch = 0.3;
};

// `background` (8-bit BGR or BGRA, alpha ignored) scaled to cover `canvas` and centre
// cropped. Pure.
cv::Mat coverCrop(const cv::Mat& background, cv::Size canvas);

// Where a product whose opaque box is `productSize` lands on `canvas` under `placement`.
cv::Rect placeProduct(cv::Size productSize, cv::Size canvas, const ProductPlacement& placement);

// The product's colours (BGR, weighted by `alpha`, 8-bit 1 channel of the same size) moved
// towards the statistics of `scene` (BGR) by `strength`, in Lab. Pure.
cv::Mat matchColourTowards(const cv::Mat& productBgr, const cv::Mat& alpha, const cv::Mat& scene,
                           double strength);

// An ad variant: `product` (a cut-out, 8-bit BGRA) placed on `background` fitted to
// `canvas` (cover crop), with a contact shadow and colour match. Returns BGR of exactly
// `canvas`. Pure. Errors: InvalidArgument for a product without alpha or any opaque pixel,
// a canvas outside 16 to 16384 pixels a side, or settings outside their ranges (named).
Result<cv::Mat> composeAdVariant(const cv::Mat& product, const cv::Mat& background, cv::Size canvas,
                                 const CompositeSettings& settings = {});

// "bottom-centre", "centre", "bottom-left", "bottom-right"; Errors: InvalidArgument.
Result<ProductAnchor> parseProductAnchor(std::string_view text);

} // namespace ripen

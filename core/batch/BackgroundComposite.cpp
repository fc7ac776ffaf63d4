#include "batch/BackgroundComposite.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <numbers>
#include <opencv2/imgproc.hpp>

namespace ripen {
namespace {

bool within(double value, double low, double high) {
    return value >= low && value <= high;
}

Status checkSettings(const CompositeSettings& s, cv::Size canvas) {
    if (std::min(canvas.width, canvas.height) < 16 ||
        std::max(canvas.width, canvas.height) > 16384) {
        return fail(ErrorCode::InvalidArgument, "the canvas must be 16 to 16384 pixels a side");
    }
    const struct {
        double value, low, high;
        const char* name;
    } checks[] = {{s.placement.scale, 0.05, 1, "scale (0.05 to 1)"},
                  {s.placement.margin, 0, 0.45, "margin (0 to 0.45)"},
                  {s.shadow.opacity, 0, 1, "shadow opacity (0 to 1)"},
                  {s.shadow.angleDegrees, -360, 360, "shadow angle (-360 to 360 degrees)"},
                  {s.shadow.distance, 0, 1, "shadow distance (0 to 1)"},
                  {s.shadow.softness, 0, 0.5, "shadow softness (0 to 0.5)"},
                  {s.shadow.flatten, 0.01, 1, "shadow flatten (0.01 to 1)"},
                  {s.colourMatch, 0, 1, "colour match (0 to 1)"}};
    for (const auto& check : checks) {
        if (!within(check.value, check.low, check.high)) {
            return fail(ErrorCode::InvalidArgument,
                        std::string("composite setting out of range: ") + check.name);
        }
    }
    return {};
}

cv::Mat bgrOf(const cv::Mat& image) {
    if (image.channels() == 3) {
        return image;
    }
    cv::Mat bgr;
    cv::cvtColor(image, bgr, image.channels() == 4 ? cv::COLOR_BGRA2BGR : cv::COLOR_GRAY2BGR);
    return bgr;
}

// One layer of shadow: the product's silhouette squashed to `bandHeight` rows, its middle at
// `base` (canvas pixels), blurred by `sigma`; drawn into `mask`, which covers `window`.
void addShadowLayer(cv::Mat& mask, const cv::Rect& window, const cv::Mat& alpha, cv::Point base,
                    int bandHeight, double sigma) {
    cv::Mat band;
    cv::resize(alpha, band, {alpha.cols, std::max(1, bandHeight)}, 0, 0, cv::INTER_AREA);
    cv::Mat layer = cv::Mat::zeros(window.size(), CV_32F);
    const cv::Rect at(base.x - window.x, base.y - band.rows / 2 - window.y, band.cols, band.rows);
    band.convertTo(layer(at), CV_32F, 1.0 / 255);
    cv::GaussianBlur(layer, layer, {0, 0}, std::max(0.5, sigma));
    mask = cv::max(mask, layer);
}

// Darkens the canvas where the product meets the ground: a tight, dark contact line right
// under the base (so the product never floats) and a soft band offset along the shadow's
// direction, combined by their maximum, multiplied in as (1 - opacity * shadow).
void castContactShadow(cv::Mat& canvas, const cv::Mat& alpha, const cv::Rect& placed,
                       const ContactShadow& shadow) {
    if (shadow.opacity <= 0) {
        return;
    }
    const int bandHeight = std::max(1, cvRound(placed.height * shadow.flatten));
    const double sigma = std::max(0.5, shadow.softness * placed.width);
    const double radians = shadow.angleDegrees * std::numbers::pi / 180.0;
    const double offset = shadow.distance * placed.height;
    const cv::Point base(placed.x, placed.br().y);
    const cv::Point cast(base.x + cvRound(offset * std::cos(radians)),
                         base.y + cvRound(offset * std::sin(radians)));
    const int pad = static_cast<int>(std::ceil(3 * sigma)) + bandHeight + 2;
    const cv::Rect window = cv::Rect(base.x - pad, base.y - pad, placed.width + 2 * pad, 2 * pad) |
                            cv::Rect(cast.x - pad, cast.y - pad, placed.width + 2 * pad, 2 * pad);
    cv::Mat mask = cv::Mat::zeros(window.size(), CV_32F);
    addShadowLayer(mask, window, alpha, base, std::max(1, bandHeight / 4), sigma / 4);
    addShadowLayer(mask, window, alpha, cast, bandHeight, sigma);
    // Only the window is touched: the rest of the canvas stays as it was, bit for bit.
    const cv::Rect visible = window & cv::Rect({0, 0}, canvas.size());
    for (int y = visible.y; y < visible.br().y; ++y) {
        auto* row = canvas.ptr<cv::Vec3b>(y);
        const auto* m = mask.ptr<float>(y - window.y);
        for (int x = visible.x; x < visible.br().x; ++x) {
            const float keep = 1.0f - static_cast<float>(shadow.opacity) * m[x - window.x];
            for (int c = 0; c < 3; ++c) {
                row[x][c] = cv::saturate_cast<std::uint8_t>(row[x][c] * keep);
            }
        }
    }
}

// Pastes the product (BGR + alpha at `placed`'s size) over the canvas, premultiplied.
void paste(cv::Mat& canvas, const cv::Mat& bgr, const cv::Mat& alpha, const cv::Rect& placed) {
    const cv::Rect visible = placed & cv::Rect({0, 0}, canvas.size());
    for (int y = visible.y; y < visible.br().y; ++y) {
        auto* out = canvas.ptr<cv::Vec3b>(y);
        const auto* fg = bgr.ptr<cv::Vec3b>(y - placed.y);
        const auto* a = alpha.ptr<std::uint8_t>(y - placed.y);
        for (int x = visible.x; x < visible.br().x; ++x) {
            const int px = x - placed.x;
            const int weight = a[px];
            for (int c = 0; c < 3; ++c) {
                out[x][c] = static_cast<std::uint8_t>(
                    (fg[px][c] * weight + out[x][c] * (255 - weight) + 127) / 255);
            }
        }
    }
}

// Scales colour and alpha together with colour premultiplied by alpha, so the colour under
// transparent pixels never bleeds into the edge.
void resizePremultiplied(const cv::Mat& bgr, const cv::Mat& alpha, cv::Size size, cv::Mat& outBgr,
                         cv::Mat& outAlpha) {
    cv::Mat colour;
    bgr.convertTo(colour, CV_32FC3);
    cv::Mat weight;
    alpha.convertTo(weight, CV_32F, 1.0 / 255);
    std::array<cv::Mat, 3> planes;
    cv::split(colour, planes.data());
    for (auto& plane : planes) {
        plane = plane.mul(weight);
    }
    const int interpolation = size.area() < bgr.size().area() ? cv::INTER_AREA : cv::INTER_LINEAR;
    cv::Mat scaledWeight;
    cv::resize(weight, scaledWeight, size, 0, 0, interpolation);
    for (auto& plane : planes) {
        cv::resize(plane, plane, size, 0, 0, interpolation);
        cv::divide(plane, cv::max(scaledWeight, 1e-4f), plane);
    }
    cv::merge(planes.data(), 3, colour);
    colour.convertTo(outBgr, CV_8UC3);
    scaledWeight.convertTo(outAlpha, CV_8U, 255);
}

} // namespace

cv::Mat coverCrop(const cv::Mat& background, cv::Size canvas) {
    const cv::Mat bgr = bgrOf(background);
    const double scale = std::max(static_cast<double>(canvas.width) / bgr.cols,
                                  static_cast<double>(canvas.height) / bgr.rows);
    const cv::Size scaled(std::max(canvas.width, cvRound(bgr.cols * scale)),
                          std::max(canvas.height, cvRound(bgr.rows * scale)));
    cv::Mat resized;
    cv::resize(bgr, resized, scaled, 0, 0, scale < 1 ? cv::INTER_AREA : cv::INTER_CUBIC);
    const cv::Rect crop((scaled.width - canvas.width) / 2, (scaled.height - canvas.height) / 2,
                        canvas.width, canvas.height);
    return resized(crop).clone();
}

cv::Rect placeProduct(cv::Size productSize, cv::Size canvas, const ProductPlacement& placement) {
    const double fit = std::min(placement.scale * canvas.width / productSize.width,
                                placement.scale * canvas.height / productSize.height);
    const cv::Size size(std::clamp(cvRound(productSize.width * fit), 1, canvas.width),
                        std::clamp(cvRound(productSize.height * fit), 1, canvas.height));
    const int marginX = cvRound(placement.margin * canvas.width);
    const int marginY = cvRound(placement.margin * canvas.height);
    int x = (canvas.width - size.width) / 2;
    int y = canvas.height - marginY - size.height;
    switch (placement.anchor) {
    case ProductAnchor::Centre:
        y = (canvas.height - size.height) / 2;
        break;
    case ProductAnchor::BottomLeft:
        x = marginX;
        break;
    case ProductAnchor::BottomRight:
        x = canvas.width - marginX - size.width;
        break;
    case ProductAnchor::BottomCentre:
        break;
    }
    x = std::clamp(x, 0, canvas.width - size.width);
    y = std::clamp(y, 0, canvas.height - size.height);
    return {{x, y}, size};
}

cv::Mat matchColourTowards(const cv::Mat& productBgr, const cv::Mat& alpha, const cv::Mat& scene,
                           double strength) {
    if (strength <= 0) {
        return productBgr.clone();
    }
    const auto toLab = [](const cv::Mat& bgr) {
        cv::Mat unit;
        bgr.convertTo(unit, CV_32FC3, 1.0 / 255);
        cv::Mat lab;
        cv::cvtColor(unit, lab, cv::COLOR_BGR2Lab);
        return lab;
    };
    // Statistics of a big scene are the same from a smaller copy.
    cv::Mat sceneSample = scene;
    if (scene.cols * scene.rows > 512 * 512) {
        const double f = 512.0 / std::max(scene.cols, scene.rows);
        cv::resize(scene, sceneSample, {}, f, f, cv::INTER_AREA);
    }
    cv::Mat lab = toLab(productBgr);
    cv::Scalar productMean;
    cv::Scalar productSpread;
    cv::Scalar sceneMean;
    cv::Scalar sceneSpread;
    cv::meanStdDev(lab, productMean, productSpread, alpha > 127);
    cv::meanStdDev(toLab(sceneSample), sceneMean, sceneSpread);
    std::array<cv::Mat, 3> planes;
    cv::split(lab, planes.data());
    for (int c = 0; c < 3; ++c) {
        const double ratio =
            productSpread[c] > 1e-3 ? std::clamp(sceneSpread[c] / productSpread[c], 0.5, 2.0) : 1.0;
        const double gain = 1 + strength * (ratio - 1);
        const double mean = productMean[c] + strength * (sceneMean[c] - productMean[c]);
        planes[static_cast<std::size_t>(c)].convertTo(planes[static_cast<std::size_t>(c)], CV_32F,
                                                      gain, mean - gain * productMean[c]);
    }
    cv::merge(planes.data(), 3, lab);
    cv::Mat unit;
    cv::cvtColor(lab, unit, cv::COLOR_Lab2BGR);
    cv::Mat out;
    unit.convertTo(out, CV_8UC3, 255);
    return out;
}

Result<cv::Mat> composeAdVariant(const cv::Mat& product, const cv::Mat& background, cv::Size canvas,
                                 const CompositeSettings& settings) {
    if (product.type() != CV_8UC4) {
        return fail(ErrorCode::InvalidArgument,
                    "the product must be a cut-out with transparency (8-bit RGBA)");
    }
    if (background.empty() || background.depth() != CV_8U) {
        return fail(ErrorCode::InvalidArgument, "the background is not an 8-bit image");
    }
    if (auto ok = checkSettings(settings, canvas); !ok) {
        return std::unexpected(ok.error());
    }
    cv::Mat alpha;
    cv::extractChannel(product, alpha, 3);
    const cv::Rect box = cv::boundingRect(alpha > 0);
    if (box.empty()) {
        return fail(ErrorCode::InvalidArgument, "the product cut-out is fully transparent");
    }
    const cv::Mat cropAlpha = alpha(box);
    cv::Mat cropBgr;
    cv::cvtColor(product(box), cropBgr, cv::COLOR_BGRA2BGR);

    cv::Mat out = coverCrop(background, canvas);
    const cv::Rect placed = placeProduct(box.size(), canvas, settings.placement);
    cropBgr = matchColourTowards(cropBgr, cropAlpha, out, settings.colourMatch);
    cv::Mat scaledBgr;
    cv::Mat scaledAlpha;
    resizePremultiplied(cropBgr, cropAlpha, placed.size(), scaledBgr, scaledAlpha);
    castContactShadow(out, scaledAlpha, placed, settings.shadow);
    paste(out, scaledBgr, scaledAlpha, placed);
    return out;
}

Result<ProductAnchor> parseProductAnchor(std::string_view text) {
    if (text == "bottom-centre" || text == "bottom-center") {
        return ProductAnchor::BottomCentre;
    }
    if (text == "centre" || text == "center") {
        return ProductAnchor::Centre;
    }
    if (text == "bottom-left") {
        return ProductAnchor::BottomLeft;
    }
    if (text == "bottom-right") {
        return ProductAnchor::BottomRight;
    }
    return fail(ErrorCode::InvalidArgument,
                "anchor '" + std::string(text) +
                    "' is not bottom-centre, centre, bottom-left or bottom-right");
}

} // namespace ripen

#include "batch/ProductCutout.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <opencv2/imgproc.hpp>
#include <regex>

namespace ripen {
namespace {

std::string sizeText(cv::Size size) {
    return std::to_string(size.width) + "x" + std::to_string(size.height);
}

cv::Mat greyOf(const cv::Mat& painted) {
    if (painted.channels() == 1) {
        return painted;
    }
    cv::Mat grey;
    cv::cvtColor(painted, grey, painted.channels() == 4 ? cv::COLOR_BGRA2GRAY : cv::COLOR_BGR2GRAY);
    return grey;
}

// Drops connected pieces of the product smaller than 1% of it: GrabCut leaves specks where
// the background happens to share the product's colours.
void dropSpecks(cv::Mat& binary) {
    cv::Mat labels;
    cv::Mat stats;
    cv::Mat centroids;
    const int count = cv::connectedComponentsWithStats(binary, labels, stats, centroids, 8, CV_32S);
    const double total = cv::countNonZero(binary);
    std::vector<std::uint8_t> keep(static_cast<std::size_t>(count), 0);
    for (int i = 1; i < count; ++i) {
        keep[static_cast<std::size_t>(i)] = stats.at<int>(i, cv::CC_STAT_AREA) >= 0.01 * total;
    }
    binary.forEach<std::uint8_t>([&](std::uint8_t& value, const int* pos) {
        const int label = labels.at<int>(pos[0], pos[1]);
        value = label > 0 && keep[static_cast<std::size_t>(label)] != 0 ? 255 : 0;
    });
}

// Colours on the edge are a mix of product and old background; a mixed green edge on a
// product cut from a green screen shows as a halo on any other background. Each pixel with
// some alpha that is not two pixels inside the product takes the mean colour of the product
// pixels around it (normalised box filter over the product's interior only).
cv::Mat decontaminate(const cv::Mat& bgr, const cv::Mat& binary, const cv::Mat& alpha,
                      double featherPixels) {
    cv::Mat interior;
    cv::erode(binary, interior, cv::getStructuringElement(cv::MORPH_RECT, {3, 3}), {-1, -1}, 2);
    if (cv::countNonZero(interior) == 0) {
        interior = binary;
    }
    cv::Mat weight;
    interior.convertTo(weight, CV_32F, 1.0 / 255);
    cv::Mat colour;
    bgr.convertTo(colour, CV_32FC3);
    cv::Mat weighted;
    std::array<cv::Mat, 3> planes;
    cv::split(colour, planes.data());
    for (auto& plane : planes) {
        plane = plane.mul(weight);
    }
    cv::merge(planes.data(), 3, weighted);
    cv::Mat out = bgr.clone();
    out.setTo(cv::Scalar::all(0), alpha == 0);
    cv::Mat edge = (alpha > 0) & (interior == 0);
    // Two radii: the near one keeps local colour, the wide one reaches thin parts.
    for (const int radius : {static_cast<int>(std::ceil(3 * featherPixels)) + 3, 24}) {
        cv::Mat sum;
        cv::Mat norm;
        cv::boxFilter(weighted, sum, CV_32F, {2 * radius + 1, 2 * radius + 1});
        cv::boxFilter(weight, norm, CV_32F, {2 * radius + 1, 2 * radius + 1});
        cv::Mat reached = edge & (norm > 1e-3f);
        out.forEach<cv::Vec3b>([&](cv::Vec3b& pixel, const int* pos) {
            if (reached.at<std::uint8_t>(pos[0], pos[1]) == 0) {
                return;
            }
            const float n = norm.at<float>(pos[0], pos[1]);
            const auto& s = sum.at<cv::Vec3f>(pos[0], pos[1]);
            pixel = cv::Vec3b(cv::saturate_cast<std::uint8_t>(s[0] / n),
                              cv::saturate_cast<std::uint8_t>(s[1] / n),
                              cv::saturate_cast<std::uint8_t>(s[2] / n));
        });
        edge.setTo(0, reached);
    }
    return out;
}

Status checkBox(const cv::Rect& box, cv::Size imageSize) {
    const cv::Rect whole({0, 0}, imageSize);
    if (box.width <= 0 || box.height <= 0 || (box & whole) != box) {
        return fail(ErrorCode::InvalidArgument,
                    "--box " + std::to_string(box.x) + "," + std::to_string(box.y) + "," +
                        std::to_string(box.width) + "," + std::to_string(box.height) +
                        " is not a non-empty box inside the " + sizeText(imageSize) + " image");
    }
    if (box.width >= imageSize.width - 1 && box.height >= imageSize.height - 1) {
        return fail(ErrorCode::InvalidArgument,
                    "--box covers the whole image: leave some background outside it");
    }
    return {};
}

// GrabCut at the working size; returns the product as 0/255 at the image's size.
Result<cv::Mat> runGrabCut(const cv::Mat& bgr, const cv::Mat& fullLabels,
                           const std::optional<cv::Rect>& box, const CutoutSettings& settings) {
    const double scale =
        std::min(1.0, settings.workingSide / static_cast<double>(std::max(bgr.cols, bgr.rows)));
    cv::Mat small = bgr;
    cv::Mat labels;
    if (scale < 1.0) {
        cv::resize(bgr, small, {}, scale, scale, cv::INTER_AREA);
    }
    cv::Mat background;
    cv::Mat foreground;
    try {
        if (box) {
            cv::Rect scaled(cvRound(box->x * scale), cvRound(box->y * scale),
                            std::max(1, cvRound(box->width * scale)),
                            std::max(1, cvRound(box->height * scale)));
            scaled &= cv::Rect({0, 0}, small.size());
            cv::grabCut(small, labels, scaled, background, foreground, settings.iterations,
                        cv::GC_INIT_WITH_RECT);
        } else {
            cv::resize(fullLabels, labels, small.size(), 0, 0, cv::INTER_NEAREST);
            cv::grabCut(small, labels, {}, background, foreground, settings.iterations,
                        cv::GC_INIT_WITH_MASK);
        }
    } catch (const cv::Exception& e) {
        return fail(ErrorCode::Internal, std::string("GrabCut failed: ") + e.what());
    }
    cv::Mat product = (labels == cv::GC_FGD) | (labels == cv::GC_PR_FGD);
    if (scale < 1.0) {
        cv::resize(product, product, bgr.size(), 0, 0, cv::INTER_LINEAR);
        cv::threshold(product, product, 127, 255, cv::THRESH_BINARY);
    }
    return product;
}

} // namespace

Result<cv::Mat> grabCutLabelsFromPaintedMask(const cv::Mat& painted, cv::Size imageSize,
                                             const std::string& nameForErrors) {
    if (painted.depth() != CV_8U || painted.channels() == 2) {
        return fail(ErrorCode::InvalidArgument,
                    nameForErrors + " is not an 8-bit grey, colour or RGBA image");
    }
    if (painted.size() != imageSize) {
        return fail(ErrorCode::InvalidArgument, nameForErrors + " is " + sizeText(painted.size()) +
                                                    " but the image is " + sizeText(imageSize));
    }
    cv::Mat table(1, 256, CV_8U);
    for (int v = 0; v < 256; ++v) {
        table.at<std::uint8_t>(v) = static_cast<std::uint8_t>(v >= 224   ? cv::GC_FGD
                                                              : v >= 128 ? cv::GC_PR_FGD
                                                              : v >= 32  ? cv::GC_PR_BGD
                                                                         : cv::GC_BGD);
    }
    cv::Mat labels;
    cv::LUT(greyOf(painted), table, labels);
    const cv::Mat product = (labels == cv::GC_FGD) | (labels == cv::GC_PR_FGD);
    if (cv::countNonZero(product) == 0) {
        return fail(ErrorCode::InvalidArgument,
                    nameForErrors + " marks no product: paint it white (or light grey)");
    }
    if (cv::countNonZero(product) == static_cast<int>(product.total())) {
        return fail(ErrorCode::InvalidArgument,
                    nameForErrors + " marks no background: paint some of it black (or dark grey)");
    }
    return labels;
}

Result<cv::Mat> cutOutProduct(const cv::Mat& image, const CutoutSeed& seed,
                              const CutoutSettings& settings) {
    if (image.empty() || image.depth() != CV_8U ||
        (image.channels() != 3 && image.channels() != 4)) {
        return fail(ErrorCode::InvalidArgument, "cut-out needs an 8-bit colour image");
    }
    if (seed.paintedMask.has_value() == seed.box.has_value()) {
        return fail(ErrorCode::InvalidArgument, "give the product as a painted mask or a box");
    }
    if (settings.iterations < 1 || settings.featherPixels < 0 || settings.featherPixels > 16 ||
        settings.workingSide < 64) {
        return fail(ErrorCode::InvalidArgument, "cut-out settings out of range");
    }
    cv::Mat bgr = image;
    if (image.channels() == 4) {
        cv::cvtColor(image, bgr, cv::COLOR_BGRA2BGR);
    }
    cv::Mat labels;
    if (seed.paintedMask) {
        auto painted =
            grabCutLabelsFromPaintedMask(*seed.paintedMask, image.size(), seed.nameForErrors);
        if (!painted) {
            return std::unexpected(painted.error());
        }
        labels = std::move(*painted);
    } else if (auto boxOk = checkBox(*seed.box, image.size()); !boxOk) {
        return std::unexpected(boxOk.error());
    }
    auto product = runGrabCut(bgr, labels, seed.box, settings);
    if (!product) {
        return std::unexpected(product.error());
    }
    cv::Mat binary = std::move(*product);
    if (seed.paintedMask) {
        // What the user painted for certain stays so at full resolution.
        binary.setTo(255, labels == cv::GC_FGD);
        binary.setTo(0, labels == cv::GC_BGD);
    } else {
        cv::Mat outside(binary.size(), CV_8U, cv::Scalar(255));
        outside(*seed.box).setTo(0);
        binary.setTo(0, outside);
    }
    dropSpecks(binary);
    if (cv::countNonZero(binary) == 0) {
        return fail(ErrorCode::InvalidArgument,
                    "GrabCut found no product apart from the background in the " +
                        std::string(seed.box ? "box" : seed.nameForErrors));
    }
    cv::Mat alpha; // a new buffer: blurring in place would feather `binary` too
    if (settings.featherPixels > 0) {
        cv::GaussianBlur(binary, alpha, {0, 0}, settings.featherPixels);
    } else {
        alpha = binary.clone();
    }
    const cv::Mat colour = decontaminate(bgr, binary, alpha, settings.featherPixels);
    cv::Mat out;
    const std::array<cv::Mat, 2> parts{colour, alpha};
    cv::merge(parts.data(), 2, out);
    return out;
}

Result<cv::Rect> parseBox(const std::string& text) {
    static const std::regex pattern(R"((\d{1,6}),(\d{1,6}),(\d{1,6}),(\d{1,6}))");
    std::smatch m;
    if (!std::regex_match(text, m, pattern)) {
        return fail(ErrorCode::InvalidArgument,
                    "--box expects X,Y,WIDTH,HEIGHT in whole pixels, not '" + text + "'");
    }
    return cv::Rect(std::stoi(m[1]), std::stoi(m[2]), std::stoi(m[3]), std::stoi(m[4]));
}

} // namespace ripen
